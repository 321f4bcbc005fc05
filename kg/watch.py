"""Keeping a store in step with folders: build again whenever a file changes.

A watch builds once, then every ``interval`` seconds builds again. A round where
nothing changed reads no file (the hash cache answers from size, time and inode) and
extracts nothing; the spaCy pipeline, the rules and the store's document index stay
loaded between rounds, so a changed article is in the store within about a second.
"""

from __future__ import annotations

import importlib
import inspect
import os
import time
from collections.abc import Callable, Iterable

from .build import BuildSummary, build
from .hashcache import for_store
from .rules import extraction_modules


def changed(summary: BuildSummary, failed_before: list[str]) -> bool:
    """Whether a round did anything worth telling: documents written or pruned, or a
    different set of failures than the round before."""
    wrote = summary.added or summary.updated or summary.pruned
    return bool(wrote) or summary.errors != failed_before


def warm_up(model: str | None = None, link: bool = True) -> None:
    """Load spaCy, the lexicons and the pipeline now, so the first change a watch sees
    is extracted as fast as the ones after it: every rule set the extraction modules
    build once (their cached functions of no arguments: the spaCy pipeline and matchers,
    the compiled cue patterns, the gazetteer), then a short text through the pipeline."""
    from .pipeline import extract_document
    from .read import RawDocument

    for build_once in cached_builders():
        build_once()
    extract_document(
        RawDocument("warm-up.txt", "Warm Up\n\nA short text.\n", "text"), model=model, link=link
    )


def cached_builders() -> list[Callable[[], object]]:
    """The ``functools.cache`` functions of no arguments defined in the modules that
    extraction runs (``kg.rules.extraction_modules``), in module and name order."""
    found = []
    for path in extraction_modules():
        module = importlib.import_module(f"{__package__}.{path.stem}")
        for _name, value in sorted(vars(module).items()):
            built_here = getattr(value, "__module__", None) == module.__name__
            if built_here and hasattr(value, "cache_info") and not _parameters(value):
                found.append(value)
    return found


def _parameters(function) -> bool:
    return bool(inspect.signature(function).parameters)


def watch(
    paths: Iterable[str | os.PathLike],
    store,
    *,
    interval: float = 1.0,
    rounds: int | None = None,
    on_round: Callable[[BuildSummary], None] = lambda _summary: None,
    **options,
) -> None:
    """Build ``paths`` into ``store`` now and again every ``interval`` seconds (for
    ``rounds`` rounds after the first, or until interrupted), calling ``on_round`` with
    the summary of each round that changed something. ``options`` go to ``build``."""
    paths = list(paths)
    local = getattr(store, "folder", None) is not None  # otherwise others may write too
    stored = store.documents()
    hashes = for_store(store)
    summary = build(paths, store, stored=stored, hashes=hashes, **options)
    on_round(summary)
    warm_up(options.get("model"), options.get("link", True))
    done = 0
    while rounds is None or done < rounds:
        time.sleep(interval)
        failed_before = summary.errors
        known = (stored, hashes) if local else (None, None)
        summary = build(paths, store, stored=known[0], hashes=known[1], **options)
        if changed(summary, failed_before):
            on_round(summary)
        done += 1
