"""The results of a run as a Markdown table and a PNG plot of cost against N."""

from __future__ import annotations

import json
from pathlib import Path

from .measure import MIN_LIMIT_S, MIN_QUERY_RUNS, QUERY_BUDGET_S, QUERY_LIMIT_S, RATIO_LIMIT


def write_report(rows: list[dict], folder: Path, stamp: str) -> Path:
    """Write the day's results; rows of other sizes measured earlier that day are kept,
    so `--docs 10000` after `--max 1000` gives one table of all five sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = merged(rows, folder / f"{stamp}.json")
    (folder / f"{stamp}.json").write_text(json.dumps(_plain(rows), indent=1), encoding="utf-8")
    markdown = folder / f"{stamp}.md"
    markdown.write_text(render(rows, stamp), encoding="utf-8")
    plot(rows, folder / f"{stamp}.png")
    return markdown


def merged(rows: list[dict], earlier: Path) -> list[dict]:
    """``rows`` plus the rows of ``earlier`` (a results JSON) for sizes not in ``rows``."""
    sizes = {row["docs"] for row in rows}
    kept = json.loads(earlier.read_text(encoding="utf-8")) if earlier.exists() else []
    return sorted([r for r in kept if r["docs"] not in sizes] + rows, key=lambda r: r["docs"])


def _plain(rows):
    return [{k: _strip(v) for k, v in row.items()} for row in rows]


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "stdout"}
    return value


def render(rows: list[dict], stamp: str) -> str:
    lines = [
        f"# policy-kg benchmark, {stamp}",
        "",
        "Synthetic corpus (`bench/corpus.py`, seed 7); one machine, 2 cores. Times are wall "
        "seconds of the whole command (process start included); RSS is the peak of that process.",
        "",
        *_commits(rows),
        "## Build, rebuild, validation",
        "",
        "| N | words | build s | of it compacting s | words/s | docs/s | build --jobs 2 s |"
        " peak RSS MB | triples | store MB | no-op rebuild s | one changed s |"
        " one changed, --watch s | validate s | validate peak RSS MB | validate/build |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        b = r["build"]["seconds"]
        v = r["validate"]["seconds"]
        lines.append(
            f"| {r['docs']:,} | {r['words']:,} | {b:.1f} | "
            f"{_optional(r['build'].get('compacted_s'))} | {r['words'] / b:,.0f} | "
            f"{r['docs'] / b:,.1f} | {_seconds(r.get('build_jobs2'))} | "
            f"{r['build']['rss_mb']:,.0f} | {r['triples']:,} | {r['store_mb']:,.0f} | "
            f"{r['noop']['seconds']:.2f} | {r['one_changed']['seconds']:.2f} | "
            f"{_watch_cell(r.get('watch'))} | {v:.1f} | "
            f"{r['validate']['rss_mb']:,.0f} | {v / b:.2f} |"
        )
    lines += write_lines(rows)
    lines += cost_lines(rows)
    lines += [
        "",
        "## Saved queries: p50 / p95 ms, rows returned; rdflib baseline (1 run, stopped"
        f" after {RATIO_LIMIT} times ours, between {MIN_LIMIT_S:g} and {QUERY_LIMIT_S:g} s: '>')",
        "",
        "Runs per query: "
        + ", ".join(f"{r.get('query_runs', 20)} at N={r['docs']:,}" for r in rows if "queries" in r)
        + f"; fewer (at least {MIN_QUERY_RUNS}), where shown, once a query's runs took"
        f" {QUERY_BUDGET_S:g} s: its p95 is then its slowest run.",
        "",
    ]
    names = sorted({name for r in rows for name in r.get("queries", {})})
    lines.append("| query | " + " | ".join(f"N={r['docs']:,}" for r in rows) + " |")
    lines.append("|---|" + "---|" * len(rows))
    for name in names:
        cells = []
        for r in rows:
            if name not in r.get("queries", {}):
                cells.append("-")
                continue
            ours = r["queries"][name]
            cell = f"{ours['p50']:.1f} / {ours['p95']:.1f}"
            if "rows" in ours:
                cell += f", {ours['rows']:,} rows"
            if ours.get("runs", r.get("query_runs", 20)) < r.get("query_runs", 20):
                cell += f", {ours['runs']} runs"
            cell += _baseline_cell(ours, r.get("baseline", {}).get("queries", {}).get(name))
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += export_lines(rows)
    return "\n".join(lines) + "\n"


def export_lines(rows: list[dict]) -> list[str]:
    """The table of export times per format (the formats any row measured) and of the
    rdflib baseline."""
    lines = ["", "## Exports (s) and the rdflib baseline", ""]
    baseline = ["rdflib load s", "rdflib SHACL s", "rdflib Turtle s", "rdflib peak RSS MB"]
    header = ["N", *_formats(rows), *baseline]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for r in rows:
        exports = r.get("exports", {})
        base = r.get("baseline", {})
        cells = [f"{exports[f]:.2f}" if f in exports else "-" for f in _formats(rows)]
        cells += [
            f"{base['load']:.1f}" if base else "-",
            f"{base['validate']:.1f}" if base else "-",
            f"{base['export_turtle']:.1f}" if base else "-",
            f"{r['baseline_run']['rss_mb']:,.0f}" if base else "-",
        ]
        lines.append(f"| {r['docs']:,} | " + " | ".join(cells) + " |")
    return lines


def _baseline_cell(ours: dict, base: dict | None) -> str:
    """rdflib's time and how many times ours it is; '>' when rdflib was stopped."""
    if not base:
        return ""
    more = "> " if base.get("capped") or base["p95"] >= QUERY_LIMIT_S * 1000 else ""
    ratio = base["p95"] / max(ours["p95"], 0.01)
    return f" (rdflib {more}{base['p95']:,.0f}, {more}{ratio:,.0f}x)"


def _commits(rows: list[dict]) -> list[str]:
    """Which code measured each size (rows of several runs merge into one report)."""
    found = sorted({(r.get("commit") or "unknown", r["docs"]) for r in rows}, key=lambda c: c[1])
    if not found:
        return []
    by_commit: dict[str, list[str]] = {}
    for commit, docs in found:
        by_commit.setdefault(commit, []).append(f"{docs:,}")
    text = "; ".join(f"N = {', '.join(sizes)} by commit {c}" for c, sizes in by_commit.items())
    return [f"Code measured: {text}.", ""]


def cost_lines(rows: list[dict]) -> list[str]:
    """What each size cost the run itself, step by step, in wall seconds."""
    timed = [r for r in rows if r.get("bench_steps")]
    if not timed:
        return []
    steps = list(dict.fromkeys(step for r in timed for step in r["bench_steps"]))
    lines = [
        "",
        "## The run itself: wall seconds of each step of `python -m bench`",
        "",
        "| N | " + " | ".join(steps) + " | total min |",
        "|---|" + "---|" * (len(steps) + 1),
    ]
    for r in timed:
        cost = r["bench_steps"]
        cells = [f"{cost[s]:,.1f}" if s in cost else "-" for s in steps]
        lines.append(
            f"| {r['docs']:,} | " + " | ".join(cells) + f" | {sum(cost.values()) / 60:.1f} |"
        )
    return lines


EARLIER_SAMPLE = 100  # document graphs written again by runs that did not record it


def write_lines(rows: list[dict]) -> list[str]:
    """What writes cost (``bench/writes.py``) and the ceiling they put on the build."""
    measured = [r for r in rows if "writes" in r]
    if not measured:
        return []
    lines = [
        "",
        "## Store writes: microseconds per quad, the first document graphs written again",
        "",
        "| N | documents | quads per word | bulk write of 16 new documents, on disk (the build) |"
        " extend, on disk (a changed document) | bulk_extend of one document, on disk |"
        " extend, in memory | build ceiling from writes alone, words/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in measured:
        w = r["writes"]
        per_word = r["quads"] / r["words"]
        build_way = w.get("batch_ingest_disk_us", w["extend_disk_us"])  # older runs: extend
        batch = f"{w['batch_ingest_disk_us']:.1f}" if "batch_ingest_disk_us" in w else "-"
        ceiling = 1e6 / (build_way * per_word)
        lines.append(
            f"| {r['docs']:,} | {w.get('graphs', min(r['docs'], EARLIER_SAMPLE)):,} | "
            f"{per_word:.2f} | {batch} | {w['extend_disk_us']:.1f} | "
            f"{w['bulk_extend_disk_us']:.1f} | {w['extend_memory_us']:.1f} | {ceiling:,.0f} |"
        )
    return lines


def _formats(rows) -> list[str]:
    return sorted({f for r in rows for f in r.get("exports", {})})


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = [r["docs"] for r in rows]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4))
    slowest = [max((q["p95"] for q in r.get("queries", {}).values()), default=None) for r in rows]
    slowest_base = [max((q["p95"] for q in _base_queries(r)), default=None) for r in rows]
    series = [
        ("build (s)", [r["build"]["seconds"] for r in rows], "load into rdflib (s)",
         [r.get("baseline", {}).get("load") for r in rows]),
        ("validation (s)", [r["validate"]["seconds"] for r in rows], "pySHACL (s)",
         [r.get("baseline", {}).get("validate") for r in rows]),
        ("slowest saved query p95 (ms)", slowest, "rdflib SPARQL (ms)", slowest_base),
    ]  # fmt: skip
    for axis, (label, ours, base_label, base) in zip(axes, series, strict=True):
        mine = [(d, o) for d, o in zip(docs, ours, strict=True) if o is not None]
        axis.plot(*zip(*mine, strict=True), marker="o", label=f"policy-kg {label}")
        points = [(d, b) for d, b in zip(docs, base, strict=True) if b is not None]
        if points:
            axis.plot(*zip(*points, strict=True), marker="s", linestyle="--", label=base_label)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("documents (N)")
        axis.set_title(label)
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _base_queries(row: dict) -> list[dict]:
    return [q for q in row.get("baseline", {}).get("queries", {}).values() if q]


def _watch_cell(watch: dict | None) -> str:
    """Latency from the change to the watcher's line, and (in brackets) its round's time."""
    if not watch:
        return "-"
    return f"{watch['seconds']:.2f} ({watch['round_seconds']:.2f})"


def _seconds(step: dict | None) -> str:
    return f"{step['seconds']:.1f}" if step else "-"


def _optional(seconds: float | None) -> str:
    return f"{seconds:.1f}" if seconds is not None else "-"
