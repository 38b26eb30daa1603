"""Malformed inputs give an error naming file, row and column; nothing half-written."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from scicollab import pipeline
from scicollab.errors import DataFileError
from scicollab.sources import ncses, openalex
from scicollab.sources.common import read_rows


def _variant(tmp_path: Path, fixtures: Path, edit) -> Path:
    lines = (fixtures / "ncses" / "coauthorship.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "data.csv"
    path.write_text("".join(edit(lines)))
    return path


def test_valid_fixture_parses_with_entities_and_missing_marks(tmp_path, fixtures, index):
    def only_known(lines):
        return [line for line in lines if "Freedonia" not in line]

    frame = ncses.read_coauthorship(_variant(tmp_path, fixtures, only_known), index)
    canada = frame[(frame["iso3"] == "CAN") & (frame["year"] == 2022)].iloc[0]
    assert canada["total"] == 110 and canada["international"] == 45
    civ = frame[(frame["iso3"] == "CIV") & (frame["year"] == 2022)].iloc[0]
    assert civ["total"] == 12 and civ["international"] != civ["international"]  # na -> NaN


def test_unknown_country_in_fixture_is_an_error_not_a_drop(tmp_path, fixtures, index):
    def with_values(lines):
        return [line.replace("World -> Freedonia,World,Freedonia,,,2,,",
                             "World -> Freedonia -> Total articles,World,Freedonia,"
                             "Total articles,,3,5,6") for line in lines]

    with pytest.raises(DataFileError, match=r"row 5.*Freedonia"):
        ncses.read_coauthorship(_variant(tmp_path, fixtures, with_values), index)


def test_truncated_file_names_the_short_row(tmp_path, fixtures, index):
    def truncate(lines):
        return [*lines[:-1], lines[-1][:60]]

    with pytest.raises(DataFileError, match=r"data\.csv, row 11.*expected 10 fields"):
        ncses.read_coauthorship(_variant(tmp_path, fixtures, truncate), index)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "wdi.csv"
    path.write_text("Country Name,b\nAruba,2\n")
    with pytest.raises(DataFileError, match=r"column 'Country Code'"):
        read_rows(path, ["Country Name", "Country Code"])


def test_non_numeric_cell_names_row_and_column(tmp_path, fixtures, index):
    def corrupt(lines):
        return [line.replace(",100,110", ",100,lots") for line in lines]

    with pytest.raises(DataFileError) as error:
        ncses.read_coauthorship(_variant(tmp_path, fixtures, corrupt), index)
    assert "row 6" in str(error.value) and "'field_2022'" in str(error.value)
    assert "'lots'" in str(error.value)


def test_duplicated_country_year_is_refused(tmp_path, fixtures, index):
    def duplicate(lines):
        return [*lines, lines[5].replace("r005", "r011")]

    with pytest.raises(DataFileError, match=r"duplicated iso3/year/measure.*rows \[6, 12\]"):
        ncses.read_coauthorship(_variant(tmp_path, fixtures, duplicate), index)


def test_empty_file_is_an_error(tmp_path, index):
    path = tmp_path / "data.csv"
    path.write_text("")
    with pytest.raises(DataFileError, match="empty"):
        ncses.read_coauthorship(path, index)


def _pajek_zip(path: Path, net: str, vec: str = "*vertices 2\n5\n3\n",
               clu: str = "*vertices 2\n1\n1\n") -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("WrldCo2020.net", net)
        archive.writestr("WrldCo2020T.vec", vec)
        archive.writestr("WrldCo2020G.clu", clu)
    target = path / openalex.ARCHIVE
    target.write_bytes(buffer.getvalue())
    return path


def test_openalex_fixture_parses_pairs_once(tmp_path):
    net = '*vertices 2\n1 "NA"\n2 "ZA"\n*arcs\n1 1 9\n1 2 3\n2 1 3\n'
    countries, pairs = openalex.read_archive(_pajek_zip(tmp_path, net))
    assert list(countries["iso3"]) == ["NAM", "ZAF"]
    assert pairs.to_dict("records") == [{"a": "NAM", "b": "ZAF", "year": 2020, "works": 3.0}]


def test_openalex_partners_are_counted_from_the_pairs_not_the_group_file(tmp_path):
    # The group file says 7 for everyone (as the real one says 200 at the API's cap); the pairs
    # say Namibia works with South Africa and Botswana, the other two only with Namibia, and
    # the zero-count pair South Africa-Botswana is no partnership.
    net = ('*vertices 3\n1 "NA"\n2 "ZA"\n3 "BW"\n*arcs\n1 1 9\n1 2 3\n2 1 3\n'
           '1 3 2\n3 1 2\n2 3 0\n3 2 0\n')
    countries, _ = openalex.read_archive(_pajek_zip(
        tmp_path, net, vec="*vertices 3\n5\n3\n2\n", clu="*vertices 3\n7\n7\n7\n"))
    assert dict(zip(countries["iso3"], countries["partner_countries"], strict=True)) == {
        "BWA": 1, "NAM": 2, "ZAF": 1}


def test_openalex_truncated_vector_names_the_member(tmp_path):
    net = '*vertices 2\n1 "NA"\n2 "ZA"\n*arcs\n1 2 3\n'
    with pytest.raises(DataFileError, match=r"WrldCo2020T\.vec.*expected 2 values, found 1"):
        openalex.read_archive(_pajek_zip(tmp_path, net, vec="*vertices 2\n5\n"))


def test_openalex_non_numeric_arc(tmp_path):
    net = '*vertices 2\n1 "NA"\n2 "ZA"\n*arcs\n1 2 x\n'
    with pytest.raises(DataFileError, match=r"WrldCo2020\.net, row 5: non-numeric arc"):
        openalex.read_archive(_pajek_zip(tmp_path, net))


def test_corrupt_zip_is_reported(tmp_path):
    (tmp_path / openalex.ARCHIVE).write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DataFileError, match="not a readable zip"):
        openalex.read_archive(tmp_path)


def test_failed_build_leaves_previous_data_untouched(tmp_path, raw_dir):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw, ignore=shutil.ignore_patterns("*.md"))
    raw.chmod(0o755)
    for path in raw.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    out = tmp_path / "out"
    out.mkdir()
    (out / "publications.csv").write_text("previous\n")
    target = raw / "ncses" / "1819" / "data.csv"
    text = target.read_text()
    target.write_text(text[: len(text) // 2])  # truncated mid-row
    with pytest.raises(DataFileError, match=r"1819/data\.csv, row \d+"):
        pipeline.build(raw, out)
    assert (out / "publications.csv").read_text() == "previous\n"
    assert sorted(p.name for p in out.iterdir()) == ["publications.csv"]


def _access_variant(tmp_path: Path, fixtures: Path, edit) -> Path:
    lines = (fixtures / "ncses" / "access_types.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "data.csv"
    path.write_text("".join(edit(lines)))
    return path


def test_access_types_fixture_sums_the_four_open_rows(tmp_path, fixtures):
    frame = ncses.read_access_types(_access_variant(tmp_path, fixtures, list))
    row = frame[frame["year"] == 2022].iloc[0]
    assert (row["closed_access"], row["open_access"], row["open_share"]) == (49, 51, 51.0)


def test_access_types_with_another_row_order_stop_the_build(tmp_path, fixtures):
    def closed_last(lines):  # 2003's closed-access count moved to the end of its year
        return [lines[0], *lines[2:6], lines[1], *lines[6:]]

    with pytest.raises(DataFileError, match=r"row 2, column .value.: .*open share of 95\.0% "
                                            r"in 2003, but NSB published 23%"):
        ncses.read_access_types(_access_variant(tmp_path, fixtures, closed_last))


def test_access_types_year_with_a_missing_row_is_named(tmp_path, fixtures):
    with pytest.raises(DataFileError, match=r"row 10, column 'time_period': year 2022 has 4 rows"):
        ncses.read_access_types(_access_variant(tmp_path, fixtures, lambda lines: lines[:-1]))
