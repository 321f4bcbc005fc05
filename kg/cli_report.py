"""`kg report` (an HTML site of the graph) and `kg graph` (a static picture)."""

from __future__ import annotations

import click

from .cli import Context, fail, main, pass_context, remote_options
from .errors import KgError
from .export import write_export
from .graphdraw import FORMATS, actor_dot, construct_dot, render
from .query import parse_params
from .report import DEFAULT_MAX_ACTORS, write_report


@main.command()
@click.option("-o", "--output", default="report", show_default=True, help="Folder to write.")
@click.option(
    "--max-actors",
    default=DEFAULT_MAX_ACTORS,
    show_default=True,
    type=click.IntRange(1),
    help="Show this many of the most mentioned actors in the network.",
)
@remote_options
@pass_context
def report(obj: Context, output: str, max_actors: int) -> None:
    """Write an HTML report of the graph: overview, actor network, debate,
    recommendations, timeline and every article with its highlights.

    \b
    Examples:
      kg report -o report/
      xdg-open report/index.html
    """
    try:
        pages = write_report(obj.open(read_only=True), output, max_actors=max_actors)
    except KgError as error:
        raise fail(error) from error
    click.echo(f"wrote {len(pages)} pages to {output}/ (open {output}/index.html)", err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Default: from -o's suffix."
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write, - for stdout.")
@click.option("--query", "query_name", default=None, help="Draw this CONSTRUCT query's graph.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="For --query.")
@click.option("--max-actors", default=40, show_default=True, type=click.IntRange(1))
@click.option(
    "--min-weight", default=1, show_default=True, type=click.IntRange(1), help="Hide weaker links."
)
@remote_options
@pass_context
def graph(obj: Context, fmt, output, query_name, params, max_actors, min_weight) -> None:
    """Draw the actor network (or a CONSTRUCT query's graph) as SVG, PNG or DOT.

    \b
    Examples:
      kg graph -o out/actors.svg
      kg graph --format png --max-actors 25 -o out/actors.png
      kg graph --query my-construct.rq -o out/query.svg
    """
    fmt = fmt or _format_from(output)
    try:
        store = obj.open(read_only=True)
        if query_name:
            dot = construct_dot(store, query_name, parse_params(params))
        else:
            dot = actor_dot(store, max_actors=max_actors, min_weight=min_weight)
        data = render(dot, fmt)
    except KgError as error:
        raise fail(error) from error
    write_export(data, output)
    if output != "-":
        click.echo(f"wrote {output} ({fmt}, {len(data):,} bytes)", err=True)


def _format_from(output: str) -> str:
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if suffix in FORMATS:
        return suffix
    if output == "-":
        return "dot"
    raise fail(KgError(f"{output}: say --format svg, png or dot (unknown suffix)"))
