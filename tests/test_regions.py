"""Regions resolve to ISO3 sets; bad names get helpful errors."""

import pytest
import yaml

from scicollab import regions
from scicollab.errors import ScicollabError, UnknownNameError, UsageError


def test_named_region_kinds_are_all_present():
    assert "World" in regions.names("world")
    assert regions.names("income")[:4] == ["Low income", "Lower middle income",
                                            "Upper middle income", "High income"]
    assert "Sub-Saharan Africa" in regions.names("geographic")
    assert {"USMCA", "EU27"} <= set(regions.names("custom"))


def test_usmca_is_usa_canada_mexico():
    assert regions.resolve("USMCA").members == ("CAN", "MEX", "USA")


def test_resolve_is_case_insensitive_and_accepts_slugs():
    assert regions.resolve("sub-saharan africa").name == "Sub-Saharan Africa"
    assert regions.resolve("high-income").name == "High income"


def test_unknown_region_suggests_closest_name():
    with pytest.raises(UnknownNameError) as error:
        regions.resolve("Sub Saharan Afrika")
    assert "Sub-Saharan Africa" in error.value.suggestions
    assert "scicollab regions" in str(error.value)


@pytest.mark.parametrize("name", ["../etc", "a/b", "a\\b", "x\x00y", "tab\there", "line\nbreak",
                                  "<img src=x onerror=alert(1)> X", "{doc}`x`", "a `code`",
                                  "*bold*", "snake_case", "# heading", "a\u202eb"])
def test_names_that_are_not_plain_text_are_refused(name):
    with pytest.raises(ScicollabError, match="path characters"):
        regions.resolve(name)


@pytest.mark.parametrize("name", ["1st group", "- list", "(x)"])
def test_names_must_start_with_a_letter(name):
    with pytest.raises(ScicollabError, match="must start with a letter"):
        regions.check_name(name)


def test_long_names_are_refused_before_anything_else():
    with pytest.raises(ScicollabError, match="10,000 characters long; the limit is 80"):
        regions.check_name("A" * 10_000)


@pytest.mark.parametrize(("name", "slug"), [("東アジア", "東アジア"), ("Türkiye", "turkiye"),
                                            ("Côte d’Ivoire", "cote-d-ivoire"),
                                            ("Low & middle income", "low-and-middle-income")])
def test_names_in_any_script_are_accepted_and_slugs_stay_path_safe(name, slug):
    assert regions.check_name(name) == name
    assert regions.slugify(name) == slug
    assert "/" not in slug and ".." not in slug


@pytest.mark.parametrize(("given", "iso3"), [
    ("Kenya", "KEN"), ("KEN", "KEN"), ("ken", "KEN"), ("South Korea", "KOR"),
    ("Turkey", "TUR"), ("Türkiye", "TUR"), ("turkiye", "TUR"), ("Cote d'Ivoire", "CIV"),
    ("united states", "USA"), ("The Gambia", "GMB"), ("the Netherlands", "NLD"),
    ("DR Congo", "COD"), ("DRC", "COD"), ("Congo (Kinshasa)", "COD"),
    ("Congo-Brazzaville", "COG"), ("US", "USA"), ("U.S.", "USA"), ("UAE", "ARE"),
    ("Great Britain", "GBR"), ("Holland", "NLD"), ("DPRK", "PRK")])
def test_any_economy_is_a_region_by_name_alias_or_iso3(given, iso3):
    region = regions.resolve(given)
    assert region.members == (iso3,)
    assert region.is_economy


def test_every_economy_is_found_by_the_name_the_book_gives_it_in_prose():
    # "the Republic of Korea", as the pages call Korea, Rep., was refused on the command line
    for name in regions.economy_names():
        economy = regions.resolve(name)
        assert regions.resolve(economy.in_prose).members == economy.members, economy.in_prose


@pytest.mark.parametrize("given", ["Congo", " congo ", "the Congo"])
def test_a_name_two_economies_go_by_asks_which_is_meant(given):
    # "Congo" resolved silently to the Republic of the Congo, never to the larger DR Congo
    with pytest.raises(UsageError, match=r"may mean two economies: 'Congo, Dem\. Rep\.' "
                                         r"\(COD\) or 'Congo, Rep\.' \(COG\)"):
        regions.resolve(given)
    assert not [n for n, other in regions.search_names().items() if "congo" in other], \
        "nor does a search box take it for one of them"


def test_a_custom_group_may_not_take_an_economys_name():
    with pytest.raises(ScicollabError, match="names the economy Kenya"):
        regions.custom(["USA", "CAN"], "Kenya")


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_names_are_refused_as_empty(name):
    with pytest.raises(ScicollabError, match=r"^region name is empty"):
        regions.resolve(name)


def test_income_groups_partition_the_classified_economies():
    groups = [set(regions.resolve(n).members) for n in regions.names("income")[:4]]
    union = set().union(*groups)
    assert sum(len(g) for g in groups) == len(union)
    assert set(regions.resolve("Low & middle income").members) == union - set(
        regions.resolve("High income").members)


def test_custom_region_validates_codes_and_slug():
    region = regions.custom("usa, can,MEX", "North American partners")
    assert region.members == ("CAN", "MEX", "USA")
    assert region.slug == "north-american-partners"
    with pytest.raises(ScicollabError, match="XYZ, ZZZ"):
        regions.custom(["USA", "XYZ", "ZZZ"], "Bad group")
    with pytest.raises(ScicollabError, match="path characters"):
        regions.custom(["USA"], "../escape")


def test_prose_names_the_world_as_the_world_and_other_regions_by_name():
    assert regions.resolve("World").in_prose == "the world"
    assert regions.resolve("south asia").in_prose == "South Asia"
    # an economy with its article: "What it means for United States", "framed on Bahamas, The"
    assert regions.resolve("United States").in_prose == "the United States"
    assert regions.resolve("Bahamas").in_prose == "the Bahamas"
    assert regions.resolve("Kenya").in_prose == "Kenya"


@pytest.fixture
def fresh_catalogue():
    """Rebuild the region catalogue before and after a test that changes its inputs."""
    regions._catalogue.cache_clear()
    yield
    regions._catalogue.cache_clear()


def test_regions_yml_with_an_unknown_code_names_the_group_and_the_codes(
        monkeypatch, fixtures, fresh_catalogue):
    listing = fixtures / "regions" / "unknown_code.yml"
    monkeypatch.setattr(regions, "_custom_groups",
                        lambda: yaml.safe_load(listing.read_text())["groups"])
    expected = r"'Atlantis pact' in regions\.yml lists unknown ISO3 codes: XAB, XAT$"
    with pytest.raises(ScicollabError, match=expected):
        regions.names()


@pytest.mark.parametrize("codes", [[], "", " , ,"])
def test_custom_region_without_codes_is_refused(codes):
    with pytest.raises(ScicollabError, match="needs at least one ISO3 code"):
        regions.custom(codes, "Nobody")


@pytest.mark.parametrize("name", ["!!!", "---", "…"])
def test_name_without_letters_or_digits_has_no_slug(name):
    with pytest.raises(ScicollabError, match="gives an empty slug"):
        regions.slugify(name)
    with pytest.raises(ScicollabError, match=r"must start with a letter|a name may hold"):
        regions.Region(name, "custom", ("USA",))


def test_an_economy_without_an_income_group_is_described_as_not_classified():
    venezuela = regions.resolve("VEN")
    assert venezuela.description == "Not classified; Latin America & Caribbean"
    assert all("nan" not in regions.resolve(code).description.split("; ")
               for code in regions.resolve("World").members if regions.economy(code))


def test_country_names_read_as_sentences_write_them():
    assert regions.the_country("United States") == "the United States"
    assert regions.the_country("Netherlands") == "the Netherlands"
    assert regions.the_country("Solomon Islands") == "the Solomon Islands"
    assert regions.the_country("Canada") == "Canada"
    assert regions.the_country("Gambia, The") == "the Gambia"
    assert regions.the_country("Korea, Rep.") == "the Republic of Korea"
    assert regions.the_country("Venezuela, RB") == "Venezuela"
    assert regions.resolve("South Korea").in_prose == "the Republic of Korea"


def test_every_economy_can_be_searched_by_its_other_names():
    names = regions.search_names()
    assert set(names) == set(regions.economy_names())
    assert {"south korea", "korea", "kor"} <= set(names["Korea, Rep."])
    assert {"turkey", "tur"} <= set(names["Türkiye"])
    from scicollab.sphinx_interactive import names_script

    script = names_script()
    assert script.startswith("window.scicollabNames = {") and script == names_script()
