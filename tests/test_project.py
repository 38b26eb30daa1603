"""Project hygiene: conda and pip dependency lists agree; notebooks are text-first."""

import re
import tomllib
from pathlib import Path

import pytest
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


def test_every_imported_package_is_declared():
    import subprocess
    import sys
    from pathlib import Path

    deptry = Path(sys.executable).with_name("deptry")
    result = subprocess.run([str(deptry), "src", "tests"], capture_output=True, text=True,
                            cwd=paths.root(), check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _imports(path) -> set[str]:
    """The scicollab modules a source file imports (anywhere in it, top level or not)."""
    import ast

    package = path.relative_to(paths.root() / "src").with_suffix("").parts
    if package[-1] == "__init__":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("scicollab")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + (1 if path.name == "__init__.py"
                                                               else 0)]
                base = ".".join([*parent, *([base] if base else [])])
            if not base.startswith("scicollab"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                module = paths.root() / "src" / Path(*candidate.split("."))
                found.add(candidate if module.with_suffix(".py").is_file() or module.is_dir()
                          else base)
    return found


def test_the_packages_import_graph_has_no_cycle():
    source = paths.root() / "src" / "scicollab"
    graph = {}
    for path in source.rglob("*.py"):
        name = ".".join(path.relative_to(source.parent).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        graph[name] = {m for m in _imports(path) if m != name}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycle = [*trail[trail.index(target):], target] if target in trail else [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if state.get(target) is None:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [node])
    assert "scicollab.executor" in graph and "scicollab.kernel" in graph["scicollab.executor"]


def test_long_modules_say_why_at_their_top():
    source = paths.root() / "src" / "scicollab"
    long = []
    for path in sorted(source.rglob("*.py")):
        lines = path.read_text().splitlines()
        if len(lines) > 400 and "long because" not in "\n".join(lines[:15]):
            long.append(f"{path.name} ({len(lines)} lines)")
    assert not long, long


def test_exactly_one_place_starts_a_kernel():
    source = paths.root() / "src" / "scicollab"
    starts = [p.name for p in source.rglob("*.py") if "start_new_kernel(" in p.read_text()]
    assert starts == ["kernel.py"]
    for old in ("runner.py", "execution.py", "editions.py", "envvars.py", "book.py"):
        assert not (source / old).exists()
    assert not [p.name for p in source.rglob("*.py") if "SCICOLLAB_FIGURES" in p.read_text()
                or "SCICOLLAB_NUMBERS" in p.read_text()]


@pytest.mark.slow
def test_a_non_editable_install_runs_a_chapter_inside_a_checkout(tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    wheel_dir, target, source = tmp_path / "wheel", tmp_path / "site", tmp_path / "source"
    source.mkdir()  # a copy: building a wheel leaves build/ beside the sources it reads
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(paths.root() / name, source / name)
    shutil.copytree(paths.root() / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(wheel_dir), str(source)], check=True, capture_output=True)
    [wheel] = wheel_dir.glob("scicollab-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import scicollab; print(scicollab.__file__)"],
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(target)), "the installed copy, not the checkout's src/"
    assert (target / "scicollab" / "regions.yml").is_file()
    assert (target / "scicollab" / "static" / "scicollab-interactive.js").is_file()
    checkout = tmp_path / "checkout"  # a checkout of its own: no cached chapters
    checkout.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        (checkout / name).write_bytes((paths.root() / name).read_bytes())
    for folder in ("book", "notebooks", "data"):
        (checkout / folder).symlink_to(paths.root() / folder, target_is_directory=True)
    run = subprocess.run([sys.executable, "-m", "scicollab", "run", "--region", "Kenya",
                          "--chapter", "gerd", "-q"], env=env, cwd=checkout,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "gerd                 ran" in run.stdout
    assert (checkout / "_build" / "runs" / "kenya" / "gerd" / "numbers.json").is_file()


def _chapter_imports(source: str, module: str, chapters: set[str]) -> set[str]:
    """The chapter modules a chapter module's source imports (anywhere in it): relative
    (``from . import gerd``, ``from .gerd import x``, ``from ..chapters import gerd``) or
    absolute (``scicollab.chapters.gerd``)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = {0: "", 1: "scicollab.chapters", 2: "scicollab"}.get(node.level, "")
            stem = ".".join(p for p in (base, node.module or "") if p)
            names = [stem] + [f"{stem}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["scicollab", "chapters"] and len(parts) > 2 and parts[2] in chapters:
                found.add(parts[2])
    return found - {module}


def test_no_chapter_module_imports_another_chapter_module():
    folder = paths.root() / "src" / "scicollab" / "chapters"
    modules = {p.stem: p for p in folder.glob("*.py") if p.stem not in ("__init__", "catalogue")}
    assert {"gerd", "landscape", "trust", "faq"} <= set(modules)
    found = {name: sorted(_chapter_imports(path.read_text(), name, set(modules)))
             for name, path in sorted(modules.items())}
    assert not {name: imported for name, imported in found.items() if imported}, found
    # the check itself sees each way of importing a chapter
    for source in ("from . import gerd", "from .gerd import members_phrase",
                   "from ..chapters import gerd", "from ..chapters.gerd import x",
                   "import scicollab.chapters.gerd", "from scicollab.chapters import gerd",
                   "def f():\n    from . import gerd"):
        assert _chapter_imports(source, "trust", set(modules)) == {"gerd"}, source
    assert _chapter_imports("from . import catalogue\nfrom .. import panels", "trust",
                            set(modules)) == set()
