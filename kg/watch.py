"""Keeping a store in step with folders: build again whenever a file changes.

A watch builds once, then builds again as soon as the file system reports a change
to a document, a sidecar or a folder under its paths, and checks every ``interval``
seconds in any case (less and less often while nothing happens, where changes are
reported: see ``Pace``). A round where nothing changed reads no file (the hash cache
answers from size, time and inode) and extracts nothing; the spaCy pipeline, the
rules, the store's document index and the hash cache stay loaded between rounds, so a
changed article is in the store within about a second.
"""

from __future__ import annotations

import importlib
import inspect
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .build import SIDECAR_SUFFIX, BuildSummary, build, is_document_name
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
    on_pace: Callable[[Pace], None] = lambda _pace: None,
    **options,
) -> None:
    """Build ``paths`` into ``store`` now and again whenever a file under them changes
    and at the checks of a ``Pace`` of ``interval`` seconds (for ``rounds`` rounds after
    the first, or until interrupted), calling ``on_round`` with the summary of each
    round that changed something, and ``on_pace`` with the pace once changes are watched
    and again if it finds that the file system does not report them all.
    ``options`` go to ``build``."""
    paths = list(paths)
    local = getattr(store, "folder", None) is not None  # otherwise others may write too
    with ChangeSignal(paths) as changes:  # from the start: the first build may miss some
        pace = Pace(interval, reported=changes.live)
        on_pace(pace)
        stored = store.documents()
        hashes = for_store(store)
        summary = build(paths, store, stored=stored, hashes=hashes, **options)
        on_round(summary)
        warm_up(options.get("model"), options.get("link", True))
        done = 0
        while rounds is None or done < rounds:
            woken = changes.wait(pace.wait)
            failed_before = summary.errors
            known = (stored, hashes) if local else (None, None)
            summary = build(paths, store, stored=known[0], hashes=known[1], **options)
            found = changed(summary, failed_before)
            if found:
                on_round(summary)
            missed = (  # asked only while events are trusted: it may wait for one
                pace.reported and found and not woken and not changes.pending(MISSED_AFTER_S)
            )
            if pace.after(woken, found, missed):
                on_pace(pace)
            done += 1


IDLE_MAX_S = 30.0  # the longest an idle watch goes between checks, where changes are reported
MISSED_AFTER_S = 1.0  # how late a change's event may come (watchdog holds a move out 0.5 s)


class Pace:
    """How long a watch waits for a reported change before it checks anyway.

    Where the file system reports no changes, a check every ``interval`` seconds is all
    there is. Where it does, the checks only catch what it failed to report, so an idle
    watch checks half as often after each check that found nothing, down to one every
    ``IDLE_MAX_S`` (a check of 10,000 unchanged files costs about 0.35 s of CPU), and
    every ``interval`` again after any change reported or found. A check that finds a
    change no event reported within ``MISSED_AFTER_S`` shows that events miss some here
    (a network mount, or a linked file edited where it lives): from then on, the checks
    stay every ``interval``.

    >>> pace = Pace(1.0, reported=True)
    >>> [pace.after(woken=False, found=False, missed=False) for _ in range(6)]
    [False, False, False, False, False, False]
    >>> pace.wait
    30.0
    >>> pace.after(woken=False, found=True, missed=True), pace.wait, pace.reported
    (True, 1.0, False)
    """

    def __init__(self, interval: float, reported: bool):
        self.interval = interval
        self.reported = reported
        self.wait = interval

    @property
    def longest(self) -> float:
        return max(self.interval, IDLE_MAX_S) if self.reported else self.interval

    def after(self, woken: bool, found: bool, missed: bool) -> bool:
        """Set the next wait after a round ``woken`` by a reported change or not, that
        ``found`` a change or not, ``missed`` by the events or not; True when the events
        are no longer trusted from now on."""
        stops_trusting = missed and self.reported
        if missed:
            self.reported = False
        busy = woken or found
        self.wait = self.interval if busy else min(2 * self.wait, self.longest)
        return stops_trusting


class ChangeSignal:
    """Wakes a watch as soon as the file system reports a change under its paths (inotify
    on Linux, FSEvents on macOS, through ``watchdog``), so a round starts within
    ``SETTLE_S`` of an edit instead of at the next tick; the ticks go on, for changes no
    event reports (some network file systems). Where events cannot be had, it is the
    ticks alone. Only changes to documents, sidecars and folders the build reads count:
    the round's own reads, a store kept inside a watched folder and hidden folders such
    as ``.git`` wake nothing."""

    def __init__(self, paths: Iterable[str | os.PathLike]):
        self._paths = [Path(p) for p in paths]
        self._event = threading.Event()
        self._observer = None

    def __enter__(self) -> ChangeSignal:
        try:
            from watchdog.observers import Observer
        except ImportError:
            return self  # ticks only
        observer = Observer()
        try:
            for folder, recursive in _watched(self._paths):
                handler = _Handler(self._event, str(folder))
                observer.schedule(
                    handler, str(folder), recursive=recursive, event_filter=_event_kinds()
                )
            observer.start()
        except OSError:  # no such folder, or the system's limit of watches reached
            observer.stop()
            return self  # ticks only
        except BaseException:
            observer.stop()
            raise
        self._observer = observer
        return self

    def __exit__(self, *_exc) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)

    @property
    def live(self) -> bool:
        """Whether the file system reports changes here (else there are only the ticks)."""
        return self._observer is not None

    def pending(self, within: float = 0.0) -> bool:
        """Whether a change was reported since the last wait, or is within ``within``
        seconds (an event may come a little after the change it reports)."""
        return self._event.wait(within) if within else self._event.is_set()

    def wait(self, interval: float) -> bool:
        """Wait for a change or ``interval`` seconds; True when a change woke it. Changes
        come in bursts (an editor's write and rename): the burst is let settle, and what
        comes after the wait wakes the next one."""
        woken = self._event.wait(interval)
        if woken:  # (not cleared after a timeout: an event just then wakes the next wait)
            time.sleep(SETTLE_S)
            self._event.clear()
        return woken


SETTLE_S = 0.05  # how long a burst of file events is let run before a round starts


def _event_kinds() -> list:
    """The only kinds of event the system is asked for (watchdog passes on no other):
    not opening or reading a file, nor a folder's "modified", which is any file in it."""
    from watchdog import events

    return [
        events.FileCreatedEvent,
        events.FileDeletedEvent,
        events.FileModifiedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,  # closed after a write
        events.FileAttribEvent,  # made readable, say
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
        events.EventsLostEvent,
    ]


def _watched(paths: list[Path]) -> list[tuple[Path, bool]]:
    """What to ask events of: each folder with all below it, the folder of each file."""
    return [(p, True) if p.is_dir() else (p.parent, False) for p in paths]


class _Handler:
    """Sets ``event`` on a change that can alter what a round finds under ``folder``: a
    document or a sidecar written, made, removed, renamed or made readable, or a folder
    made, removed or renamed, outside hidden folders (which the build does not read); and
    when the system lost events, as they may have been any of those."""

    def __init__(self, event: threading.Event, folder: str):
        self._event = event
        self._folder = folder

    def dispatch(self, event) -> None:
        if event.event_type == "events_lost":
            self._event.set()
            return
        names = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        if any(self._counts(name, event.is_directory) for name in names if name):
            self._event.set()

    def _counts(self, path: str, folder: bool) -> bool:
        parts = os.path.relpath(path, self._folder).split(os.sep)
        if any(part.startswith(".") and part not in (".", "..") for part in parts):
            return False
        name = parts[-1]
        return folder or is_document_name(name) or name.casefold().endswith(SIDECAR_SUFFIX)
