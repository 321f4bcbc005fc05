"""`kg link`: how actors are linked to Wikidata, and live linking."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .cli import Context, fail, main, pass_context
from .errors import KgError
from .live import DEFAULT_CACHE, DEFAULT_ENDPOINT, LiveLinker
from .query import table_rows


def endpoint_options(purpose: str):
    """--endpoint, --live and --cache, shared by the commands that ask a SPARQL endpoint;
    the command receives ``linker``: a cached LiveLinker, or None when no endpoint is asked."""

    def decorate(command):
        @click.option("--endpoint", default=None, metavar="URL", help=purpose)
        @click.option("--live", is_flag=True, help="Use the public Wikidata Query Service.")
        @click.option(
            "--cache",
            "cache_file",
            default=DEFAULT_CACHE,
            show_default=True,
            help="File caching every endpoint answer (re-runs make no requests).",
        )
        @functools.wraps(command)
        def with_linker(*args, endpoint, live, cache_file, **kwargs):
            linker = (
                LiveLinker(endpoint or DEFAULT_ENDPOINT, Path(cache_file))
                if endpoint or live
                else None
            )
            return command(*args, linker=linker, **kwargs)

        return with_linker

    return decorate


@main.command()
@click.option("--report", is_flag=True, help="List linked, ambiguous and unlinked actors.")
@endpoint_options("Also look up unlinked actors at this SPARQL endpoint.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_context
def link(obj: Context, report: bool, linker: LiveLinker | None, fmt: str) -> None:
    """Show how the store's actors are linked to Wikidata (offline reference).

    Linking happens during `kg build` (unless --no-link). The report counts
    linked, ambiguous and unlinked actors and places, most-mentioned first, so a
    curator knows what to add to data/reference next.

    With --endpoint URL (or --live) the actors the reference lacks are looked
    up by English label and alias at a SPARQL endpoint, every answer cached.

    \b
    Example:
      kg link --report
      kg link --endpoint http://127.0.0.1:7878/query
    """
    from .store import internal_query

    if linker is not None:
        _link_live(obj, linker)
    try:
        store = obj.open(read_only=True)
        columns, rows = table_rows(store.query(internal_query("link_report")), {})
    except KgError as error:
        raise fail(error) from error
    entries = [dict(zip(columns, row, strict=True)) for row in rows]
    counts = {
        s: sum(1 for e in entries if e["status"] == s) for s in ("linked", "ambiguous", "unlinked")
    }
    if fmt == "json":
        click.echo(json.dumps({"counts": counts, "actors": entries}, indent=2, ensure_ascii=False))
        return
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()))
    if report:
        table = Table("status", "actor", "mentions", "wikidata", "candidates")
        for entry in entries:
            table.add_row(
                entry["status"],
                entry["label"],
                entry["mentions"],
                entry["wikidata"].strip("<>"),
                entry["candidates"],
            )
        Console(width=120).print(table)


def _link_live(obj: Context, linker: LiveLinker) -> None:
    from .live import link_store

    try:
        result = link_store(obj.open(), linker)
    except KgError as error:
        raise fail(error) from error
    if result.unreachable:
        click.echo(f"endpoint unreachable: {result.unreachable}", err=True)
        click.echo(f"left unlinked: {'; '.join(result.unlinked)}", err=True)
        return
    linked, ambiguous = len(set(result.linked)), len({name for name, _ in result.ambiguous})
    click.echo(
        f"live: {linked} linked, {ambiguous} ambiguous, {len(set(result.unlinked))} unlinked "
        f"({linker.requests} requests, cache {linker.cache_path})"
    )


@main.command()
@endpoint_options("Also copy the properties of data/reference/enrich-properties.yaml from here.")
@pass_context
def enrich(obj: Context, linker: LiveLinker | None) -> None:
    """Copy facts about linked Wikidata entities into the graph <base>graph/enrichment.

    From the offline reference: label, description and kind; from an endpoint
    (--endpoint or --live), the configured properties. Saved queries such as
    claims-by-leaders join them with what the articles say.

    \b
    Example:
      kg enrich && kg query claims-by-leaders
    """
    from .enrich import enrich_store

    try:
        report = enrich_store(obj.open(), linker)
    except KgError as error:
        raise fail(error) from error
    click.echo(f"enrichment: {report.facts} facts about {report.entities} linked entities")


@main.command()
@click.option("--bind", default="127.0.0.1:7878", show_default=True, help="Host and port.")
@click.option("--writable", is_flag=True, help="Also accept SPARQL updates and Graph Store writes.")
@pass_context
def serve(obj: Context, bind: str, writable: bool) -> None:
    """Serve the store as a SPARQL 1.1 endpoint with a query web UI (Oxigraph's server).

    Read-only unless --writable; binds to 127.0.0.1 unless told otherwise.
    Queries go to http://HOST:PORT/query and see the union of all graphs.

    \b
    Example:
      kg serve --bind 127.0.0.1:7878
    """
    import os

    from .serve import serve_command

    try:
        command = serve_command(obj.store_path, bind=bind, writable=writable)
    except KgError as error:
        raise fail(error) from error
    click.echo(
        f"serving {obj.store_path} at http://{bind}/ ({'writable' if writable else 'read-only'})",
        err=True,
    )
    sys.stderr.flush()
    os.execv(command[0], command)  # the server replaces kg: a signal to kg reaches it
