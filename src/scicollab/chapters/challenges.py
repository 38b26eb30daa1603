"""Challenges: how unequal R&D spending is, and the US–China link as a geopolitical signal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, panels, regions
from ..figures import OKABE_ITO, FigureSpec
from ..measures import openalex
from ..measures.names import names
from ..measures.spending import gini, latest_gerd, lorenz, top_share
from ..panels import economy_sentence
from ..regions import Region, the_country
from ..report import (
    Numbers,
    capitalised,
    count,
    csv_table,
    markdown_table,
    marked,
    shows_members,
)

WINDOW = panels.WINDOW  # each economy's latest GERD in US$ within these years (shared panel)
TABLE = "challenges-consequences.csv"


@dataclass
class ChallengesNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``ch_<field>``."""

    PREFIX: ClassVar[str] = "ch"
    window_start: int
    window_end: int
    economies: int
    gini: float
    top2_share: float
    top10_share: float
    top2_names: str
    bottom_half_share: float
    uscn_peak_year: int
    uscn_last_year: int
    uscn_change: float
    scope: str
    missing_text: str
    uscn_change_text: str
    table: str
    uscn_context: str
    region_sentence: str
    income_table: str
    ppp_sentence: str
    link_verdict: str
    link_verdict_sentence: str


@dataclass
class Challenges:
    """What the chapter shows for one region."""

    region: Region
    gerd: pd.DataFrame
    numbers: ChallengesNumbers | None = None


def analyse(region_name: str) -> Challenges:
    """Concentration of R&D spending, the region's share of it, and the US–China trend."""
    region = regions.resolve(region_name)
    gerd = latest_gerd()
    label = names()
    gerd = gerd.assign(in_region=gerd["iso3"].isin(region.members), name=gerd["iso3"].map(label))
    us_china, _ = openalex.us_china()
    peak = us_china.loc[us_china["works"].idxmax()]
    last = us_china.iloc[-1]
    countries = datasets.countries()
    listed = countries[countries["in_world_bank_list"]]
    link = openalex.link_verdict(openalex.link_test())
    result = Challenges(region, gerd)
    result.numbers = ChallengesNumbers(
        window_start=WINDOW[0], window_end=WINDOW[1],
        economies=len(gerd), gini=gini(gerd["gerd_usd"]),
        top2_share=100 * top_share(gerd, 2), top10_share=100 * top_share(gerd, 10),
        top2_names=" and ".join(the_country(label[c]) for c in gerd["iso3"].head(2)),
        bottom_half_share=100 * float(
            gerd["gerd_usd"].nsmallest(len(gerd) // 2).sum() / gerd["gerd_usd"].sum()),
        uscn_peak_year=int(peak["year"]), uscn_last_year=int(last["year"]),
        uscn_change=float(100 * (last["works"] / peak["works"] - 1)),
        scope=("how the income groups share it" if region.is_world
               else f"where {region.in_prose} sits in it"),
        missing_text=_missing_text(listed, gerd),
        uscn_change_text=(f"{100 * (1 - last['works'] / peak['works']):z.1f}% below that peak"
                          if last["year"] != peak["year"] else "at that peak"),
        table=_table_markdown(),
        uscn_context=_context_sentence(int(peak["year"]), int(last["year"]),
                                       float(last["works"] / peak["works"] - 1)),
        region_sentence=region_sentence(region, gerd),
        income_table=income_markdown(income_split(gerd)) if region.is_world else "",
        ppp_sentence=ppp_sentence(ppp_test()),
        link_verdict=link.verdict, link_verdict_sentence=link.sentence)
    return result


def share_text(percent: float) -> str:
    """A percentage to one decimal; 'less than 0.1%' when a positive share rounds to zero."""
    return "less than 0.1%" if 0 < percent < 0.05 else f"{percent:z.1f}%"


def region_sentence(region: Region, gerd: pd.DataFrame) -> str:
    """The region's share of reported R&D spending against its share of reporting economies;
    for the world, the same by income group (the world's share of itself says nothing)."""
    total, reporting = gerd["gerd_usd"].sum(), len(gerd)
    if region.is_economy:
        return economy_text(region, gerd)
    if region.is_world:
        table = income_split(gerd)
        top = table.sort_values("spending_share", ascending=False).iloc[0]
        return (f"By World Bank income group (table below), the {top['income_group']} group "
                f"makes up {share_text(top['economies_share'])} of the reporting economies and "
                f"accounts for {share_text(top['spending_share'])} of their spending.")
    members = gerd[gerd["in_region"]]
    if members.empty:
        return (f"None of the economies in {region.in_prose} has a GERD figure for "
                f"{WINDOW[0]}–{WINDOW[1]}, so its share of the spending is unknown.")
    share = 100 * members["gerd_usd"].sum() / total
    who = (f"{members['name'].iloc[0]}, the only economy of {region.in_prose} with a figure, "
           "accounts" if len(members) == 1 else
           f"The {len(members)} economies of {region.in_prose} with a figure together account")
    return (f"{who} for {share_text(share)} of the combined spending of the {reporting} "
            f"reporting economies, while making up {share_text(100 * len(members) / reporting)} "
            "of them.")


def income_split(gerd: pd.DataFrame) -> pd.DataFrame:
    """Per income group: reporting economies, their share of the reporting economies and of the
    combined spending (percent), largest spender first."""
    groups = gerd.assign(income_group=gerd["iso3"].map(
        panels.economies().set_index("iso3")["income_group"]))
    table = groups.groupby("income_group").agg(economies=("iso3", "size"),
                                               spending=("gerd_usd", "sum")).reset_index()
    table["economies_share"] = 100 * table["economies"] / len(gerd)
    table["spending_share"] = 100 * table["spending"] / gerd["gerd_usd"].sum()
    return table.sort_values("spending", ascending=False).reset_index(drop=True)


def income_markdown(table: pd.DataFrame) -> str:
    """The income-group split as a table."""
    shown = table.assign(economies_share=table["economies_share"].map(share_text),
                         spending_share=table["spending_share"].map(share_text))
    return markdown_table(shown, {"income_group": "Income group",
                                  "economies": "Reporting economies",
                                  "economies_share": "Share of reporting economies",
                                  "spending_share": "Share of their R&D spending"})


def economy_text(region: Region, gerd: pd.DataFrame) -> str:
    """One economy's share of the world's reported R&D spending, and its ranks."""
    iso3 = region.members[0]
    name = region.in_prose
    mine = gerd[gerd["iso3"] == iso3]
    if mine.empty:
        return (f"{capitalised(name)} has no GERD figure for {WINDOW[0]}–{WINDOW[1]}, so its "
                "share of the spending is unknown.")
    share = 100 * mine["gerd_usd"].iloc[0] / gerd["gerd_usd"].sum()
    return (f"{capitalised(name)} accounts for {share_text(share)} of the combined spending of "
            f"the {len(gerd)} reporting economies. "
            + economy_sentence(iso3, ["gerd_usd", "gerd_pct_gdp"]))


def ppp_test() -> dict:
    """Tests the caveat that spending would be less concentrated in purchasing-power terms:
    the Gini coefficient of GERD in PPP dollars (NCSES) and in current US$ over the same
    economies, each economy's latest PPP figure within the shared window."""
    ppp = datasets.latest_in_window(datasets.load("gerd_ppp"), "gerd_ppp_bn", *WINDOW)
    usd = latest_gerd()
    both = ppp.merge(usd, on="iso3", suffixes=("_ppp", "_usd"))
    if len(both) < 3:
        return {"n": len(both), "ppp": float("nan"), "usd": float("nan")}
    return {"n": len(both), "ppp": gini(both["gerd_ppp_bn"]), "usd": gini(both["gerd_usd"])}


def ppp_sentence(test: dict) -> str:
    """The caveat about price levels, with the test."""
    if test["n"] < 3:
        return ("GERD in current US dollars ignores price levels, which are lower in poorer "
                "economies; too few economies have GERD in purchasing-power dollars to test "
                "what that does to the concentration.")
    less = test["ppp"] < test["usd"]
    return (f"GERD in current US dollars ignores price levels. NCSES gives GERD in "
            f"purchasing-power dollars for {test['n']} of the reporting economies; over them the "
            f"Gini coefficient is {test['ppp']:z.2f} in purchasing-power dollars against "
            f"{test['usd']:z.2f} in current dollars, so measured in purchasing power spending is "
            + ("less" if less else "not less") + " concentrated among these economies (mostly "
            "larger ones: the test cannot reach the smallest spenders).")


def _missing_text(listed: pd.DataFrame, gerd: pd.DataFrame) -> str:
    """How many economies of the World Bank's list have no GERD figure (Taiwan named if so)."""
    missing = listed[~listed["iso3"].isin(gerd["iso3"])]
    if missing.empty:
        return "every economy on the World Bank's list has a GERD figure for these years"
    taiwan = (" (among them Taiwan, China, for which the World Bank data hold no figures)"
              if "TWN" in set(missing["iso3"]) else "")
    verbs = ("has", "is") if len(missing) == 1 else ("have", "are")
    return (f"{count(len(missing), 'economy')} on the World Bank's list {verbs[0]} no GERD "
            f"figure for these years{taiwan} and {verbs[1]} left out")


def _context_sentence(peak: int, last: int, link_change: float) -> str:
    """Compare the link's change with each country's total international output."""
    oa = datasets.load("openalex_international").set_index(["iso3", "year"])["international_works"]
    changes = {name: oa[(iso3, last)] / oa[(iso3, peak)] - 1
               for iso3, name in (("USA", "the United States'"), ("CHN", "China's"))}
    parts = [f"{name} internationally co-authored works "
             f"{'rose' if c >= 0 else 'fell'} {abs(100 * c):z.1f}%" for name, c in changes.items()]
    verdict = ("so the link fell faster than either country's international output"
               if all(c > link_change for c in changes.values()) else
               "so the fall of the link is not clearly faster than their overall output")
    return f"Over the same years {parts[0]} and {parts[1]}, {verdict}."


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "challenge": "Challenge",
        "potential_consequence": "Potential consequence",
        "evidence_in_this_book": "Evidence in this book",
    })


def lorenz_figure(c: Challenges):
    """The Lorenz curve of R&D spending, with the region's members marked on it."""
    import matplotlib.pyplot as plt

    ordered = c.gerd.sort_values("gerd_usd").reset_index(drop=True)
    curve = lorenz(ordered["gerd_usd"])
    data = ordered.assign(share_of_economies=curve["share_of_economies"].iloc[1:].to_numpy(),
                          share_of_spending=curve["share_of_spending"].iloc[1:].to_numpy())
    spec = FigureSpec(
        id=f"challenges-lorenz-{c.region.slug}",
        title="How unequal is R&D spending across economies?",
        caption=("Lorenz curve of gross domestic expenditure on R&D in current US$: economies "
                 "ordered from smallest to largest spender; the diagonal is perfect equality."
                 + marked(c.region, shows_members(c.region, data), "marked")),
        source=datasets.source_line("rd_expenditure"),
        data_years=f"each economy's latest year in {WINDOW[0]}–{WINDOW[1]}")
    fig, ax = plt.subplots(figsize=(5.8, 5.2))
    ax.plot([0, 1], [0, 1], color=OKABE_ITO["grey"], linestyle="--", linewidth=1,
            label="Equal spending")
    ax.plot(curve["share_of_economies"], curve["share_of_spending"], color=OKABE_ITO["blue"],
            linewidth=2, label="Lorenz curve")
    if shows_members(c.region, data):
        members = data[data["in_region"]]
        ax.scatter(members["share_of_economies"], members["share_of_spending"], s=24,
                   color=OKABE_ITO["vermillion"], zorder=3, label=c.region.name)
    ax.set_xlabel("Cumulative share of economies")
    ax.set_ylabel("Cumulative share of R&D spending")
    ax.set_title(spec.title)
    ax.legend(loc="upper left")
    return fig, spec, data


def explore_lorenz(c: Challenges, data: pd.DataFrame):
    """The interactive version of :func:`lorenz_figure`: hover names the economy at each step."""
    import plotly.graph_objects as go

    from .. import interactive
    from ..figures import money

    shown = data.assign(economies_pct=100 * data["share_of_economies"],
                        spending_pct=100 * data["share_of_spending"],
                        gerd_label=data["gerd_usd"].map(money))
    fig = interactive.scatter(
        shown, "economies_pct", "spending_pct", group=None,
        x_title="Cumulative share of economies (%)",
        y_title="Cumulative share of R&D spending (%)",
        hover=[("gerd_label", "GERD", ""), ("economies_pct", "Economies up to here (%)", ":.1f"),
               ("spending_pct", "Spending up to here (%)", ":.1f")],
        percent_x=True, percent_y=True)
    fig.data[0].update(mode="lines+markers", name="Lorenz curve",
                       line={"color": OKABE_ITO["blue"], "width": 2}, marker={"size": 5})
    fig.add_trace(go.Scatter(x=[0, 100], y=[0, 100], mode="lines", name="Equal spending",
                             hoverinfo="skip", line={"color": OKABE_ITO["grey"], "dash": "dash"}))
    if not c.region.is_world:
        mine = shown[shown["in_region"]]
        fig.add_trace(go.Scatter(
            x=mine["economies_pct"], y=mine["spending_pct"], mode="markers", name=c.region.name,
            hoverinfo="skip", marker={"color": OKABE_ITO["vermillion"], "size": 9}))
    return fig
