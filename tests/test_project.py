"""Project hygiene: conda and pip dependency lists agree; notebooks are text-first."""

import re
import tomllib

import yaml

from scicollab import paths


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((paths.root() / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    pip_side = {_name(r): r for r in requirements}
    env = yaml.safe_load((paths.root() / "environment.yml").read_text())
    conda_side = {_name(d): d for d in env["dependencies"] if isinstance(d, str)}
    conda_side.pop("python")
    conda_side.pop("pip")
    assert set(conda_side) == set(pip_side)
    for name, requirement in pip_side.items():
        spec = requirement[len(name):].replace(" ", "")
        assert conda_side[name].replace(" ", "").endswith(spec), name


def test_constraints_pin_every_direct_dependency():
    project = tomllib.loads((paths.root() / "pyproject.toml").read_text())["project"]
    pins = {_name(line) for line in (paths.root() / "constraints.txt").read_text().splitlines()
            if "==" in line}
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert _name(requirement) in pins, requirement


def test_no_generated_notebooks_are_committed():
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "notebooks"], capture_output=True, text=True,
                             cwd=paths.root(), check=True).stdout.split()
    assert tracked, "no notebooks tracked"
    assert not [f for f in tracked if f.endswith(".ipynb")]


def test_code_is_ruff_clean():
    import subprocess
    import sys
    from pathlib import Path

    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "src", "tests", "benchmarks"],
                            capture_output=True, text=True, cwd=paths.root(), check=False)
    assert result.returncode == 0, result.stdout[-3000:]
