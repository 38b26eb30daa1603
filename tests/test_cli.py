"""The command line: listings, parameter parsing, exit codes and messages (no kernel starts)."""

import pytest

from scicollab import cli, datasets, regions
from scicollab.chapters import catalogue
from scicollab.cli import main
from scicollab.errors import ScicollabError


def test_regions_lists_every_named_region_with_kind_size_and_slug(capsys):
    assert main(["regions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(regions.names())
    usmca = next(line for line in lines if line.startswith("USMCA "))
    assert usmca.split() == ["USMCA", "custom", "3", "usmca"]


def test_regions_can_be_filtered_by_kind(capsys):
    assert main(["regions", "--kind", "income"]) == 0
    names = [line[:30].strip() for line in capsys.readouterr().out.splitlines()]
    assert names == regions.names("income") and "World" not in names


def test_chapters_lists_each_chapter_with_its_region_parameter(capsys):
    assert main(["chapters"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == catalogue.chapters()
    assert all("region='World'" in line for line in lines)


def test_data_check_verifies_every_table(capsys):
    assert main(["data", "check"]) == 0
    checked = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert checked == list(datasets.manifest()["tables"])


@pytest.mark.parametrize(("items", "expected"), [
    (["top=5"], {"top": 5}),
    (["share=0.5", "label=South Asia"], {"share": 0.5, "label": "South Asia"}),
    (["codes=['USA', 'CAN']"], {"codes": ["USA", "CAN"]}),
    (["note=a=b"], {"note": "a=b"}),
])
def test_parameters_are_read_as_python_values_else_as_text(items, expected):
    assert cli._parse_params(items) == expected


def test_a_parameter_without_a_value_is_refused_with_exit_code_two(capsys):
    assert main(["run", "--region", "World", "--chapter", "gerd", "-p", "noequals"]) == 2
    assert "parameter 'noequals' must look like name=value" in capsys.readouterr().err
    with pytest.raises(ScicollabError):
        cli._parse_params(["noequals"])


def test_all_regions_with_a_region_name_is_refused(capsys):
    assert main(["region", "build", "--all", "USMCA", "-q"]) == 2
    assert "--all builds every named region" in capsys.readouterr().err


def test_an_interrupted_command_exits_130_and_says_so(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_regions", interrupted)
    assert main(["regions"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_a_changed_table_of_contents_is_read_again(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/alpha\n")
    assert catalogue.toc_files(tmp_path) == ["notebooks/alpha"]
    toc.write_text("format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/alpha\n"
                   "  - file: notebooks/beta\n")
    assert catalogue.toc_files(tmp_path) == ["notebooks/alpha", "notebooks/beta"]
