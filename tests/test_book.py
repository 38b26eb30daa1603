"""The book builds with warnings as errors, shows its figures, and re-executes on new data."""

import html as html_lib
import re

import pytest

from scicollab import book, paths


def test_log_scan_catches_warnings_and_tracebacks_but_not_kernel_noise():
    log = ("[IPKernelApp] WARNING | Kernel is running over TCP without encryption.\n"
           "notebooks/gerd.md:12: WARNING: undefined label\n"
           "Traceback (most recent call last):\nbuild succeeded.\n")
    problems = book.scan_log(log)
    assert len(problems) == 2 and "undefined label" in problems[0]


KERNEL_ERROR = """ERROR:tornado.general:Uncaught exception in ZMQStream callback
Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/zmq/eventloop/zmqstream.py", line 600, in _handle_events
    self._handle_recv()
  File "/venv/lib/python3.11/site-packages/zmq/sugar/socket.py", line 801, in recv_multipart
    while self.getsockopt(zmq.RCVMORE):
zmq.error.ZMQError: not a socket
"""


def test_kernel_messaging_errors_are_reported_apart_from_build_problems():
    chapter_error = KERNEL_ERROR.replace(
        "zmq/sugar/socket.py", "scicollab/report.py")
    log = ("reading sources... notebooks/gerd\n" + KERNEL_ERROR
           + "notebooks/trust.md:3: WARNING: glue key 'n' not found\n" + chapter_error)
    assert book.kernel_messaging_errors(log) == [KERNEL_ERROR.rstrip("\n")]
    problems = book.scan_log(log)
    assert problems[0] == "notebooks/trust.md:3: WARNING: glue key 'n' not found"
    assert problems[1:] == ["ERROR:tornado.general:Uncaught exception in ZMQStream callback",
                            "Traceback (most recent call last):"]


def test_a_chained_kernel_messaging_traceback_is_one_block():
    chained = (KERNEL_ERROR + "\nDuring handling of the above exception, another exception "
               "occurred:\n\n" + KERNEL_ERROR.split("\n", 1)[1])
    log = chained + "Traceback (most recent call last):\n  File \"x.py\"\nKeyError: 1\n"
    assert book.kernel_messaging_errors(log) == [chained.rstrip("\n")]
    assert book.scan_log(log) == ["Traceback (most recent call last):"]


def test_changed_data_clears_the_execution_cache(tmp_path, monkeypatch):
    (tmp_path / ".jupyter_cache").mkdir()
    (tmp_path / ".doctrees").mkdir()
    monkeypatch.setattr(book, "fingerprint", lambda: "data-v1")
    assert book.invalidate_if_stale(tmp_path) is True  # no stamp yet
    (tmp_path / ".scicollab-fingerprint").write_text("data-v1\n")
    (tmp_path / ".jupyter_cache").mkdir()
    assert book.invalidate_if_stale(tmp_path) is False
    assert (tmp_path / ".jupyter_cache").exists()
    monkeypatch.setattr(book, "fingerprint", lambda: "data-v2")
    assert book.invalidate_if_stale(tmp_path) is True
    assert not (tmp_path / ".jupyter_cache").exists()
    assert not (tmp_path / ".doctrees").exists()


def test_fingerprint_follows_the_data_version(monkeypatch):
    from scicollab import datasets

    before = book.fingerprint()
    monkeypatch.setattr(datasets, "data_version", lambda: "something-else")
    assert book.fingerprint() != before


def test_a_changed_style_sheet_changes_the_html_settings_sphinx_compares(tmp_path):
    import shutil

    import yaml

    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(paths.root() / "_config.yml", root / "_config.yml")
    shutil.copytree(paths.root() / "book" / "_static", root / "book" / "_static")

    def html_settings() -> dict:
        config = yaml.safe_load(book._config_for(root, tmp_path).read_text())
        return config["sphinx"]["config"]["html_context"]

    before = html_settings()
    assert html_settings() == before
    with (root / "book" / "_static" / "scicollab.css").open("a") as css:
        css.write("\n.x { color: red; }\n")
    assert html_settings()["scicollab_static"] != before["scicollab_static"]
    assert html_settings()["default_mode"] == "light"


@pytest.mark.slow
def test_book_builds_clean_with_figures_and_glued_numbers():
    code, log, problems = book.build()
    assert code == 0, f"build failed ({log}): {problems[:10]}"
    text = log.read_text()
    assert not re.search(r"notebooks/\w+\.md: Executing notebook", text), \
        "a chapter was executed by myst-nb instead of the parallel workers"
    html = paths.build_dir() / "html"
    assert (html / "index.html").is_file()
    page = (html / "notebooks" / "gerd.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert len(images) >= 3
    for src in images:
        assert (html / "notebooks" / src).resolve().is_file(), src
    assert "Figure size" not in page, "a figure was rendered as text"
    from scicollab.chapters import gerd

    verdict = gerd.analyse("World").numbers["gerd_claim"]
    assert html_lib.escape(verdict[:40], quote=False) in page, "the glued verdict is on the page"
    assert not re.search(r"\?\?\?|ERROR|Traceback", page)
