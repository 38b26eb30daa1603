"""Hostile raw files: each is refused with one line naming the file (and row and column).

Weights that overflow, years outside the survey, other encodings, binary files and files whose
extension lies about their format; made-up inputs only.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from scicollab.errors import DataFileError
from scicollab.sources import openalex, worldbank, wvs
from scicollab.sources.common import binary_kind, read_rows

WVS = Path(__file__).parent / "fixtures" / "wvs"
COUNTRIES = {"DEU", "NGA", "JPN"}
WAVE7 = "B_COUNTRY_ALPHA,A_YEAR,Q63,W_WEIGHT\n"
SERIES = "COUNTRY_ALPHA,S002VS,S020,G007_36_B,S017\n"


def _file(tmp_path: Path, text: str, name: str = "wvs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(("rows", "row", "column", "message"), [
    ("DEU,2018,1,1.0\nDEU,2018,3,1e999\n", 3, "W_WEIGHT", r"weight '1e999' is not a finite"),
    ("DEU,2018,1,1e308\nDEU,2018,3,1e308\n", 3, "W_WEIGHT", r"add up to more than .*overflow"),
    ("NGA,2018,2,1.0\nDEU,2018,1,0\nDEU,2018,3,0.0\n", 3, "W_WEIGHT",
     r"weights of DEU, wave 7 sum to zero"),
    ("DEU,2018,1,1.0\nDEU,99999,3,1.0\n", 3, "A_YEAR", r"survey year 99999 outside .*2017–2023"),
    ("DEU,2016,1,1.0\n", 2, "A_YEAR", r"survey year 2016 outside the fieldwork years"),
    ("DEU,2024,1,1.0\n", 2, "A_YEAR", r"survey year 2024 outside"),
    ("DEU,2018.5,1,1.0\n", 2, "A_YEAR", r"survey year '2018\.5' is not a whole number"),
    ("DEU,1e999,1,1.0\n", 2, "A_YEAR", r"is not a whole number"),
])
def test_wave7_weights_and_years_are_checked_with_row_and_column(tmp_path, rows, row, column,
                                                                 message):
    with pytest.raises(DataFileError, match=message) as err:
        wvs.read_microdata(_file(tmp_path, WAVE7 + rows), COUNTRIES)
    assert (err.value.row, err.value.column) == (row, column)
    assert str(err.value).startswith(f"file {tmp_path / 'wvs.csv'}, row {row}, column ")


def test_fieldwork_years_at_the_bounds_are_accepted(tmp_path):
    got = wvs.read_microdata(_file(tmp_path, WAVE7 + "DEU,2017,1,1.0\nNGA,2023,4,1.0\n"),
                             COUNTRIES)
    assert dict(zip(got["iso3"], got["year"], strict=True)) == {"DEU": 2017, "NGA": 2023}
    series = wvs.read_microdata(_file(tmp_path, SERIES + "JPN,1,1981,1,1.0\n"), COUNTRIES)
    assert series[["wave", "year"]].values.tolist() == [[1, 1981]]


@pytest.mark.parametrize(("line", "column", "message"), [
    ("JPN,8,2024,1,1.0", "S002VS", r"wave 8 outside the WVS waves 1–7"),
    ("JPN,0,1990,1,1.0", "S002VS", r"wave 0 outside"),
    ("JPN,1e999,1990,1,1.0", "S002VS", r"wave '1e999' is not a whole number"),
    ("JPN,1,1980,1,1.0", "S020", r"survey year 1980 outside .*time series file \(1981–2023\)"),
    ("JPN,7,2019,1,inf", "S017", r"expected a number, found 'inf'"),
])
def test_time_series_waves_and_years_are_checked(tmp_path, line, column, message):
    with pytest.raises(DataFileError, match=message) as err:
        wvs.read_microdata(_file(tmp_path, f"{SERIES}JPN,7,2019,1,1.0\n{line}\n"), COUNTRIES)
    assert (err.value.row, err.value.column) == (3, column)


def test_missing_answers_do_not_need_a_valid_weight_or_year(tmp_path):
    # A row whose answer is a missing code does not enter the shares, so its cells are not read.
    got = wvs.read_microdata(_file(tmp_path, WAVE7 + "DEU,2018,3,1.0\nDEU,99999,-1,1e999\n"),
                             COUNTRIES)
    assert got["n"].tolist() == [1]


@pytest.mark.parametrize(("encoding", "looks_like"), [
    ("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("utf-16-le", "UTF-16 without a byte-order mark"),
])
def test_wvs_csv_in_another_unicode_encoding_says_to_save_as_utf8(tmp_path, encoding,
                                                                   looks_like):
    path = tmp_path / "wvs.csv"
    path.write_bytes((WAVE7 + "DEU,2018,1,1.0\n").encode(encoding))
    with pytest.raises(DataFileError) as err:
        wvs.read_microdata(path, COUNTRIES)
    assert str(err.value) == (f"file {path}: not UTF-8 text (it looks like {looks_like}): "
                              "save it as UTF-8 CSV")


def test_binary_file_named_csv_is_refused(tmp_path):
    path = tmp_path / "wvs.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataFileError, match=r"not UTF-8 text \(it looks like binary\)"):
        wvs.read_microdata(path, COUNTRIES)


def test_csv_renamed_dta_says_it_is_not_a_stata_file(tmp_path):
    path = tmp_path / "wvs.dta"
    path.write_bytes((WVS / "wave7.csv").read_bytes())
    with pytest.raises(DataFileError, match=r"not a Stata file: it looks like text \(a CSV\?\); "
                                            r"give it the \.csv extension"):
        wvs.read_microdata(path, COUNTRIES)


def test_stata_file_renamed_csv_says_which_extension_to_give(tmp_path):
    pd.read_csv(WVS / "wave7.csv").drop(columns="Q1").to_stata(tmp_path / "w.dta",
                                                                write_index=False)
    path = tmp_path / "wvs.csv"
    path.write_bytes((tmp_path / "w.dta").read_bytes())
    with pytest.raises(DataFileError, match=r"not a CSV file: it looks like a Stata \.dta file; "
                                            r"give it the \.dta extension"):
        wvs.read_microdata(path, COUNTRIES)


def test_truncated_stata_file_is_an_error_not_a_traceback(tmp_path):
    pd.read_csv(WVS / "wave7.csv").drop(columns="Q1").to_stata(tmp_path / "w.dta",
                                                                write_index=False)
    path = tmp_path / "wvs.dta"
    path.write_bytes((tmp_path / "w.dta").read_bytes()[:300])
    with pytest.raises(DataFileError, match=r"cannot be read as a Stata file"):
        wvs.read_microdata(path, COUNTRIES)


def test_workbook_renamed_sav_says_it_is_not_an_spss_file(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "wvs.sav"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DataFileError, match=r"not an SPSS file: it looks like a zip archive"):
        wvs.read_microdata(path, COUNTRIES)


def test_spss_file_gives_the_same_shares_as_csv(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat", reason="optional extra: pip install .[spss]")
    frame = pd.read_csv(WVS / "wave7.csv").drop(columns="Q1")
    pyreadstat.write_sav(frame, str(tmp_path / "wave7.sav"))
    pd.testing.assert_frame_equal(wvs.read_microdata(tmp_path / "wave7.sav", COUNTRIES),
                                  wvs.read_microdata(WVS / "wave7.csv", COUNTRIES))


def test_corrupt_spss_file_is_an_error_not_a_traceback(tmp_path):
    pytest.importorskip("pyreadstat", reason="optional extra: pip install .[spss]")
    path = tmp_path / "wvs.sav"
    path.write_bytes(b"$FL2" + bytes(60))
    with pytest.raises(DataFileError, match=r"cannot be read as an SPSS file"):
        wvs.read_microdata(path, COUNTRIES)


# --- the publishers' raw files -----------------------------------------------------------------

def test_utf16_publisher_csv_says_to_save_as_utf8(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("table_id,value\n10001,5\n", encoding="utf-16")
    with pytest.raises(DataFileError) as err:
        read_rows(path, ["table_id"])
    assert str(err.value) == (f"file {path}: not UTF-8 text (it looks like UTF-16): save it as "
                              "UTF-8 CSV")


def test_latin1_byte_in_a_publisher_csv_names_its_row(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes("country,value\nNorway,1\nCôte d'Ivoire,2\n".encode("latin-1"))
    with pytest.raises(DataFileError, match=r"row 3: not UTF-8 text \(it looks like Latin-1 or "
                                            r"Windows-1252: byte 0xf4 is not UTF-8\)"):
        read_rows(path, ["country"])


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("country,value\nCôte d'Ivoire,2\n", encoding="utf-8-sig")
    header, rows = read_rows(path, ["country"])
    assert header == ["country", "value"] and rows[0][1]["country"] == "Côte d'Ivoire"


def test_text_file_named_xlsx_is_not_read_as_a_workbook(tmp_path):
    path = tmp_path / "CLASS.xlsx"
    path.write_text("Economy,Code\nAruba,ABW\n")
    with pytest.raises(DataFileError, match=r"not an Excel \.xlsx workbook \(it looks like "
                                            r"text\); download CLASS\.xlsx again"):
        worldbank.read_class(path)


def test_workbook_without_the_sheet_is_an_error(tmp_path):
    path = tmp_path / "CLASS.xlsx"
    pd.DataFrame({"x": [1]}).to_excel(path, sheet_name="Other", index=False)
    with pytest.raises(DataFileError, match=r"cannot read sheet 'Groups'"):
        worldbank.read_class_groups(path)


def test_openalex_archive_without_a_member_names_it(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("WrldCo2020.net", '*vertices 2\n1 "NA"\n2 "ZA"\n*arcs\n1 2 3\n')
    (tmp_path / openalex.ARCHIVE).write_bytes(buffer.getvalue())
    with pytest.raises(DataFileError, match=r"member WrldCo2020T\.vec missing from the archive"):
        openalex.read_archive(tmp_path)


def test_openalex_member_in_utf16_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("WrldCo2020.net", '*vertices 1\n1 "NA"\n*arcs\n'.encode("utf-16"))
    (tmp_path / openalex.ARCHIVE).write_bytes(buffer.getvalue())
    with pytest.raises(DataFileError, match=r"WrldCo2020\.net: not UTF-8 text \(it looks like "
                                            r"UTF-16\)"):
        openalex.read_archive(tmp_path)


@pytest.mark.parametrize(("head", "kind"), [
    (b"a,b\n1,2\n", None),
    ("naïve,b\n".encode(), None),
    (b"PK\x03\x04rest", "a zip archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0rest", "an old Excel .xls or other Office file"),
    (b"<stata_dta><header>", "a Stata .dta file"),
    (b"r\x02\x01\x00", "a Stata .dta file"),
    (b"$FL2@(#) SPSS", "an SPSS .sav file"),
    (b"\x1f\x8b\x08\x00", "a gzip-compressed file"),
])
def test_binary_kind_recognises_what_raw_files_get_confused_with(head, kind):
    assert binary_kind(head) == kind


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/tmp"])
def test_a_wvs_path_that_is_a_folder_or_device_is_called_so_not_missing_never_read(device):
    with pytest.raises(DataFileError,
                       match=r"not a regular file \(a folder, device, pipe or socket\)"):
        wvs.read_microdata(Path(device), COUNTRIES)


def test_missing_wvs_file_says_what_to_give(tmp_path):
    with pytest.raises(DataFileError, match=r"WVS respondent file not found; give the path of "
                                            r"your WVS wave-7 or time-series file") as err:
        wvs.read_microdata(tmp_path / "WVS.csv", COUNTRIES)
    assert err.value.path == str(tmp_path / "WVS.csv")
