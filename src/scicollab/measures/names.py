"""How the book names economies: ISO3 codes as country names, and a region's members counted
in words."""

from __future__ import annotations

from .. import datasets


def names() -> dict[str, str]:
    """ISO3 → country name."""
    countries = datasets.countries()
    return dict(zip(countries["iso3"], countries["name"], strict=True))


def members_phrase(n: int, total: int, where: str) -> str:
    """'All 3 economies in USMCA', '5 of the 26 economies in the Low income group', 'None of
    the 8 economies in South Asia', 'The only economy in No Data Land'."""
    if total == 1:
        return f"The only economy in {where}"
    if n == total:
        return f"All {total} economies in {where}"
    if n == 0:
        return f"None of the {total} economies in {where}"
    return f"{n} of the {total} economies in {where}"
