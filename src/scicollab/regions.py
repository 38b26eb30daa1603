"""Named regions (World, World Bank income groups and regions, custom groups) as ISO3 sets."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from . import datasets
from .errors import ScicollabError, UnknownNameError, UsageError

# The World Bank's income groups (FY2024 classification), lowest first
INCOME_GROUPS = ("Low income", "Lower middle income", "Upper middle income", "High income")
LOW_AND_MIDDLE = "Low & middle income"
ECONOMY = "economy"


_THE_START = ("United ", "Russian ", "Dominican ", "Central African ", "Czech ", "Slovak ",
              "Kyrgyz ", "Syrian ", "Holy ")
_THE_NAMES = {"Netherlands", "Philippines", "Maldives", "Comoros", "Seychelles",
              "West Bank and Gaza"}
_THE_END = ", The"  # the World Bank's "Bahamas, The", "Gambia, The"
# The World Bank's inverted names as a sentence reads them (tables keep the World Bank's)
_IN_PROSE = {"Congo, Dem. Rep.": "the Democratic Republic of the Congo",
             "Congo, Rep.": "the Republic of the Congo", "Egypt, Arab Rep.": "Egypt",
             "Micronesia, Fed. Sts.": "the Federated States of Micronesia",
             "Iran, Islamic Rep.": "Iran", "Korea, Rep.": "the Republic of Korea",
             "Korea, Dem. People's Rep.": "the Democratic People's Republic of Korea",
             "Venezuela, RB": "Venezuela", "Yemen, Rep.": "Yemen",
             "Virgin Islands (U.S.)": "the U.S. Virgin Islands"}


def the_country(name: str) -> str:
    """A country name as a sentence reads it: 'the United States', 'the Netherlands', 'the
    Gambia' (the World Bank's 'Gambia, The'), 'the Republic of Korea' ('Korea, Rep.'),
    'Canada'."""
    if name in _IN_PROSE:
        return _IN_PROSE[name]
    if name.endswith(_THE_END):
        return f"the {name.removesuffix(_THE_END)}"
    if name.startswith(_THE_START) or name in _THE_NAMES or name.endswith(" Islands"):
        return f"the {name}"
    return name


@dataclass(frozen=True)
class Region:
    """A named set of countries."""

    name: str
    kind: str  # world | income | geographic | custom | economy
    members: tuple[str, ...]
    description: str = ""

    @property
    def slug(self) -> str:
        """A path-safe identifier, e.g. ``sub-saharan-africa``."""
        return slugify(self.name)

    @property
    def is_world(self) -> bool:
        """True for the whole world."""
        return self.kind == "world"

    @property
    def is_economy(self) -> bool:
        """True for a single economy (e.g. Kenya) taken as a region of its own."""
        return self.kind == ECONOMY

    @property
    def in_prose(self) -> str:
        """The region as a sentence names it: 'the world', 'the Low income group', 'South Asia',
        an economy with its article ('the United States', 'the Gambia', 'Kenya')."""
        if self.is_world:
            return "the world"
        if self.is_economy:
            return the_country(self.name)
        return f"the {self.name} group" if self.kind == "income" else self.name

    def __post_init__(self) -> None:
        check_name(self.name)  # every region's name is plain text, however it was made

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.members


def _fold_latin(text: str) -> str:
    """Latin letters without their accents ('Türkiye' → 'Turkiye'); other scripts unchanged."""
    decomposed = unicodedata.normalize("NFD", text)
    kept, previous = [], ""
    for char in decomposed:
        if unicodedata.combining(char) and previous.isascii():
            continue
        kept.append(char)
        previous = char
    return unicodedata.normalize("NFC", "".join(kept))


def slugify(name: str) -> str:
    """Lower case, hyphen-separated, accents of Latin letters dropped, letters of other scripts
    kept ('Türkiye' → 'turkiye', '東アジア' → '東アジア'); safe as a folder name."""
    text = _fold_latin(name.replace("&", " and ")).casefold()
    slug = re.sub(r"[\W_]+", "-", text).strip("-")
    if not slug:
        raise UsageError(f"region name {name!r} gives an empty slug; use letters or digits")
    return slug


MAX_NAME = 80
NAME_PUNCTUATION = "-'’.,&()"


def check_name(name: str) -> str:
    """A region name as given, trimmed, if it is safe to show and to store; else a clear refusal.

    A name may hold letters of any script, digits, spaces and the punctuation ``- ' ’ . , & ( )``,
    must start with a letter and be at most :data:`MAX_NAME` characters long. Everything that
    could be markup (``<``, backticks, braces, ``*``, ``_``, ``#``) or a path (``/``, ``..``) is
    refused, so a name is plain text wherever it appears: titles, headings, file names.
    """
    if not isinstance(name, str) or not name.strip():
        raise UsageError("region name is empty; give a name such as 'South Asia'")
    name = " ".join(name.strip(" ").split(" "))
    if len(name) > MAX_NAME:
        raise UsageError(f"region name is {len(name):,} characters long; the limit is "
                             f"{MAX_NAME}: give a shorter name")
    if ".." in name:
        raise UsageError(f"region name {name!r} contains '..' (path characters); use a "
                             "plain name such as 'South Asia'")
    bad = sorted({c for c in name if not _allowed(c)})
    if bad:
        shown = " ".join(repr(c) for c in bad[:5])
        raise UsageError(f"region name {name!r} contains {shown}: a name may hold letters, "
                             f"digits, spaces and {' '.join(NAME_PUNCTUATION)} only (no markup or "
                             "path characters)")
    if not unicodedata.category(name[0]).startswith("L"):
        raise UsageError(f"region name {name!r} must start with a letter")
    return name


def typographic(name: str) -> str:
    """A name with its straight quotes made curly, as Sphinx makes them in a page's text (its
    SmartQuotes transform, docutils' rules): for where a name is shown outside the pages, an
    edition's title (the sidebar, the browser tab) and its banner."""
    from docutils.utils.smartquotes import educateQuotes

    return educateQuotes(name, language="en")


def _allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return (category[0] in "LM" or category == "Nd" or char == " "
            or char in NAME_PUNCTUATION)


def _custom_groups() -> list[dict]:
    text = resources.files("scicollab").joinpath("regions.yml").read_text()
    return yaml.safe_load(text)["groups"]


def _countries() -> list[dict[str, str]]:
    """The countries table as rows of text: read without pandas, so that resolving a region
    (which every command does, a no-change rebuild included) starts fast."""
    return datasets.rows("countries")


def _listed(countries: list[dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in countries if row["in_world_bank_list"] == "True"]


def _codes(rows: list[dict[str, str]]) -> tuple[str, ...]:
    return tuple(sorted(row["iso3"] for row in rows))


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Region]:
    countries = _countries()
    listed = _listed(countries)
    known = {row["iso3"] for row in countries}
    regions: dict[str, Region] = {
        "World": Region("World", "world", _codes(countries), "Every economy with data"),
    }
    for group in INCOME_GROUPS:
        regions[group] = Region(group, "income",
                                _codes([r for r in listed if r["income_group"] == group]),
                                "World Bank income group, FY2024")
    lmic = [r for r in listed if r["income_group"] in INCOME_GROUPS[:3]]
    regions[LOW_AND_MIDDLE] = Region(LOW_AND_MIDDLE, "income", _codes(lmic),
                                     "Low, lower-middle and upper-middle income, FY2024")
    for name in sorted({row["region"] for row in listed}):
        regions[name] = Region(name, "geographic",
                               _codes([r for r in listed if r["region"] == name]),
                               "World Bank region")
    for group in _custom_groups():
        unknown = sorted(set(group["members"]) - known)
        if unknown:
            raise ScicollabError(f"custom region {group['name']!r} in regions.yml lists unknown "
                                 f"ISO3 codes: {', '.join(unknown)}")
        regions[group["name"]] = Region(group["name"], "custom", tuple(sorted(group["members"])),
                                        group.get("description", ""))
    return regions


@lru_cache(maxsize=1)
def _economies() -> dict[str, Region]:
    """Every economy of the World Bank's list as a one-member region, by ISO3 code."""
    listed = sorted(_listed(_countries()), key=lambda row: row["name"])
    return {row["iso3"]: Region(row["name"], ECONOMY, (row["iso3"],),
                                f"{row['income_group'] or 'Not classified'}; {row['region']}")
            for row in listed}


@lru_cache(maxsize=1)
def _economy_index():
    from .countries import CountryIndex

    return CountryIndex.build((r.name, code) for code, r in _economies().items())


# Names two economies go by: a reader who types one is asked which is meant
AMBIGUOUS: dict[str, tuple[str, str]] = {
    "congo": ("COD", "COG"),
}


def _ambiguous(name: str) -> None:
    from .countries import normalise

    codes = AMBIGUOUS.get(normalise(name))
    if codes:
        economies = _economies()
        choices = " or ".join(f"{economies[c].name!r} ({c})" for c in codes)
        raise UsageError(f"{name.strip()!r} may mean two economies: {choices}; give its full "
                         "name or ISO3 code")


def economy(name: str) -> Region | None:
    """The economy a name or ISO3 code means ('Kenya', 'KEN', 'South Korea', 'Türkiye',
    'turkey'; case and accents ignored), or None."""
    economies = _economies()
    code = name.strip().upper()
    if code in economies:
        return economies[code]
    found = _economy_index().lookup(name)
    return economies.get(found) if found else None


def search_names() -> dict[str, list[str]]:
    """For each economy's name, the other names a reader may type for it, as
    :func:`countries.normalise` folds them ('Korea, Rep.': 'kor', 'korea', 'korea republic
    of', 'south korea', ...): ISO's names, the common aliases and the ISO3 code, not a name two
    economies go by ('congo', :data:`AMBIGUOUS`). The search
    boxes of the site (the Regions table, each interactive figure) match these too."""
    economies = _economies()
    found: dict[str, set[str]] = {r.name: {code.lower()} for code, r in economies.items()}
    for key, code in _economy_index().names.items():
        if code in economies and key not in AMBIGUOUS:
            found[economies[code].name].add(key)
    return {name: sorted(keys) for name, keys in sorted(found.items())}


def economy_names() -> list[str]:
    """The names of every economy that can be a region, alphabetically."""
    return [r.name for r in _economies().values()]


def names(kind: str | None = None) -> list[str]:
    """Every region name (optionally of one kind), in catalogue order."""
    return [r.name for r in _catalogue().values() if kind is None or r.kind == kind]


def resolve(name: str | Region) -> Region:
    """The region called ``name`` (case-insensitive); unknown names suggest the closest ones.

    A :class:`Region` is returned as it is, so a chapter accepts a region or its name."""
    if isinstance(name, Region):
        return name
    if not isinstance(name, str):
        raise UsageError(f"a region name must be text, not {type(name).__name__} "
                             f"({name!r}); give a name such as 'South Asia'")
    name = check_name(name)
    catalogue = _catalogue()
    by_fold = {key.casefold(): region for key, region in catalogue.items()}
    by_slug = {region.slug: region for region in catalogue.values()}
    found = by_fold.get(name.casefold()) or by_slug.get(name.casefold())
    if found:
        return found
    _ambiguous(name)
    found = economy(name)
    if found:
        return found
    everything = {**by_fold, **{r.name.casefold(): r for r in _economies().values()}}
    close = difflib.get_close_matches(name.casefold(), list(everything), n=3, cutoff=0.6)
    suggestions = [everything[key].name for key in close]
    raise UnknownNameError("region", name, suggestions,
                           "Run `scicollab regions` for the named regions; any economy can "
                           "be given by name or ISO3 code.")


def custom(codes: list[str] | str, name: str) -> Region:
    """A region from a list of ISO3 codes; unknown codes are listed in the error."""
    name = check_name(name)
    if isinstance(codes, str):
        codes = [c for c in re.split(r"[,\s]+", codes) if c]
    members = sorted({c.strip().upper() for c in codes})
    if not members:
        raise UsageError("a custom region needs at least one ISO3 code")
    known = {row["iso3"] for row in _countries()}
    unknown = [c for c in members if c not in known]
    if unknown:
        raise UsageError(f"unknown ISO3 codes for region {name!r}: {', '.join(unknown)} "
                             "(see data/countries.csv for valid codes)")
    if name.casefold() in {n.casefold() for n in names()}:
        raise UsageError(f"{name!r} is already a named region; choose another name")
    if economy(name) is not None:
        raise UsageError(f"{name!r} names the economy {economy(name).name}; choose "
                             "another name for a group of countries")
    return Region(name, "custom", tuple(members), "Custom group given on the command line")


def from_parameters(name: str, members: str = "") -> Region:
    """The region a chapter's parameters name: ``members`` (ISO3 codes, comma-separated) makes
    a custom region called ``name``; without them ``name`` is resolved."""
    return custom(members, name) if members else resolve(name)


def as_parameters(region: Region) -> dict[str, str]:
    """The chapter parameters that name ``region``: its name, and for a custom group given by
    its ISO3 codes (not a named region or an economy) its members."""
    named = region.kind != "custom" or region.name in names()
    return {"region": region.name, "members": "" if named else ",".join(region.members)}


def members_table(region: Region):
    """The region's countries with names, regions and income groups."""
    countries = datasets.countries()
    return countries[countries["iso3"].isin(region.members)].reset_index(drop=True)
