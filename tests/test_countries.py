"""Country names and codes from every source map to ISO3 explicitly."""

import pytest

from scicollab import datasets
from scicollab.countries import (
    EXCLUDED,
    clean_label,
    iso2_to_iso3,
    iso3_to_iso2,
    label_year,
    normalise,
)
from scicollab.errors import DataFileError


def test_normalise_strips_entities_footnotes_and_years():
    assert normalise("C&#244;te d&#8217;Ivoire<sup>a</sup>") == "cote divoire"
    assert normalise("United States (2019)<sup>a</sup>") == "united states"
    assert normalise("Bahamas, The") == "bahamas the"
    assert normalise("The Bahamas") == normalise("the  bahamas") == "bahamas"


def test_label_year_and_clean_label():
    assert label_year("Chile (2020)") == 2020
    assert label_year("Chile") is None
    assert clean_label("Gaza Strip<sup>c</sup>") == "Gaza Strip"


def test_source_spellings_resolve(index):
    for name, iso3 in [("South Korea", "KOR"), ("Russia", "RUS"), ("Taiwan", "TWN"),
                       ("C&#244;te d&#8217;Ivoire", "CIV"), ("Czechia", "CZE"),
                       ("Congo, Democratic Republic of the", "COD"), ("UK ", "GBR")]:
        assert index.lookup(name) == iso3, name


def test_excluded_names_are_not_countries_and_say_why(index):
    assert index.iso3("Gaza Strip<sup>c</sup>", path="f.csv", row=3, column="c") is None
    assert EXCLUDED, "the exclusions are listed"
    for name, reason in EXCLUDED.items():
        assert index.iso3(name, path="f.csv", row=3, column="c") is None
        assert isinstance(reason, str) and reason.strip(), f"{name!r} has no reason"
    assert datasets.manifest()["excluded_names"] == EXCLUDED  # the reasons reach the data


def test_unknown_country_name_names_file_row_and_column(index):
    with pytest.raises(DataFileError) as error:
        index.iso3("Freedonia", path="table.csv", row=7, column="label")
    message = str(error.value)
    assert "table.csv" in message and "row 7" in message and "'label'" in message
    assert "Freedonia" in message and "ALIASES" in message


def test_iso2_conversions_include_kosovo_and_namibia():
    assert iso2_to_iso3("XK") == "XKX"
    assert iso2_to_iso3("NA") == "NAM"
    assert iso3_to_iso2("NAM") == "NA"
    assert iso2_to_iso3("ZZ") is None
