"""Every chapter: a region parameter, no hand-typed numbers, and it runs for named regions, a
small group and single economies (one with little data)."""

import json

import jupytext
import pytest

from scicollab import executor, paths, prose, regions
from scicollab.chapters import catalogue
from scicollab.kernel import Kernel

from conftest import NO_DATA_CODE

CHAPTERS = catalogue.chapters()
REGIONS = ["World", "Low income", "Sub-Saharan Africa", "USMCA", "Kenya", "Tuvalu"]


def test_the_toc_lists_every_notebook_and_nothing_else():
    on_disk = sorted(p.stem for p in paths.notebooks_dir().glob("*.md"))
    pages = catalogue.pages()
    assert sorted(c for c in CHAPTERS if pages[c].startswith("notebooks/")) == on_disk
    assert pages["intro"] == "book/intro", "the home page is executed for each region too"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_a_region_parameter_cell(chapter):
    assert catalogue.parameters(chapter).get("region") == "World"


@pytest.mark.parametrize("path", sorted(paths.notebooks_dir().glob("*.md"))
                         + sorted((paths.root() / "book").glob("*.md")), ids=lambda p: p.stem)
def test_prose_has_no_number_typed_by_hand(path):
    found = [n for cell in prose.markdown_cells(path) for n in prose.typed_numbers(cell)]
    assert not found, f"{path.name}: numbers typed into prose, glue them instead: {found}"


def test_typed_number_check_catches_and_allows_what_it_should():
    assert prose.typed_numbers("The share rose to 41.2% in 121 countries.") == ["41.2%", "121"]
    assert prose.typed_numbers("In 2018, {glue:text}`n` countries (Figure 2; S5a-2).") == []
    assert prose.typed_numbers("Between 2003–2022 and in the 1990s, wave 7, G007_36_B.") == []


def published_figures(chapter: str) -> int:
    """How many publish_figure calls the chapter's code cells make (each saves one PNG)."""
    notebook = jupytext.read(catalogue.source(chapter))
    return sum(cell.source.count("publish_figure(") for cell in notebook.cells
               if cell.cell_type == "code")


def conditional_figures(chapter: str) -> int:
    """How many of those calls sit inside an ``if`` (a figure shown only when it has something
    to show)."""
    notebook = jupytext.read(catalogue.source(chapter))
    return sum(line.startswith((" ", "\t")) and "publish_figure(" in line
               for cell in notebook.cells if cell.cell_type == "code"
               for line in cell.source.splitlines())


@pytest.fixture(scope="module")
def kernel():
    """One warm kernel for the module's chapter runs (each starts from a clean state)."""
    with Kernel(paths.notebooks_dir()) as warm:
        yield warm


def _check_run(result, chapter: str, region_name: str) -> dict:
    numbers = result.numbers()
    assert numbers["region_name"] == region_name
    pngs = sorted(result.figures.glob("*.png"))
    most = published_figures(chapter)
    assert most - conditional_figures(chapter) <= len(pngs) <= most, \
        f"{chapter}: one PNG per published figure"
    for png in pngs:
        assert png.stat().st_size > 0
        for kind in (".svg", ".csv", ".json"):
            assert png.with_suffix(kind).is_file(), f"{png.name} lacks its {kind} file"
    return numbers


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_for_region(chapter, region, tmp_path, kernel):
    result = executor.execute(executor.plan(chapter, regions.resolve(region)),
                              tmp_path / chapter, kernel)
    _check_run(result, chapter, region)


def test_figure_count_reads_the_chapters_publish_calls():
    assert published_figures("gerd") == 5
    assert published_figures("faq") == 0
    assert sum(published_figures(c) > 0 for c in CHAPTERS) >= len(CHAPTERS) // 2


# --- a region no table has data for: every page says so instead of crashing -----------------


def test_innovation_networks_says_a_region_without_data_has_no_links(region_without_data):
    from scicollab.chapters import innovation_networks

    numbers = innovation_networks.analyse(region_without_data).numbers
    last = numbers.last
    assert numbers.region_sentence == (
        f"No co-authorship links were recorded for the economies of {region_without_data} "
        f"in {last}.")
    world = innovation_networks.analyse("World").numbers
    regional = {"net_region_sentence", "net_intro_region"}
    assert {k: v for k, v in numbers.as_dict().items() if k not in regional} == {
        k: v for k, v in world.as_dict().items() if k not in regional}


def test_pillars_falls_back_to_the_worlds_verdicts_for_a_region_without_data(
        region_without_data):
    from scicollab.chapters import pillars

    rows = pillars.element_findings(region_without_data)
    assert (rows["whose"] == "the world").all(), "no claim can be judged on no data"
    assert "pil_standing_table" not in pillars.numbers(region_without_data).as_dict()


@pytest.fixture(scope="module")
def no_data_project(tmp_path_factory):
    """The book with a copy of the data where 'No Data Land' (XND, a user-assigned ISO code)
    is one more economy of the countries table and has no row in any other table."""
    import hashlib
    import shutil

    from scicollab import pipeline

    root = tmp_path_factory.mktemp("no-data")
    real = paths.find_root()
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(real / name, root / name)
    for folder in ("book", "notebooks"):
        (root / folder).symlink_to(real / folder, target_is_directory=True)
    shutil.copytree(real / "data", root / "data")
    countries = root / "data" / "countries.csv"
    with countries.open("a") as table:
        table.write(f"{NO_DATA_CODE},,No Data Land,,,False\n")
    manifest = json.loads((root / "data" / "manifest.json").read_text())
    entry = manifest["tables"]["countries"]
    entry["sha256"] = hashlib.sha256(countries.read_bytes()).hexdigest()
    entry["rows"] += 1
    manifest["data_version"] = pipeline.data_version(manifest["tables"])
    (root / "data" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_for_a_region_without_data(chapter, no_data_project, tmp_path, kernel,
                                                monkeypatch):
    from scicollab import datasets

    monkeypatch.setattr(paths, "_root", no_data_project)
    frame = datasets.countries()
    assert NO_DATA_CODE in set(frame["iso3"])
    for name in datasets.manifest()["tables"]:
        if name != "countries":
            assert not datasets.load(name).isin([NO_DATA_CODE]).any().any(), name
    region = regions.custom(NO_DATA_CODE, "No Data Land")
    glued = _check_run(executor.execute(executor.plan(chapter, region), tmp_path / chapter,
                                        kernel), chapter, "No Data Land")
    said = {"innovation_networks": ("net_region_sentence", "No co-authorship links"),
            "faq": ("faq_block", "OpenAlex has no works in No Data Land")}
    if chapter in said:
        key, words = said[chapter]
        assert words in glued[key]
    if chapter == "pillars":
        assert glued["pil_findings_n"] > 0


@pytest.mark.parametrize("path", sorted(paths.notebooks_dir().glob("*.md"))
                         + sorted((paths.root() / "book").glob("*.md")), ids=lambda p: p.stem)
def test_prose_points_to_no_file_the_site_does_not_have(path):
    text = "\n".join(prose.markdown_cells(path))
    assert "book/tables/" not in text, f"{path.name} points readers to a repository file"
