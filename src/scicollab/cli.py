"""The command line: build the data, list regions and chapters, run chapters, build the book,
region editions, brief packs and the site.

Exit codes: 0 done, 1 the command failed (a chapter, a build, a malformed file), 2 bad usage
(an unknown or unsafe name, a bad parameter, an output folder that cannot be written),
130 interrupted (Ctrl-C), 143 terminated (SIGTERM, handled as Ctrl-C is). Every error is one
line saying what, where and what to do.

This module is long because every command's options, help and examples live here, side by
side; the work itself is in :mod:`scicollab.builds`, :mod:`scicollab.brief` and the data modules.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import threading
from pathlib import Path

import click

from . import __version__, paths
from .errors import ScicollabError, UsageError

EXAMPLES = {
    "run": """Examples:

\b
  scicollab run --region Kenya --chapter gerd
  scicollab run --region "Sub-Saharan Africa"          # every chapter
  scicollab run --countries USA,CAN,MEX --name "North American partners" --chapter trust
""",
    "region build": """Examples:

\b
  scicollab region build "South Asia"
  scicollab region build KEN                            # an economy, by name or ISO3 code
  scicollab region build --countries USA,CAN,MEX --name "North American partners"
  scicollab region build --all                          # named regions and every economy
  scicollab region build --economies --scheduler tcp://10.0.0.5:8786
""",
    "brief": """Examples:

\b
  scicollab brief "South Asia" --out brief-south-asia
  scicollab brief KEN --out brief-ken
""",
}


class _Group(click.Group):
    """Commands listed in the order they were added."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scicollab")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path),
              help="the project folder (default: found from the working directory)")
def cli(root: Path | None) -> None:
    """scicollab: a reproducible report on international scientific collaboration.

    Run it inside a clone of the repository (or give --root)."""
    if root is not None:
        paths.set_root(root)


def _say_leftovers(chapter_ids: tuple[str, ...] = ()) -> None:
    """Check the chapters asked for, then remove (and report) leftovers of killed commands."""
    from . import builds

    builds.chapters_or_all(chapter_ids or None)
    removed = builds.clean_leftovers()
    if removed:
        click.echo(f"note: removed {len(removed)} leftover staging folder(s) of an interrupted "
                   f"run: {', '.join(removed[:5])}", err=True)


# --------------------------------------------------------------------------- data


@cli.group(cls=_Group)
def data() -> None:
    """Build, check or fetch the processed data."""


@data.command("build")
@click.option("--raw", type=click.Path(path_type=Path), default=None,
              help="folder of raw publisher files (default: $SCICOLLAB_RAW, else "
                   "../shared/data beside the project)")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="output folder (default: the project's data/)")
@click.option("--table", "tables", multiple=True, help="build only this table (repeatable)")
@click.option("--wvs", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="WVS wave-7 or time-series respondent file (CSV, .dta, .sav): its weighted "
                   "trust shares replace the aggregates of the country-waves it covers")
def data_build(raw: Path | None, out: Path | None, tables: tuple[str, ...],
               wvs: Path | None) -> None:
    """Raw files -> data/*.csv, datapackage.json and manifest.json (all or nothing)."""
    from . import fsops, pipeline

    pipeline.check_request(list(tables) or None, wvs)
    raw = raw or paths.default_raw_dir()
    pipeline.check_raw_dir(raw)
    out = fsops.check_writable(out or paths.data_dir(), "--out folder")
    try:
        manifest = pipeline.build(raw, out, only=list(tables) or None, wvs_file=wvs)
    except KeyboardInterrupt:
        raise ScicollabError(f"interrupted; {out} was left as it was") from None
    for name, entry in manifest["tables"].items():
        click.echo(f"{name:24s} {entry['rows']:>8d} rows  {entry['file']}")
    click.echo(f"data version {manifest['data_version']} written to {out}")


@data.command("check")
def data_check() -> None:
    """Verify every processed table against the manifest's checksums."""
    from . import datasets

    for name in datasets.manifest()["tables"]:
        datasets.load(name)
        click.echo(f"ok  {name}")


@data.command("fetch")
@click.option("--raw", type=click.Path(path_type=Path), default=None,
              help="folder to fill (default: $SCICOLLAB_RAW, else ../shared/data)")
@click.option("--file", "files", multiple=True, help="only this raw-folder path (repeatable)")
@click.option("--latest", is_flag=True, help="the publishers' current files instead of the pinned "
              "copies the committed data were built from (lists the files that differ)")
def data_fetch(raw: Path | None, files: tuple[str, ...], latest: bool) -> None:
    """Download the raw files (pinned copies, checked against the manifest; needs network)."""
    from . import datasets, fetch

    raw = raw or paths.default_raw_dir()
    try:
        expected = fetch.expected_checksums(datasets.manifest())
    except ScicollabError:
        expected = {}
    for note in fetch.fetch(raw, list(files) or None, latest=latest, expected=expected):
        click.echo(f"note: {note}")
    click.echo(f"raw files written to {raw}; next: scicollab data build --raw {raw}")


# --------------------------------------------------------------------------- listings


@cli.command()
@click.option("--kind", type=click.Choice(["world", "income", "geographic", "custom"]))
@click.option("--economies", is_flag=True, help="list every economy (each can be a region)")
def regions(kind: str | None, economies: bool) -> None:
    """List named regions (kind, size, slug), or every economy."""
    from . import regions as catalogue

    if economies:
        for name in catalogue.economy_names():
            economy = catalogue.resolve(name)
            click.echo(f"{economy.members[0]}  {economy.name:40s} {economy.slug}")
        return
    for name in catalogue.names(kind):
        region = catalogue.resolve(name)
        click.echo(f"{region.name:30s} {region.kind:11s} {len(region.members):4d}  {region.slug}")


@cli.command()
def chapters() -> None:
    """List chapters and their parameters."""
    from .chapters import catalogue

    for chapter in catalogue.chapters():
        params = ", ".join(f"{k}={v!r}" for k, v in catalogue.parameters(chapter).items())
        click.echo(f"{chapter:20s} {params}")


# --------------------------------------------------------------------------- running


# a Dask scheduler's address: [tcp|tls|ws|wss|ucx://]HOST:PORT, HOST a name, IPv4 or [IPv6]
SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls|ws|wss|ucx)://)?"
                               r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
                               r":(\d{1,5})")


def scheduler_address(ctx, param, value: str | None) -> str | None:
    """Check ``--scheduler`` before anything runs: an address such as tcp://HOST:8786 (Dask
    failed on anything else with a traceback, and took an empty one for no address)."""
    if value is None:
        return None
    found = SCHEDULER_ADDRESS.fullmatch(value)
    if found is None or not 0 < int(found.group(1)) < 65536:
        raise click.BadParameter(f"{value!r} is not a scheduler address; give one such as "
                                 "tcp://HOST:8786")
    return value


def _workers_option(command):
    return click.option("--workers", type=click.IntRange(1, 64), default=None,
                        help="worker processes (default: one per CPU, at most 8)")(command)


def _scheduler_option(command):
    return click.option("--scheduler", "address", metavar="ADDRESS", callback=scheduler_address,
                        help="a running Dask scheduler, e.g. tcp://HOST:8786 (default: a local "
                             "cluster)")(command)


def _region_options(command):
    for option in reversed([
        click.option("--countries", help="a custom region: ISO3 codes, e.g. USA,CAN,MEX"),
        click.option("--name", help="the custom region's name"),
        click.option("--chapter", "chapter_ids", multiple=True,
                     help="chapter id (repeatable; default: every chapter)"),
        _workers_option,
        _scheduler_option,
        click.option("-q", "--quiet", is_flag=True, help="no progress bar"),
    ]):
        command = option(command)
    return command


def _params_option(command):
    return click.option("-p", "--param", "param_items", multiple=True, metavar="NAME=VALUE",
                        help="notebook parameter (text, number, True/False or None; checked "
                             "against the chapters; the region is set by its own options)")(command)


def _one_region(name: str | None, countries: str | None, custom_name: str | None):
    from . import regions

    if countries is not None:
        if not countries.strip():
            raise UsageError("--countries is empty; give ISO3 codes such as USA,CAN,MEX")
        if custom_name is not None and name:
            raise UsageError(f"both a region ({name!r}) and --countries with --name were given; "
                             "give one of them")
        if not (custom_name or name):
            raise UsageError("a custom region needs a name: --countries USA,CAN --name 'X'")
        return regions.custom(countries, custom_name or name)
    if custom_name is not None:
        raise UsageError("--name names a custom region given with --countries; for a named "
                         "region or an economy give its name alone")
    if not name:
        raise UsageError("give a region: a name such as 'South Asia', an economy such as "
                         "Kenya or KEN, or --countries with --name")
    return regions.resolve(name)


@cli.command(epilog=EXAMPLES["run"])
@click.option("--region", "region_name", help="a named region or an economy (name or ISO3)")
@_region_options
@_params_option
@click.option("--out", type=click.Path(path_type=Path),
              help="output folder (default: _build/runs/<region>); each chapter in a subfolder")
def run(region_name, countries, name, chapter_ids, workers, address, quiet, param_items,
        out) -> None:
    """Execute chapters for one region: notebook, figures and numbers per chapter."""
    from . import builds, gallery, params

    region = _one_region(region_name, countries, name)
    parameters = params.parse(param_items)
    _say_leftovers(chapter_ids)
    folder, results = builds.run(region, chapter_ids or None, parameters, out, workers=workers,
                                 address=address, progress=not quiet)
    click.echo(f"region {region.name} ({gallery.describe_size(region)})")
    for result in results:
        state = "cached" if result.cached else "ran"
        click.echo(f"  {result.chapter:20s} {'FAILED: ' + result.error if result.error else state}")
    if folder.is_dir():  # a run whose every chapter failed makes none
        click.echo(f"outputs in {folder}")
    failed = [r for r in results if r.error]
    if failed:
        raise ScicollabError(f"{len(failed)} chapter(s) failed; first: {failed[0].error}")


@cli.command()
@click.option("--no-strict", is_flag=True, help="do not turn warnings into errors")
@_workers_option
@_scheduler_option
@click.option("--with-notebooks", is_flag=True, help="ship the executed notebooks in the site")
@click.option("-q", "--quiet", is_flag=True, help="no progress bar")
def book(no_strict, workers, address, with_notebooks, quiet) -> None:
    """Build the book (the World edition) into _build/html; current region editions are
    published with it."""
    from . import builds

    _say_leftovers()
    outcome = builds.book(strict=not no_strict, workers=workers, address=address,
                          progress=not quiet, sources=with_notebooks)
    what = "up to date" if outcome.status == "up to date" else "built"
    click.echo(f"book {what}: {outcome.html / 'index.html'} ({len(outcome.published)} region "
               "edition(s) published with it)")


@cli.group(cls=_Group)
def region() -> None:
    """Region editions of the whole book."""


@region.command("build", epilog=EXAMPLES["region build"])
@click.argument("region_name", required=False, metavar="[REGION]")
@click.option("--all", "every", is_flag=True, help="every named region and every economy")
@click.option("--named", is_flag=True, help="every named region")
@click.option("--economies", is_flag=True, help="every economy with enough data")
@_region_options
@_params_option
@click.option("--no-strict", is_flag=True, help="do not turn warnings into errors")
def region_build(region_name, every, named, economies, countries, name, chapter_ids, workers,
                 address, quiet, param_items, no_strict) -> None:
    """Execute every chapter for a region and build its HTML edition in
    _build/regions/<slug>/html."""
    from . import builds, params
    from . import regions as catalogue

    parameters = params.parse(param_items)
    skipped = []
    if every or named or economies:
        if region_name or countries or name:
            raise UsageError("--all, --named and --economies build many regions; give no "
                             "REGION, --countries or --name with them")
        chosen = []
        if every or named:
            chosen += [catalogue.resolve(n) for n in catalogue.names()]
        if every or economies:
            ready, skipped = builds.economies_with_data()
            chosen += ready
    else:
        chosen = [_one_region(region_name, countries, name)]
    _say_leftovers(chapter_ids)
    for economy, reason in skipped:
        click.echo(f"skipped {economy.name} ({economy.members[0]}): {reason}", err=True)
    outcomes = builds.editions(chosen, chapter_ids or None, parameters, strict=not no_strict,
                               workers=workers, address=address, progress=not quiet)
    click.echo(builds.summary_table(outcomes))
    for outcome in outcomes:
        if outcome.folder:
            click.echo(f"{outcome.region}: {outcome.folder / 'html' / 'index.html'}")
    builds.fail_on(outcomes)


@region.command("index")
def region_index() -> None:
    """List built editions and whether each is current."""
    from . import gallery
    from .executor import Cache

    found = gallery.built()
    if not found:
        click.echo("no region edition built yet: `scicollab region build Kenya` builds one, "
                   "`scicollab regions` lists the named regions")
        return
    cache = Cache()
    for record in found:
        status = "current" if gallery.is_current(record, cache) else "out of date"
        click.echo(f"{record['region']:30s} {record.get('built', ''):20s}  {status:11s}  "
                   f"{record['folder']}")


@cli.command()
@_workers_option
@_scheduler_option
@click.option("--no-strict", is_flag=True, help="do not turn warnings into errors")
@click.option("-q", "--quiet", is_flag=True, help="no progress bar")
def site(workers, address, no_strict, quiet) -> None:
    """Build every named region's and every economy's edition, then the book with all of them
    into _build/html (what the publishing workflow runs)."""
    from . import builds
    from . import regions as catalogue

    _say_leftovers()
    ready, skipped = builds.economies_with_data()
    chosen = [catalogue.resolve(n) for n in catalogue.names()
              if not catalogue.resolve(n).is_world] + ready
    for economy, reason in skipped:
        click.echo(f"skipped {economy.name} ({economy.members[0]}): {reason}", err=True)
    outcomes = builds.editions(chosen, strict=not no_strict, workers=workers, address=address,
                               progress=not quiet)
    built = sum(o.status != "failed" for o in outcomes)
    click.echo(f"{built} of {len(outcomes)} editions built or current; "
               f"{len(skipped)} economies skipped for lack of data")
    outcome = builds.book(strict=not no_strict, workers=workers, address=address,
                          progress=not quiet)
    click.echo(f"site: {outcome.html / 'index.html'} ({len(outcome.published)} editions)")
    builds.fail_on(outcomes)


@cli.command(epilog=EXAMPLES["brief"])
@click.argument("region_name", required=False, metavar="[REGION]")
@_region_options
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="folder to write the pack into (new, empty, or an earlier pack)")
def brief(region_name, countries, name, chapter_ids, workers, address, quiet, out) -> None:
    """Write a brief pack: figures (PNG 300 dpi, SVG, CSV), figures.md, numbers, manifest."""
    from . import brief as packs

    chosen = _one_region(region_name, countries, name)
    _say_leftovers(chapter_ids)
    folder = packs.build(chosen, out, chapter_ids or None, workers=workers, address=address,
                         progress=not quiet)
    click.echo(f"brief pack for {chosen.name}: {folder}")


# --------------------------------------------------------------------------- entry point


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``), stopping the command as Ctrl-C does."""


def _terminate(signum, frame) -> None:
    raise Terminated


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """While a command runs, SIGTERM stops it as Ctrl-C does (outputs kept whole, staged files
    removed, workers and kernels stopped): a job started in the background ignores Ctrl-C, and
    ``kill`` is how it is stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """Run a command; errors become one line on standard error and an exit code."""
    try:
        with _sigterm_as_interrupt():
            cli.main(args=argv, prog_name="scicollab", standalone_mode=False)
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        context = getattr(exc, "ctx", None)
        hint = f" (see `{context.command_path} --help`)" if context is not None else ""
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except click.Abort as exc:  # click's word for a KeyboardInterrupt it caught
        return _interrupted(exc.__cause__ or exc.__context__)
    except ScicollabError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python flushes stdout at exit)
        return 0


def _interrupted(stopped: BaseException | None) -> int:
    """After Ctrl-C or SIGTERM (``stopped``): remove what stopped workers left staged, say so,
    and return the exit code, 143 for SIGTERM and 130 for Ctrl-C."""
    from . import builds

    with contextlib.suppress(ScicollabError, OSError):
        builds.clean_leftovers()
    terminated = isinstance(stopped, Terminated)
    click.echo(f"{'terminated' if terminated else 'interrupted'}; nothing half-written was kept "
               "(outputs are replaced only when complete)", err=True)
    return 143 if terminated else 130


def entry() -> None:
    """The console script."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
