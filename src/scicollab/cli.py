"""The command line: build the data, list regions and chapters, run chapters, build the book."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import paths
from .errors import ScicollabError


def _parse_params(items: list[str]) -> dict[str, object]:
    import ast

    values: dict[str, object] = {}
    for item in items:
        if "=" not in item:
            raise ScicollabError(f"parameter {item!r} must look like name=value")
        name, raw = item.split("=", 1)
        try:
            values[name.strip()] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            values[name.strip()] = raw
    return values


def cmd_data_build(args: argparse.Namespace) -> int:
    """Build the processed tables and manifest from the raw files."""
    from . import pipeline

    manifest = pipeline.build(Path(args.raw), Path(args.out), only=args.table or None,
                              wvs_file=Path(args.wvs) if args.wvs else None)
    for name, entry in manifest["tables"].items():
        print(f"{name:24s} {entry['rows']:>8d} rows  {entry['file']}")
    print(f"data version {manifest['data_version']} written to {args.out}")
    return 0


def cmd_data_check(args: argparse.Namespace) -> int:
    """Verify every processed table against the manifest's checksums."""
    from . import datasets

    for name in datasets.manifest()["tables"]:
        datasets.load(name)
        print(f"ok  {name}")
    return 0


def cmd_data_fetch(args: argparse.Namespace) -> int:
    """Download the raw files from their publishers into the raw folder."""
    from . import datasets, fetch

    try:
        expected = fetch.expected_checksums(datasets.manifest())
    except ScicollabError:
        expected = {}
    notes = fetch.fetch(Path(args.raw), args.file, expected=expected)
    for note in notes:
        print(f"note: {note}")
    print(f"raw files written to {args.raw}; next: scicollab data build --raw {args.raw}")
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    """List named regions with their kind and number of members."""
    from . import regions

    for name in regions.names(args.kind):
        region = regions.resolve(name)
        print(f"{region.name:30s} {region.kind:11s} {len(region.members):4d}  {region.slug}")
    return 0


def cmd_chapters(args: argparse.Namespace) -> int:
    """List chapters and their parameters."""
    from .chapters import catalogue

    for chapter in catalogue.chapters():
        params = ", ".join(f"{k}={v!r}" for k, v in catalogue.parameters(chapter).items())
        print(f"{chapter:20s} {params}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Execute chapters for one region."""
    from . import runner

    params = _parse_params(args.param)
    region, chapters = runner.plan(args.region, args.chapter, params)
    out = Path(args.out) if args.out else runner.regions_dir() / region.slug
    print(f"region {region.name} ({len(region.members)} economies): {', '.join(chapters)}")
    for chapter in chapters:
        done = runner.run_chapter(chapter, region, out, params)
        print(f"  done {chapter}: {done.notebook}")
    print(f"figures in {out / 'figures'}")
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    """Build the HTML book (notebooks executed, warnings are errors)."""
    from . import book

    code, log, problems = book.build(strict=not args.no_strict, out=args.out,
                                     workers=args.workers)
    for line in problems[:30]:
        print(line, file=sys.stderr)
    if code:
        print(f"book build failed; full log in {log}", file=sys.stderr)
    else:
        print(f"book built: {log.parent / 'html' / 'index.html'} (log {log})")
    kernel_errors = book.kernel_messaging_errors(log.read_text())
    if kernel_errors:
        print(f"note: kernels logged {len(kernel_errors)} error(s) in their own messaging layer "
              f"(ZeroMQ), not in chapter code; tracebacks in {log}", file=sys.stderr)
    return code


def _edition_regions(args: argparse.Namespace) -> list:
    """The regions a `region build`/`brief` command names (validated before any kernel)."""
    from . import editions, regions

    if getattr(args, "all", False):
        if args.region or args.countries:
            raise ScicollabError("--all builds every named region; give no REGION or --countries")
        return [regions.resolve(name) for name in regions.names()]
    name = args.name if args.countries else args.region
    if args.countries and args.region and not args.name:
        name = args.region
    return [editions.region_from_args(name, args.countries)]


def cmd_region_build(args: argparse.Namespace) -> int:
    """Build region editions: chapters executed (cached, in parallel), then the HTML book."""
    from . import editions

    chosen = _edition_regions(args)
    params = _parse_params(args.param)
    results = editions.build_editions(chosen, args.chapter, params, workers=args.workers,
                                      strict=not args.no_strict, progress=not args.quiet)
    print(editions.summary_table(results))
    for result in results:
        if result.folder:
            print(f"{result.region}: {result.folder / 'html' / 'index.html'}")
    failed = [r for r in results if r.status != "ok"]
    if failed:
        print(f"{len(failed)} edition(s) failed; their previous editions were kept",
              file=sys.stderr)
    return 1 if failed else 0


def cmd_region_index(args: argparse.Namespace) -> int:
    """List built editions, and copy them into a built site's regions/ folder with --publish."""
    from . import editions

    found = editions.built_editions()
    code = editions.code_fingerprint() if found else ""
    for edition in found:
        status = "current" if editions.is_current(edition, code) else "out of date"
        print(f"{edition['region']:30s} {edition['built']}  {status:11s}  {edition['folder']}")
    if args.publish:
        copied = editions.publish_into(Path(args.publish))
        print(f"copied {len(copied)} edition(s) into {Path(args.publish) / 'regions'}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """Write a brief pack: figures (PNG 300 dpi, SVG, CSV), figures.md, numbers, manifest."""
    from . import brief

    region = _edition_regions(args)[0]
    out = brief.build(region, Path(args.out), args.chapter, workers=args.workers,
                      progress=not args.quiet)
    print(f"brief pack for {region.name}: {out}")
    return 0


def _add_edition_commands(sub) -> None:
    """`region build`, `region index` and `brief`."""
    def region_args(command, allow_all: bool) -> None:
        command.add_argument("region", nargs="?", help="a named region, e.g. 'South Asia'")
        if allow_all:
            command.add_argument("--all", action="store_true", help="every named region")
        command.add_argument("--countries", help="custom region: ISO3 codes, e.g. USA,CAN,MEX")
        command.add_argument("--name", help="name of the custom region")
        command.add_argument("--chapter", action="append",
                             help="chapter id (repeatable; default all)")
        command.add_argument("--workers", type=int, default=2,
                             help="parallel worker processes (default %(default)s)")
        command.add_argument("-q", "--quiet", action="store_true", help="no progress bars")

    region = sub.add_parser("region", help="region editions of the whole book")
    region_sub = region.add_subparsers(dest="region_command", required=True)
    build = region_sub.add_parser("build", help="execute every chapter for a region and "
                                  "build its HTML edition in _build/regions/<slug>/html")
    region_args(build, allow_all=True)
    build.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                       help="extra notebook parameter (checked against the notebooks)")
    build.add_argument("--no-strict", action="store_true",
                       help="do not turn warnings into errors")
    build.set_defaults(func=cmd_region_build)
    index = region_sub.add_parser("index", help="list built editions")
    index.add_argument("--publish", metavar="HTML_DIR",
                       help="copy the editions into HTML_DIR/regions/<slug>/")
    index.set_defaults(func=cmd_region_index)

    brief = sub.add_parser("brief", help="a region's figures, numbers and citations as files")
    region_args(brief, allow_all=False)
    brief.add_argument("--out", required=True, help="folder to write the pack into")
    brief.set_defaults(func=cmd_brief)


def parser() -> argparse.ArgumentParser:
    """The argument parser of the scicollab command."""
    main = argparse.ArgumentParser(prog="scicollab", description=__doc__)
    sub = main.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="build or check the processed data")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    build = data_sub.add_parser("build", help="raw files -> data/*.csv + manifest.json")
    build.add_argument("--raw", default=str(paths.default_raw_dir()),
                       help="folder of raw publisher files (default: %(default)s)")
    build.add_argument("--out", default=str(paths.data_dir()), help="output folder")
    build.add_argument("--table", action="append", help="build only this table (repeatable)")
    build.add_argument("--wvs", metavar="FILE", help="WVS wave-7 or time-series respondent file "
                       "(CSV, .dta, .sav): its weighted trust shares replace the aggregates of "
                       "the country-waves it covers")
    build.set_defaults(func=cmd_data_build)
    check = data_sub.add_parser("check", help="verify processed tables against the manifest")
    check.set_defaults(func=cmd_data_check)
    fetch = data_sub.add_parser("fetch", help="download the raw files from their publishers "
                                "(needs network)")
    fetch.add_argument("--raw", default=str(paths.default_raw_dir()),
                       help="folder to fill (default: %(default)s)")
    fetch.add_argument("--file", action="append", help="only this raw-folder path (repeatable)")
    fetch.set_defaults(func=cmd_data_fetch)

    regions = sub.add_parser("regions", help="list named regions")
    regions.add_argument("--kind", choices=["world", "income", "geographic", "custom"])
    regions.set_defaults(func=cmd_regions)

    chapters = sub.add_parser("chapters", help="list chapters and their parameters")
    chapters.set_defaults(func=cmd_chapters)

    run = sub.add_parser("run", help="execute chapters for a region with papermill")
    run.add_argument("--region", required=True, help="a named region, e.g. 'South Asia'")
    run.add_argument("--chapter", action="append", help="chapter id (repeatable; default all)")
    run.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                     help="extra notebook parameter (checked against the notebook)")
    run.add_argument("--out", help="output folder (default _build/regions/<slug>)")
    run.set_defaults(func=cmd_run)

    book = sub.add_parser("book", help="build the HTML book into _build/html")
    book.add_argument("--no-strict", action="store_true", help="do not turn warnings into errors")
    book.add_argument("--out", type=Path, help="put _build/ under this folder instead")
    book.add_argument("--workers", type=int, default=None,
                      help="processes executing chapters (default: one per CPU, at most 8)")
    book.set_defaults(func=cmd_book)
    _add_edition_commands(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    """Entry point: run a command, turning known errors into a message and exit code 2."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ScicollabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; outputs of unfinished chapters were discarded", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python flushes stdout at exit)
        return 0


if __name__ == "__main__":
    sys.exit(main())
