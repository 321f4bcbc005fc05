"""The ``kg`` command: a thin layer that parses options, calls the library and maps errors.

Exit codes: 0 success (or conforms), 1 findings (violations, some files failed),
2 usage or runtime error (nothing could be done).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from . import __version__, shared
from .errors import KgError
from .export import export_to, format_for, graph_name, write_export_with
from .jsonout import extraction_dict
from .namespaces import DEFAULT_BASE, PREFIXES
from .query import (
    DEFAULT_TIMEOUT_S,
    bind_parameters,
    parse_params,
    resolve_query,
    run_query,
    saved_queries,
    serialize_result,
    table_rows,
)
from .read import DEFAULT_MAX_BYTES
from .remote import RemoteStore
from .stats import store_stats
from .store import KgStore, default_store_path

err = Console(stderr=True)


class KgUsageError(click.ClickException):
    exit_code = 2


@dataclass
class Context:
    store_path: str
    base: str
    endpoint: str | None = None
    update_endpoint: str | None = None
    graph_store: str | None = None

    def open(self, *, read_only: bool = False) -> KgStore | RemoteStore:
        if self.endpoint:
            return RemoteStore(
                self.endpoint,
                update_endpoint=self.update_endpoint,
                graph_store=self.graph_store,
                base=self.base,
            )
        return KgStore(self.store_path, base=self.base, read_only=read_only)


pass_context = click.make_pass_decorator(Context)


def remote_options(command):
    """``--endpoint`` (and its update and graph-store URLs): use a SPARQL server as the store."""

    def remember(ctx: click.Context, param: click.Parameter, value):
        if value:
            setattr(ctx.ensure_object(Context), param.name, value)
        return value

    options = [
        click.option(
            "--endpoint",
            envvar="KG_ENDPOINT",
            expose_value=False,
            callback=remember,
            metavar="URL",
            help="Use the SPARQL server at this query URL as the store (or $KG_ENDPOINT).",
        ),
        click.option(
            "--update-endpoint",
            expose_value=False,
            callback=remember,
            metavar="URL",
            help="Its SPARQL Update URL (default: .../update beside .../query).",
        ),
        click.option(
            "--graph-store",
            expose_value=False,
            callback=remember,
            metavar="URL",
            help="Its Graph Store Protocol URL (default: .../store beside .../query).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def fail(error: Exception) -> KgUsageError:
    return KgUsageError(str(error))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    default=default_store_path,
    show_default=".kg or $KG_STORE",
    help="Folder of the on-disk store.",
)
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of instance IRIs.")
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def main(ctx: click.Context, store_path: str, base: str) -> None:
    """Build a knowledge graph of foreign-policy debate from articles.

    \b
    Example:
      kg build data/documents && kg validate && kg query documents
    """
    ctx.obj = Context(store_path, base)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True)
@click.option("--model", default=None, help="An installed statistical spaCy model to add entities.")
@pass_context
def extract(
    obj: Context, files: tuple[str, ...], fmt: str, max_bytes: int, model: str | None
) -> None:
    """Print what the pipeline extracts from FILES, without touching the store.

    Prints a JSON array with one object per file (schema in the README).

    \b
    Example:
      kg extract data/documents/*.txt --format json
    """
    from .ids import Iris

    results, failures = [], 0
    for file in files:
        try:
            from .pipeline import extract_file

            extraction = extract_file(file, max_bytes=max_bytes, model=model)
            results.append(extraction_dict(extraction, Iris(obj.base)))
        except KgError as error:
            failures += 1
            click.echo(f"error: {error}", err=True)
    click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    if failures:
        sys.exit(2 if failures == len(files) else 1)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
)
@click.option("--reason", is_flag=True, help="Also check OWL consistency with HermiT (needs Java).")
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="The shapes compiled to SPARQL inside the store, or pySHACL over a copy.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that check the documents, a batch at a time (default: one per core).",
)
@remote_options
@pass_context
def validate(obj: Context, fmt: str, reason: bool, engine: str, jobs: int | None) -> None:
    """Check the store against the SHACL shapes (exit 0 conforms, 1 violations, 2 error).

    \b
    Example:
      kg validate --format json
    """
    try:
        store = obj.open(read_only=True)
        from .validate import validate_store

        report = validate_store(store, engine=engine, jobs=jobs)
        reasoning = _reason(store) if reason else None
    except KgError as error:
        raise fail(error) from error
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt == "turtle":
        click.echo(report.report_graph.serialize(format="turtle"))
    else:
        click.echo(report.to_text())
        click.echo(f"Validated in {report.seconds:.2f} s.")
    if reasoning is not None:
        click.echo(f"HermiT: {reasoning.message}", err=True)
    ok = report.conforms and (reasoning is None or reasoning.consistent)
    sys.exit(0 if ok else 1)


def _reason(store: KgStore):
    from .reason import check_consistency
    from .validate import store_data_graph

    return check_consistency(store_data_graph(store))


@main.command()
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]),
    default="table",
    show_default=True,
    help="Result format.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter of a saved query.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Stop a query that runs longer than this many seconds (0: no limit).",
)
@click.option("--update", is_flag=True, help="Allow a SPARQL update that changes the store.")
@click.option(
    "--allow-service", is_flag=True, help="Allow SERVICE calls from the query to other endpoints."
)
@remote_options
@pass_context
def query(
    obj: Context,
    query: str,
    fmt: str,
    params: tuple[str, ...],
    timeout: float,
    update: bool,
    allow_service: bool,
) -> None:
    """Run QUERY: SPARQL text, a .rq file, or the name of a saved query (read-only).

    \b
    Examples:
      kg query documents
      kg query citations-by-outlet --format csv
      kg query 'SELECT ?d WHERE { ?d a pk:Document }'
    """
    try:
        text, saved = resolve_query(query)
        text = bind_parameters(text, saved, parse_params(params))
        store = obj.open(read_only=not update)
        if saved is not None and shared.is_missing(store):
            click.echo(
                "warning: this store predates the shared graph the saved queries read; "
                "run `kg build` once to add it",
                err=True,
            )
        result = run_query(store, text, timeout=timeout, update=update, allow_service=allow_service)
        if result is None:
            click.echo("update applied", err=True)
            return
        if fmt == "table":
            _print_table(result, store)
        else:
            sys.stdout.buffer.write(serialize_result(result, "turtle" if fmt == "table" else fmt))
    except KgError as error:
        raise fail(error) from error


def _print_table(result, store: KgStore) -> None:
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QueryBoolean):
        click.echo("true" if bool(result) else "false")
        return
    if not isinstance(result, QuerySolutions):
        sys.stdout.buffer.write(serialize_result(result, "turtle"))
        return
    columns, rows = table_rows(result, {**PREFIXES, "id": store.iris.base})
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*row)
    Console().print(table, markup=False) if rows else click.echo("(no rows)")


@main.command("queries")
def list_queries() -> None:
    """List the saved queries with the question each answers.

    \b
    Example:
      kg queries
    """
    for saved in saved_queries().values():
        click.echo(f"{saved.name}: {saved.title}")
        if saved.question:
            click.echo(f"    {saved.question}")
        for name, description in saved.params.items():
            click.echo(f"    --param {name}=...  {description}")


@main.command()
@click.option(
    "--format",
    "fmt",
    default=None,
    help="turtle, trig, nt, nq, jsonld or xml "
    "(default: from the output file's extension, else turtle).",
)
@click.option("-o", "--output", default="-", show_default=True, help="Output file, - for stdout.")
@click.option(
    "--graph", default=None, help="Only this graph: 'ontology', a document id, or an IRI."
)
@click.option(
    "--frame",
    type=click.Choice(["document"]),
    default=None,
    help="JSON-LD with one object per article and its claims nested.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read a large store (default: one per core).",
)
@remote_options
@pass_context
def export(
    obj: Context,
    fmt: str | None,
    output: str,
    graph: str | None,
    frame: str | None,
    jobs: int | None,
) -> None:
    """Write the store (or one graph) in a standard RDF syntax, byte-identical across runs.

    \b
    \b
    Examples:
      kg export -o out/graph.jsonld
      kg export --frame document -o out/articles.jsonld
    """
    try:
        chosen = format_for(output, fmt)
        store = obj.open(read_only=True)
        if frame and fmt is None and output == "-":
            chosen = "jsonld"
        named = graph_name(store, graph) if graph else None
        written = write_export_with(
            lambda stream: export_to(stream, store, chosen, graph=named, frame=frame, jobs=jobs),
            output,
        )
    except KgError as error:
        raise fail(error) from error
    if output != "-":
        click.echo(f"wrote {output} ({chosen}, {written:,} bytes)", err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@remote_options
@pass_context
def stats(obj: Context, fmt: str) -> None:
    """Count documents, actors, claims, policies, events, citations and triples.

    \b
    Example:
      kg stats --format json
    """
    try:
        counts = store_stats(obj.open(read_only=True)).as_dict()
    except KgError as error:
        raise fail(error) from error
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
        return
    for name, value in counts.items():
        click.echo(f"{name.replace('_', ' '):>15}: {value:,}")


@main.command()
@pass_context
def optimize(obj: Context) -> None:
    """Compact the store on disk, so that queries, validation and exports read it faster.

    A build that at least doubles the store compacts it when it is done; a store grown
    by many smaller builds reads faster once compacted. Takes about 7 ms per stored
    document, and as much free disk space as the store for a while.

    \b
    Example:
      kg optimize
    """
    try:
        if not Path(obj.store_path).exists():
            raise KgError(f"{obj.store_path}: no store here (run `kg build` first)")
        store = obj.open()
        began = time.perf_counter()
        store.optimize()
        del store  # close the store (and free its lock)
    except KgError as error:
        raise fail(error) from error
    click.echo(f"compacted {obj.store_path} ({time.perf_counter() - began:.1f} s)")


# Commands defined in their own modules register themselves on `main`.
from . import cli_build, cli_evaluate, cli_link, cli_report  # noqa: E402, F401
