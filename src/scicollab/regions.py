"""Named regions (World, World Bank income groups and regions, custom groups) as ISO3 sets."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from . import datasets
from .errors import ScicollabError, UnknownNameError
from .sources.worldbank import INCOME_GROUPS

LOW_AND_MIDDLE = "Low & middle income"
_FORBIDDEN = re.compile(r"[/\\\x00-\x1f]|\.\.")


@dataclass(frozen=True)
class Region:
    """A named set of countries."""

    name: str
    kind: str  # world | income | geographic | custom
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
    def in_prose(self) -> str:
        """The region as a sentence names it: 'the world', 'the Low income group', 'South Asia'."""
        if self.is_world:
            return "the world"
        return f"the {self.name} group" if self.kind == "income" else self.name

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.members


def slugify(name: str) -> str:
    """Lower-case, ASCII, hyphen-separated; safe as a folder name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")
    if not slug:
        raise ScicollabError(f"region name {name!r} gives an empty slug; use letters or digits")
    return slug


def check_name(name: str) -> str:
    """Refuse names that could escape a folder (slashes, '..', control characters)."""
    if not name or not name.strip():
        raise ScicollabError("region name is empty")
    if _FORBIDDEN.search(name):
        raise ScicollabError(f"region name {name!r} contains path characters ('/', '\\', '..' "
                             "or control characters); use a plain name such as 'South Asia'")
    return name.strip()


def _custom_groups() -> list[dict]:
    text = resources.files("scicollab").joinpath("regions.yml").read_text()
    return yaml.safe_load(text)["groups"]


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Region]:
    countries = datasets.countries()
    listed = countries[countries["in_world_bank_list"]]
    known = set(countries["iso3"])
    regions: dict[str, Region] = {
        "World": Region("World", "world", tuple(sorted(countries["iso3"])),
                        "Every economy with data"),
    }
    for group in INCOME_GROUPS:
        members = listed.loc[listed["income_group"] == group, "iso3"]
        regions[group] = Region(group, "income", tuple(sorted(members)),
                                "World Bank income group, FY2024")
    lmic = listed.loc[listed["income_group"].isin(INCOME_GROUPS[:3]), "iso3"]
    regions[LOW_AND_MIDDLE] = Region(LOW_AND_MIDDLE, "income", tuple(sorted(lmic)),
                                     "Low, lower-middle and upper-middle income, FY2024")
    for name in sorted(listed["region"].unique()):
        members = listed.loc[listed["region"] == name, "iso3"]
        regions[name] = Region(name, "geographic", tuple(sorted(members)),
                               "World Bank region")
    for group in _custom_groups():
        unknown = sorted(set(group["members"]) - known)
        if unknown:
            raise ScicollabError(f"custom region {group['name']!r} in regions.yml lists unknown "
                                 f"ISO3 codes: {', '.join(unknown)}")
        regions[group["name"]] = Region(group["name"], "custom", tuple(sorted(group["members"])),
                                        group.get("description", ""))
    return regions


def names(kind: str | None = None) -> list[str]:
    """Every region name (optionally of one kind), in catalogue order."""
    return [r.name for r in _catalogue().values() if kind is None or r.kind == kind]


def resolve(name: str) -> Region:
    """The region called ``name`` (case-insensitive); unknown names suggest the closest ones."""
    name = check_name(name)
    catalogue = _catalogue()
    by_fold = {key.casefold(): region for key, region in catalogue.items()}
    by_slug = {region.slug: region for region in catalogue.values()}
    found = by_fold.get(name.casefold()) or by_slug.get(name.casefold())
    if found:
        return found
    close = difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.5)
    folded = difflib.get_close_matches(name.casefold(), list(by_fold), n=3, cutoff=0.5)
    suggestions = list(dict.fromkeys(close + [by_fold[f].name for f in folded]))[:3]
    raise UnknownNameError("region", name, suggestions,
                           "Run `scicollab regions` for the full list.")


def custom(codes: list[str] | str, name: str) -> Region:
    """A region from a list of ISO3 codes; unknown codes are listed in the error."""
    name = check_name(name)
    if isinstance(codes, str):
        codes = [c for c in re.split(r"[,\s]+", codes) if c]
    members = sorted({c.strip().upper() for c in codes})
    if not members:
        raise ScicollabError("a custom region needs at least one ISO3 code")
    known = set(datasets.countries()["iso3"])
    unknown = [c for c in members if c not in known]
    if unknown:
        raise ScicollabError(f"unknown ISO3 codes for region {name!r}: {', '.join(unknown)} "
                             "(see data/countries.csv for valid codes)")
    if name.casefold() in {n.casefold() for n in names()}:
        raise ScicollabError(f"{name!r} is already a named region; choose another name")
    return Region(name, "custom", tuple(members), "Custom group given on the command line")


def members_table(region: Region):
    """The region's countries with names, regions and income groups."""
    countries = datasets.countries()
    return countries[countries["iso3"].isin(region.members)].reset_index(drop=True)
