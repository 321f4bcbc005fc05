"""`kg build`: extract files into the store, once or (``--watch``) whenever they change."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from .build import build as build_store
from .build import document_files, parse_shard
from .cli import Context, err, fail, main, pass_context, remote_options
from .errors import KgError
from .read import DEFAULT_MAX_BYTES


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--prune", is_flag=True, help="Remove documents whose files are gone.")
@click.option(
    "--max-bytes",
    type=int,
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse files larger than this.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or warnings.")
@click.option("--model", default=None, help="An installed statistical spaCy model to add entities.")
@click.option("--no-link", is_flag=True, help="Do not link actors to the Wikidata reference.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Extract in this many worker processes.",
)
@click.option(
    "--shard",
    metavar="K/N",
    default=None,
    help="Only the K-th of N slices of the files (for N machines filling one store).",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: build again whenever a file is added, changed or (with --prune) removed.",
)
@click.option(
    "--interval",
    type=click.FloatRange(0.05),
    default=1.0,
    show_default=True,
    help=(
        "Seconds between checks with --watch. Reported changes are taken in at once, and "
        "where the file system reports them, an idle watch's checks grow apart, up to 30 s."
    ),
)
@remote_options
@pass_context
def build(
    obj: Context,
    paths: tuple[str, ...],
    prune: bool,
    max_bytes: int,
    quiet: bool,
    model: str | None,
    no_link: bool,
    jobs: int,
    shard: str | None,
    watch: bool,
    interval: float,
) -> None:
    """Extract documents (.txt, .md, .html files or folders) into the store.

    Unchanged documents are skipped; changed ones replace their graph.

    \b
    \b
    Examples:
      kg build data/documents --prune
      kg build archive/ --jobs 2
      kg build archive/ --shard 1/2 --endpoint http://127.0.0.1:7878/query
      kg build inbox/ --watch --prune
    """
    try:
        shards = parse_shard(shard) if shard else None
    except KgError as error:
        raise fail(error) from error
    options = dict(
        prune=prune, max_bytes=max_bytes, model=model, link=not no_link, jobs=jobs, shard=shards
    )
    if watch:
        _watch(obj, paths, quiet, interval, options)
        return
    try:
        total = len(list(document_files(paths)))
        store = obj.open()
        with _progress(quiet or not sys.stderr.isatty(), total) as advance:
            summary = build_store(paths, store, on_document=advance, **options)
        del store  # close the store (and free its lock) before any exit
    except KgError as error:
        raise fail(error) from error
    _report(summary, quiet)
    if summary.failed:
        sys.exit(2 if summary.failed == summary.total else 1)


def _report(summary, quiet: bool) -> None:
    for message in summary.errors:
        click.echo(f"error: {message}", err=True)
    if not quiet:
        for message in summary.warnings:
            click.echo(f"warning: {message}", err=True)
    click.echo(summary.line())


def _watch(obj: Context, paths, quiet: bool, interval: float, options: dict) -> None:
    """Build, then build again whenever something changed, until interrupted (exit 0)."""
    from .watch import watch

    def on_round(summary) -> None:
        _report(summary, quiet)
        sys.stdout.flush()

    def on_pace(pace) -> None:
        err.print(f"watching {', '.join(paths)}: {_pace_words(pace)} (Ctrl-C to stop)")

    try:
        store = obj.open()
        watch(paths, store, interval=interval, on_round=on_round, on_pace=on_pace, **options)
    except KgError as error:
        raise fail(error) from error
    except KeyboardInterrupt:
        err.print("stopped watching")


def _pace_words(pace) -> str:
    """When a watch looks for changes.

    >>> from kg.watch import Pace
    >>> _pace_words(Pace(1.0, reported=True))
    'on each change reported, and every 1 s, up to 30 s apart while idle'
    >>> _pace_words(Pace(60.0, reported=True))
    'on each change reported, and every 60 s'
    >>> _pace_words(Pace(2.0, reported=False))
    'every 2 s (the file system does not report all changes here)'
    """
    if not pace.reported:
        return f"every {pace.interval:g} s (the file system does not report all changes here)"
    words = f"on each change reported, and every {pace.interval:g} s"
    if pace.longest > pace.interval:
        words += f", up to {pace.longest:g} s apart while idle"
    return words


class _progress:
    """A rich progress bar, or nothing when output is not a terminal."""

    def __init__(self, silent: bool, total: int):
        self.silent, self.total = silent, total

    def __enter__(self):
        if self.silent:
            return lambda _name: None
        self.bar = Progress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("", total=self.total)
        return lambda name: self.bar.update(task, advance=1, description=name)

    def __exit__(self, *exc):
        if not self.silent:
            self.bar.stop()
