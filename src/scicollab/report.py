"""Helpers the chapters share: publishing numbers through glue (a chapter's typed ``Numbers``),
and wording them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from . import datasets, paths, regions, run_context
from .models import ALPHA


def plain(value):
    """A glue-safe value: numpy scalars become Python ints and floats (glue cannot show numpy)."""
    if isinstance(value, np.integer | bool):
        return int(value) if not isinstance(value, bool) else value
    if isinstance(value, np.floating):
        return float(value)
    return value


def glue_value(key: str, value: object) -> None:
    """Glue one value: numbers as plain numbers ({glue:text}), text as Markdown ({glue:md})."""
    from IPython.display import Markdown

    run_context.glue(key, Markdown(value) if isinstance(value, str) else plain(value))


def glue_all(numbers: Mapping[str, object]) -> None:
    """Glue every number for the prose, and keep them for the run's ``numbers.json``."""
    for key, value in numbers.items():
        glue_value(key, value)
    run_context.record_numbers({k: plain(v) for k, v in numbers.items()})


@dataclasses.dataclass
class Numbers:
    """A chapter's numbers for the prose, as a dataclass: each field is glued as
    ``<PREFIX>_<field>`` (see :func:`glued`); subclasses declare ``PREFIX`` once."""

    PREFIX: ClassVar[str] = ""

    def as_dict(self) -> dict[str, object]:
        """The glue keys and values (as :func:`glued` gives them)."""
        return glued(self)


def glued(numbers: Numbers) -> dict[str, object]:
    """Every field of a chapter's numbers under its glue key, ``<PREFIX>_<field>``.

    A field holding a dataclass (a group of related numbers) gives ``<PREFIX>_<field>_<its
    field>``; a trailing underscore, which lets a field be named like a Python keyword
    (``with_``), is not part of the key; a field left at None is not glued (the chapter has no
    value for it)."""
    if not numbers.PREFIX:
        raise ValueError(f"{type(numbers).__name__} declares no PREFIX")
    out: dict[str, object] = {}
    _flatten(numbers, numbers.PREFIX, out)
    return out


def _flatten(group: object, prefix: str, out: dict[str, object]) -> None:
    for f in dataclasses.fields(group):
        value = getattr(group, f.name)
        key = f"{prefix}_{f.name.removesuffix('_')}"
        if value is None:
            continue
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            _flatten(value, key, out)
        elif key in out:
            raise ValueError(f"two fields of {type(group).__name__} give the glue key {key}")
        else:
            out[key] = value


@dataclasses.dataclass
class SlopeNumbers:
    """One fitted slope for the prose (a chapter's ``<prefix>_<name>_*`` keys): economies, the
    estimate with its interval, p and the model's R²."""

    n: int
    slope: float
    low: float
    high: float
    p: float
    r2: float


def glue_results(numbers: Numbers) -> None:
    """Glue a chapter's numbers (every field, as :func:`glued` names it) for the prose, and
    keep them for the run's ``numbers.json``, as :func:`glue_all` does."""
    glue_all(glued(numbers))


# The significance level that matches the book's confidence intervals, as the prose says it.
LEVEL = f"at the {round(100 * ALPHA)}% level"

# Below this many economies with data, sentences and tables name each one's value instead of
# summarising them by a median.
MIN_FOR_MEDIAN = 5

def possessive(name: str) -> str:
    """'Kenya's', 'the United States'', 'the Philippines'': a name ending in s takes the
    apostrophe alone."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def name_list(names, empty: str = "none") -> str:
    """'A', 'A and B', 'A, B and C'; semicolons between names when one holds a comma (as in
    'Korea, Rep.'); ``empty`` when there are none."""
    names = [str(n) for n in names]
    if not names:
        return empty
    if len(names) == 1:
        return names[0]
    separator = "; " if any("," in n for n in names) else ", "
    return separator.join(names[:-1]) + " and " + names[-1]


def capitalised(text: str) -> str:
    """The text with its first letter in upper case (the rest unchanged)."""
    return text[:1].upper() + text[1:]


def p_text(p: float) -> str:
    """A p-value as the prose gives it: 'p = 0.042', 'p < 0.001'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:z.3f}"


def dollars(value: float) -> str:
    """US dollars as prose says them, to three significant figures: 'US$1.21 billion',
    'US$46.3 million', 'US$850,000' (a value that rounds up to the next word takes it)."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale * 0.9995:
            return f"US${value / scale:z.3g} {word}"
    return f"US${float(f'{value:.3g}'):z,.0f}"


def against_line(gap: float, spread: float, line: str, compared: str, typical: str) -> str:
    """Where one point sits against a fitted line, in words: ``gap`` (its value minus the
    line's, in points), judged against ``spread`` (the residuals' standard deviation). Within
    one standard deviation the point is about what the line predicts (``typical``); beyond it,
    'a larger' or 'a smaller' ``compared``."""
    side = "above" if gap > 0 else "below"
    if abs(gap) < spread:
        return (f"{abs(gap):z.1f} points {side} {line}, within the usual scatter about it (a "
                f"standard deviation of {spread:z.1f} points): about {typical}")
    return (f"{abs(gap):z.1f} points {side} {line}, beyond the usual scatter about it (a "
            f"standard deviation of {spread:z.1f} points): "
            f"a {'larger' if gap > 0 else 'smaller'} {compared}")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'no economies', '1 economy', '3 economies': a number with its noun in the right form.

    The plural is ``plural`` if given, else the noun with 's' (or 'y' → 'ies')."""
    n = int(n)
    if n == 1:
        return f"1 {noun}"
    many = plural or (noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou"
                      else noun + "s")
    return f"no {many}" if n == 0 else f"{n:,} {many}"


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def chapter_setup(region_name: str, members: str = "") -> regions.Region:
    """The chapter's region (named, or custom with ``members``), with the figure style applied;
    the first call of a chapter."""
    from IPython import get_ipython

    from . import offline
    from .figures import apply_style

    offline.install_if_requested()
    apply_style()
    if run_context.dpi() is not None:
        import matplotlib.pyplot as plt

        plt.rcParams["savefig.dpi"] = run_context.dpi()
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")
    region = regions.from_parameters(region_name, members)
    from .models import CONFIDENCE

    glue_all({"region_name": region.name, "data_version": datasets.data_version(),
              "ci_level": CONFIDENCE})
    return region


def publish_figure(key: str, fig, spec, data) -> None:
    """Save a figure's files (PNG, SVG, CSV, JSON), glue the PNG and the caption, and close it.

    The page shows the PNG file just written (at the house screen size), so a figure is drawn
    for its two files only, not a third time for the page. A figure drawn exactly like one this
    process saved before (the GERD calibration in every region, an economy's chart drawn as
    the world's) is not rendered again (see :mod:`scicollab.drawings`).
    """
    import matplotlib.pyplot as plt

    from .figures import page_image, save

    with run_context.timed("saving figures"):
        files = save(fig, spec, data)
    run_context.glue(key, page_image(files["png"]))
    glue_value(f"{key}-caption", spec.full_caption)
    plt.close(fig)


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+!|~$"})


def escape(text: object) -> str:
    """Text safe inside a Markdown table cell or a MyST paragraph: markup characters are
    backslash-escaped and line breaks become spaces, so data can never become markup."""
    return " ".join(str(text).split()).translate(_MARKDOWN_SPECIAL)


def markdown_table(frame, columns: Mapping[str, str], *, escaped: bool = False) -> str:
    """A Markdown table of the given columns (name → header); empty cells show as '–'.

    With ``escaped`` every cell is passed through :func:`escape` (for cells that hold data, such
    as names, rather than Markdown the book wrote)."""
    header = "| " + " | ".join(columns.values()) + " |"
    rule = "|" + "---|" * len(columns)
    rows = [header, rule]
    for record in frame[list(columns)].itertuples(index=False):
        cells = ["–" if str(value).strip() in ("", "nan", "None") else
                 (escape(value) if escaped else str(value)) for value in record]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


STACKED = "scicollab-stacked"  # the class of a table whose rows read as cards on a phone


def stacked(table: str) -> str:
    """A Markdown table whose rows read as cards on a phone, each cell under its column's
    name (``book/_static/stacked-tables.js`` names the cells, ``scicollab.css`` stacks them):
    for a table of sentences, whose columns a phone cannot show side by side."""
    return f":::{{container}} {STACKED}\n{table}\n:::"


LONG_TABLE = 15  # rows: a longer table starts folded, behind its title


def collapsible(title: str, table: str) -> str:
    """A Markdown table inside a MyST dropdown titled ``title``, open when the table is short,
    folded when it is long (its rows sortable either way); nothing for an empty table."""
    rows = max(0, len(table.splitlines()) - 2)
    if not rows:
        return ""
    fence = "::::"
    option = ":open:\n" if rows <= LONG_TABLE else ""
    return f"{fence}{{dropdown}} {title} ({count(rows, 'row')})\n{option}\n{table}\n{fence}"


def members_are(region: regions.Region) -> str:
    """'Kenya is' for an economy, 'Economies in South Asia are' for a group: the start of a
    caption's sentence on how the region is marked."""
    if region.is_economy:
        return f"{capitalised(region.in_prose)} is"
    return f"Economies in {region.in_prose} are"


def shows_members(region: regions.Region, data) -> bool:
    """Whether a figure of economies marks the region's members: the region is not the world
    and one of its members is among the rows plotted (``data``, with an ``in_region`` column).
    A region none of whose members is plotted is drawn as the world's figure is, and its
    caption says so (:func:`marked`)."""
    return not region.is_world and bool(data["in_region"].any())


def marked(region: regions.Region, shown: bool, how: str) -> str:
    """The caption's sentence on a region in a figure of economies: how its members are marked
    (' Kenya is in vermillion.'), or that none of them is among the economies shown (' Kenya
    is not among them.', ' No member of South Asia is among them.'); nothing for the world."""
    if region.is_world:
        return ""
    if shown:
        return f" {members_are(region)} {how}."
    if region.is_economy:
        return f" {capitalised(region.in_prose)} is not among them."
    return f" No member of {region.in_prose} is among them."


def marked_and_named(region: regions.Region, shown: bool, how: str,
                     largest: str = "the largest producers") -> str:
    """A scatter caption's sentences on how the region's members are marked (see
    :func:`marked`) and which points carry names: the members when the figure marks them
    (``shown``, see :func:`shows_members`), else ``largest`` and clear outliers. One sentence
    for an economy: ' Kenya is named and outlined.'"""
    from .figures import MAX_LABELS

    if shown and region.is_economy:
        return f" {capitalised(region.in_prose)} is named and {how}."
    if shown:
        return (marked(region, shown, how)
                + f" The selected region's members are named (up to {MAX_LABELS}).")
    return marked(region, shown, how) + f" {capitalised(largest)} and clear outliers are named."


def framed(region: regions.Region) -> str:
    """A map caption's sentence on the region it is framed on: ' The map is framed on South
    Asia, its members outlined.', ' The map is framed on Kenya, outlined.'; nothing for the
    world."""
    if region.is_world:
        return ""
    if region.is_economy:
        return f" The map is framed on {region.in_prose}, outlined."
    return f" The map is framed on {region.in_prose}, its members outlined."


def its_members(region: regions.Region) -> str:
    """'the members of South Asia'; for an economy, the economy itself."""
    return region.in_prose if region.is_economy else f"the members of {region.in_prose}"


def book_table(name: str):
    """A committed table of the source documents' arguments (``book/tables/<name>``), every
    cell as text."""
    import pandas as pd

    return pd.read_csv(paths.book_table(name), keep_default_na=False)


def csv_table(name: str, columns: Mapping[str, str]) -> str:
    """A committed table (``book/tables/<name>``) rendered as Markdown with the given columns."""
    return markdown_table(book_table(name), columns)
