"""Small made-up book projects for the execution tests: a root with chapters, pages and the
real processed data (linked, never copied), each chapter a few cells that run in a second."""

from __future__ import annotations

import textwrap
from pathlib import Path

from scicollab import paths

REAL_ROOT = paths.find_root(Path(__file__).parent)

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---

"""

# A chapter that glues its region, members and parameters, and saves one small figure.
CHAPTER = HEADER + """# Chapter {name}

Region {{glue:md}}`{name}_region` with {{glue:text}}`{name}_size` economies.

```{{code-cell}} ipython3
:tags: [parameters, remove-cell]

region = "World"
members = ""
label = "default"
threshold = 0.5
```

```{{code-cell}} ipython3
:tags: [remove-cell]

import matplotlib.pyplot as plt
import pandas as pd

from scicollab.figures import FigureSpec
from scicollab.report import chapter_setup, glue_all, publish_figure

REGION = chapter_setup(region, members)
glue_all({{"{name}_region": REGION.name, "{name}_size": len(REGION.members),
          "{name}_label": label, "{name}_threshold": threshold}})
{body}
fig, ax = plt.subplots(figsize=(2, 1.5))
ax.plot([0, 1], [0, len(REGION.members)])
ax.set_title("{name}")
spec = FigureSpec("{name}-line-" + REGION.slug, "A line", "A made-up line.", "Made up", "2020")
publish_figure("fig-{name}", fig, spec, pd.DataFrame({{"x": [0, 1]}}))
```

```{{glue:figure}} fig-{name}
:name: fig-{name}

A line. {{glue:md}}`fig-{name}-caption`
```
"""


def chapter(name: str, body: str = "") -> str:
    """The source of a made-up chapter; ``body`` is extra code run after the numbers are glued."""
    return CHAPTER.format(name=name, body=textwrap.dedent(body))


def make(root: Path, chapters: dict[str, str], *, intro: str = "# Intro\n\nA test book.\n",
         strict_config: str = "") -> Path:
    """A project at ``root`` with the given chapters (name → source) in ``notebooks/``."""
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text(intro)
    (root / "book" / "regions.md").write_text("# Regions\n\n```{regions-gallery}\n```\n")
    (root / "book" / "references.bib").write_text("")
    (root / "data").symlink_to(REAL_ROOT / "data", target_is_directory=True)
    (root / "_config.yml").write_text(
        'title: "Test book"\nauthor: tests\ncopyright: "2026, tests"\n'
        "only_build_toc_files: true\nexecute:\n  execute_notebooks: cache\n"
        "bibtex_bibfiles: [book/references.bib]\n"
        "sphinx:\n  extra_extensions: [scicollab.sphinx_downloads, scicollab.gallery]\n"
        + strict_config)
    files = "\n".join(f"      - file: notebooks/{name}" for name in chapters)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: All\n    chapters:\n"
        f"{files}\n      - file: book/regions\n")
    for name, source in chapters.items():
        (root / "notebooks" / f"{name}.md").write_text(source)
    return root
