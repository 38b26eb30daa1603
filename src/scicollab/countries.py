"""Match every source's country names and codes to ISO 3166 alpha-3, explicitly.

Nothing is dropped silently: a name either maps to an ISO3 code, is a known
aggregate (a region, an income group), or is listed in ``EXCLUDED`` with the reason.
Anything else raises an error that names the file, row and the name.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from .errors import DataFileError

# Source spellings that neither the World Bank nor ISO use; keys are normalised names.
ALIASES: dict[str, str] = {
    "south korea": "KOR",
    "north korea": "PRK",
    "korea": "KOR",
    "russia": "RUS",
    "iran": "IRN",
    "taiwan": "TWN",
    "vietnam": "VNM",
    "turkey": "TUR",
    "turkiye": "TUR",
    "egypt": "EGY",
    "czechia": "CZE",
    "czech republic": "CZE",
    "uk": "GBR",
    "laos": "LAO",
    "syria": "SYR",
    "venezuela": "VEN",
    "yemen": "YEM",
    "kyrgyzstan": "KGZ",
    "slovakia": "SVK",
    "brunei": "BRN",
    "macau": "MAC",
    "macao": "MAC",
    "hong kong": "HKG",
    "bolivia": "BOL",
    "tanzania": "TZA",
    "moldova": "MDA",
    "micronesia": "FSM",
    "micronesia federated states of": "FSM",
    "congo democratic republic of the": "COD",
    "democratic republic of the congo": "COD",
    "congo republic of the": "COG",
    "republic of the congo": "COG",
    "holy see vatican city": "VAT",
    "vatican city": "VAT",
    "cote divoire": "CIV",
    "cote d ivoire": "CIV",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "eswatini": "SWZ",
    "burma": "MMR",
    "myanmar": "MMR",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "saint kitts and nevis": "KNA",
    "saint lucia": "LCA",
    "saint vincent and the grenadines": "VCT",
    "east timor": "TLS",
    "timor leste": "TLS",
    "palestine": "PSE",
    "palestinian territories": "PSE",
    "west bank and gaza": "PSE",
    "kosovo": "XKX",
    "curacao": "CUW",
    "sao tome and principe": "STP",
    "bahamas": "BHS",
    "gambia": "GMB",
    "netherlands antilles": "ANT",
    # short forms readers type (a leading "The" is dropped by normalise: "The Gambia")
    "us": "USA",
    "u s": "USA",
    "u s a": "USA",
    "uae": "ARE",
    "britain": "GBR",
    "great britain": "GBR",
    "holland": "NLD",
    "drc": "COD",
    "dr congo": "COD",
    "d r congo": "COD",
    "congo kinshasa": "COD",
    "democratic republic of congo": "COD",
    "congo brazzaville": "COG",
    "republic of congo": "COG",
    "dprk": "PRK",
    "prc": "CHN",
    "ksa": "SAU",
    "bosnia": "BIH",
    "sao tome": "STP",
    "st kitts": "KNA",
    "saint kitts": "KNA",
    "st vincent": "VCT",
    "saint vincent": "VCT",
    "trinidad": "TTO",
    "antigua": "ATG",
    # the book's own prose names, and other usual spellings of the World Bank's names
    "republic of korea": "KOR",
    "korea south": "KOR",
    "us virgin islands": "VIR",
    "u s virgin islands": "VIR",
    "hong kong china": "HKG",
    "china hong kong sar": "HKG",
    "macau sar": "MAC",
    "macao sar": "MAC",
    "chinese taipei": "TWN",
    "myanmar burma": "MMR",
    "czech rep": "CZE",
    "slovak rep": "SVK",
    "kyrgyz rep": "KGZ",
    "congo republic of": "COG",
    "saudi": "SAU",
    "macedonia fyr": "MKD",
    "bosnia herzegovina": "BIH",
    "sint maarten": "SXM",
}

# Names a source reports that correspond to no single present-day economy, with the reason.
EXCLUDED: dict[str, str] = {
    "gaza strip": "part of PSE reported separately by NCSES; whole counts cannot be summed",
    "west bank": "part of PSE reported separately by NCSES; whole counts cannot be summed",
    "serbia and montenegro": "former union (to 2006); its successors are reported separately",
    "unassigned": "articles whose addresses NCSES could not assign to any economy",
}

# ISO 3166 alpha-2 codes that pycountry does not resolve, or resolves to a retired entity.
ISO2_EXTRA: dict[str, str] = {"XK": "XKX", "AN": "ANT"}


def normalise(name: str) -> str:
    """Fold a source's country label to a comparable key (entities, footnotes, years, accents,
    a leading "The"); the site's search boxes fold what readers type alike
    (:data:`sphinx_interactive.FOLD`)."""
    text = html.unescape(str(name))
    text = re.sub(r"<sup>.*?</sup>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\(\s*\d{4}\s*\)", "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("\u2019", "").replace("'", "")
    text = re.sub(r"[^a-zA-Z0-9]+", " ", text).strip().lower()
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", text))


def clean_label(name: str) -> str:
    """A source label as a reader should see it: entities decoded, footnotes and years removed."""
    text = html.unescape(str(name))
    text = re.sub(r"<sup>.*?</sup>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"\(\s*\d{4}\s*\)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def label_year(name: str) -> int | None:
    """The data year a source puts inside a label, e.g. ``Chile (2020)``; None if absent."""
    match = re.search(r"\(\s*(\d{4})\s*\)", html.unescape(str(name)))
    return int(match.group(1)) if match else None


def iso2_to_iso3(code: str) -> str | None:
    """ISO alpha-2 to alpha-3 (Kosovo's XK is XKX as the World Bank uses it)."""
    code = code.strip().upper()
    if code in ISO2_EXTRA:
        return ISO2_EXTRA[code]
    found = pycountry.countries.get(alpha_2=code)
    return found.alpha_3 if found else None


def iso3_to_iso2(code: str) -> str:
    """ISO alpha-3 to alpha-2, or '' where ISO has none."""
    reverse = {v: k for k, v in ISO2_EXTRA.items()}
    if code in reverse:
        return reverse[code]
    found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2 if found else ""


@dataclass
class CountryIndex:
    """Name → ISO3 lookup built from the World Bank list, ISO names and ``ALIASES``."""

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, economies: Iterable[tuple[str, str]] = ()) -> CountryIndex:
        """Index ISO names, then the given (name, iso3) pairs, then the explicit aliases."""
        index = cls()
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    index.names.setdefault(normalise(value), country.alpha_3)
        for name, iso3 in economies:
            index.names[normalise(name)] = iso3
        for key, iso3 in ALIASES.items():
            index.names[key] = iso3
        return index

    def lookup(self, name: str) -> str | None:
        """The ISO3 code for a name, or None when it is unknown or excluded."""
        key = normalise(name)
        if key in EXCLUDED:
            return None
        return self.names.get(key)

    def iso3(self, name: str, *, path: str | Path, row: int | str, column: str) -> str | None:
        """ISO3 for a country name; None for an excluded name; an error for an unknown one."""
        key = normalise(name)
        if key in EXCLUDED:
            return None
        if key in self.names:
            return self.names[key]
        raise DataFileError(
            path,
            f"no ISO3 code for country name {clean_label(name)!r}; add it to ALIASES "
            "(or EXCLUDED, with the reason) in src/scicollab/countries.py",
            row=row,
            column=column,
        )
