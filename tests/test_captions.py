"""A figure's caption tells the truth about the region: how its members are marked, or that
none of them is among the economies shown (Kenya, an economy, is in few of NCSES's tables)."""

import matplotlib.pyplot as plt
import pytest

from scicollab import regions, report
from scicollab.chapters import (
    barriers,
    capacity_building,
    challenges,
    funding,
    gerd,
    governance,
    impact,
    partnership_models,
    trust,
)


@pytest.mark.parametrize(("name", "shown", "expected"), [
    ("World", True, ""),
    ("World", False, ""),
    ("Kenya", True, " Kenya is in colour."),
    ("Kenya", False, " Kenya is not among them."),
    ("United States", False, " The United States is not among them."),
    ("South Asia", True, " Economies in South Asia are in colour."),
    ("South Asia", False, " No member of South Asia is among them."),
])
def test_the_marking_sentence_says_how_members_are_marked_or_that_none_is_shown(name, shown,
                                                                                 expected):
    assert report.marked(regions.resolve(name), shown, "in colour") == expected


@pytest.mark.parametrize(("chapter", "draw"), [(impact, impact.figure),
                                               (funding, funding.figure),
                                               (governance, governance.figure)])
def test_an_economy_that_no_point_stands_for_is_said_to_be_absent(chapter, draw):
    fig, spec, data = draw(chapter.analyse("Kenya"))
    plt.close(fig)
    assert not data["in_region"].any()  # NCSES covers no Kenyan value in these tables
    assert "Kenya is not among them" in spec.caption or "does not cover Kenya" in spec.caption
    for claim in ("Kenya is in", "Members of Kenya", "selected region's members are named",
                  "member of Kenya"):
        assert claim not in spec.caption


def test_a_region_with_members_shown_is_still_marked():
    fig, spec, data = impact.figure(impact.analyse("Sub-Saharan Africa"))
    plt.close(fig)
    assert data["in_region"].any()
    assert "Economies in Sub-Saharan Africa are in vermillion." in spec.caption
    assert "The selected region's members are named" in spec.caption


def _gerd(analysis):
    return gerd.figure(analysis.proxy, analysis.region)


def _gerd_explore(analysis, data):
    return gerd.explore(analysis.proxy, data, analysis.region)


# every figure that marks a region's members among other economies, with its interactive
# version where it has one: (chapter, static figure, interactive figure)
MARKING = [
    (barriers, barriers.figure, None),
    (capacity_building, capacity_building.figure, capacity_building.explore),
    (challenges, challenges.lorenz_figure, None),
    (funding, funding.figure, lambda f, data: funding.explore(data, f.region)),
    (gerd, _gerd, _gerd_explore),
    (impact, impact.figure, impact.explore),
    (partnership_models, partnership_models.figure,
     lambda m, data: partnership_models.explore(data, m.region)),
    (trust, trust.figure, trust.explore),
]


@pytest.mark.parametrize(("chapter", "draw", "explore"), MARKING,
                         ids=[chapter.__name__.rsplit(".", 1)[1] for chapter, *_ in MARKING])
def test_a_region_with_no_member_plotted_is_said_to_be_absent_and_drawn_as_the_world(
        region_without_data, chapter, draw, explore):
    analysis = chapter.analyse(region_without_data)
    fig, spec, data = draw(analysis)
    plt.close(fig)
    assert not data["in_region"].any()
    if len(data):
        assert "No member of No Data Land is among them." in spec.caption
    for claim in ("No Data Land are", "selected region's members are named"):
        assert claim not in spec.caption
    if explore is not None and len(data):
        names = {trace.name for trace in explore(analysis, data).data}
        assert "Other economies" not in names  # nothing greyed out as context


@pytest.mark.parametrize(("chapter", "draw", "explore"), MARKING,
                         ids=[chapter.__name__.rsplit(".", 1)[1] for chapter, *_ in MARKING])
def test_a_region_with_members_plotted_is_marked_in_the_caption(chapter, draw, explore):
    analysis = chapter.analyse("Sub-Saharan Africa")
    fig, spec, data = draw(analysis)
    plt.close(fig)
    assert data["in_region"].any()
    assert "Economies in Sub-Saharan Africa are" in spec.caption


@pytest.mark.parametrize(("name", "expected"), [
    ("World", ""),
    ("Kenya", " The map is framed on Kenya, outlined."),
    ("United States", " The map is framed on the United States, outlined."),
    ("South Asia", " The map is framed on South Asia, its members outlined."),
])
def test_a_map_caption_says_what_it_is_framed_on(name, expected):
    assert report.framed(regions.resolve(name)) == expected


def test_an_economys_maps_say_it_is_outlined_not_its_members():
    fig, spec, _ = gerd.share_map(regions.resolve("Kenya"))
    plt.close(fig)
    assert "framed on Kenya, outlined." in spec.caption and "its members" not in spec.caption


@pytest.mark.parametrize(("name", "shown", "expected"), [
    ("Kenya", True, " Kenya is named and outlined."),
    ("Kenya", False, " Kenya is not among them. The largest producers and clear outliers are"
                     " named."),
    ("South Asia", True, " Economies in South Asia are outlined. The selected region's members"
                         " are named (up to 14)."),
    ("South Asia", False, " No member of South Asia is among them. The largest producers and"
                          " clear outliers are named."),
    ("World", False, " The largest producers and clear outliers are named."),
])
def test_a_scatter_caption_says_how_the_region_is_marked_and_whose_points_are_named(
        name, shown, expected):
    assert report.marked_and_named(regions.resolve(name), shown, "outlined") == expected


@pytest.mark.parametrize("chapter", [capacity_building, impact, partnership_models, trust])
def test_an_economys_scatter_caption_names_it_once(chapter):
    # each caption used to say "Chile is named." and "Chile is outlined." apart
    fig, spec, data = chapter.figure(chapter.analyse("Chile"))
    plt.close(fig)
    assert data["in_region"].any()
    assert spec.caption.count("Chile") == 1 and " Chile is named and " in spec.caption


def test_an_economys_data_gaps_captions_name_it_as_one_economy():
    from scicollab.chapters import data_gaps

    analysis = data_gaps.analyse("Kenya")
    captions = []
    for draw in (data_gaps.shares_figure, data_gaps.countries_figure, data_gaps.coverage_map):
        fig, spec, _ = draw(analysis)
        plt.close(fig)
        captions.append(spec.caption)
    text = " ".join(captions)
    assert "whether Kenya has a value" in text and "One row (Kenya)" in text
    assert "For Kenya, how many" in text
    for odd in ("every one of Kenya", "percentage of Kenya", "For each of Kenya",
                "One row per economy"):
        assert odd not in text
    assert data_gaps.countries_sentence(analysis) == "The heat map shows Kenya's row."


def test_a_covered_economys_captions_name_it_not_its_members():
    # "for the members of United States that NCSES covers", "across those of United States"
    from scicollab.chapters import future

    fig, spec, _ = governance.figure(governance.analyse("United States"))
    plt.close(fig)
    assert "for the United States, ordered" in spec.caption and "members" not in spec.caption
    fig, spec, _ = future.figure(future.analyse("United States"))
    plt.close(fig)
    assert spec.caption.endswith("NCSES reports, and the share of the United States.")

