"""`kg evaluate`: accuracy against the gold annotations."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from .cli import fail, main
from .errors import KgError


@main.command()
@click.option(
    "--gold",
    default="data/gold",
    show_default=True,
    type=click.Path(),
    help="Folder of *.gold.yaml files.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--per-document", is_flag=True, help="Also show each document's scores.")
@click.option(
    "--floors",
    "floors_file",
    default="pyproject.toml",
    show_default=True,
    type=click.Path(),
    help="TOML file with [tool.policy-kg.floors].",
)
def evaluate(gold: str, fmt: str, per_document: bool, floors_file: str) -> None:
    """Score the pipeline against gold annotations; exit 1 below the floors in pyproject.toml.

    \b
    Example:
      kg evaluate --per-document
    """
    from pathlib import Path

    from .evaluate import CATEGORIES, floors
    from .evaluate import evaluate as run_evaluation

    try:
        evaluation = run_evaluation(Path(gold))
    except KgError as error:
        raise fail(error) from error
    rows = {c: evaluation.total(c) for c in CATEGORIES}
    if fmt == "json":
        payload = {
            c: {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
            }
            for c, s in rows.items()
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        _print_scores("all documents", rows)
        for document, scores in evaluation.by_document.items() if per_document else []:
            _print_scores(document, scores)
    failures = evaluation.failures(floors(Path(floors_file)))
    for line in failures:
        click.echo(f"below floor: {line}", err=True)
    sys.exit(1 if failures else 0)


def _print_scores(title: str, rows) -> None:
    table = Table("category", "precision", "recall", "F1", "tp", "fp", "fn", title=title)
    for category, score in rows.items():
        table.add_row(
            category,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.tp),
            str(score.fp),
            str(score.fn),
        )
    Console(width=100).print(table)
