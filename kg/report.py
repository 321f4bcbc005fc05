"""``kg report``: a static HTML site of the graph, viewable offline.

Pages: an overview of the documents, the actor network (vis-network, vendored in
``kg/web/vendor``), the debate over each contested question, recommendations, a
timeline of dated events, and one page per article with every extracted span
highlighted from its stored offsets. The data comes from ``kg.reportdata`` (saved
queries only); this module turns it into pages. The same store gives the same bytes.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from string import Template

from . import __version__
from .export import write_export
from .graphdraw import KIND_COLORS
from .reportdata import Article, ReportData, report_data, top_actors

WEB = Path(__file__).parent / "web"
ASSETS = ("report.css", "report.js")
VIS = "vis-network.min.js"
PAGES = (
    ("index.html", "Overview"),
    ("network.html", "Actor network"),
    ("debate.html", "Debate"),
    ("recommendations.html", "Recommendations"),
    ("timeline.html", "Timeline"),
)
STANCES = (("supports", "Supports"), ("opposes", "Opposes"), ("qualifies", "Qualifies"))
DEFAULT_MAX_ACTORS = 150


def write_report(store, folder: str | Path, *, max_actors: int = DEFAULT_MAX_ACTORS) -> list[Path]:
    """Write the report's pages and assets into ``folder``; return the pages written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    data = report_data(store)
    pages = {
        "index.html": overview_page(data),
        "network.html": network_page(data, max_actors),
        "debate.html": debate_page(data),
        "recommendations.html": recommendations_page(data),
        "timeline.html": timeline_page(data),
    }
    wikidata = {a["node"]: a.get("wikidata", "") for a in data.actors}
    for article in data.articles:
        pages[article_file(article)] = article_page(article, wikidata)
    for stale in out.glob("article-*.html"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in sorted(pages.items()):
        write_export(text.encode("utf-8"), str(out / name))
    for asset in ASSETS:
        shutil.copyfile(WEB / asset, out / asset)
    shutil.copyfile(WEB / "vendor" / VIS, out / VIS)
    shutil.copyfile(WEB / "vendor" / "vis-network.LICENSE-MIT", out / "vis-network.LICENSE-MIT")
    return [out / name for name in sorted(pages)]


def article_file(article: Article) -> str:
    return f"article-{article.doc_id}.html"


def page(
    name: str,
    title: str,
    main: str,
    data: dict,
    queries: list[str],
    scripts: tuple[str, ...] = (),
) -> str:
    nav = " ".join(
        f'<a href="{href}"{" class=current" if href == name else ""}>{label}</a>'
        for href, label in PAGES
    )
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Template((WEB / "page.html").read_text(encoding="utf-8")).substitute(
        title=esc(title),
        page=name.split("-")[0].removesuffix(".html"),
        nav=nav,
        main=main,
        data=script_safe(payload),
        queries=", ".join(f"<code>{q}</code>" for q in queries),
        scripts="\n".join(f'<script src="{s}"></script>' for s in scripts),
        version=__version__,
    )


def script_safe(payload: str) -> str:
    r"""JSON that cannot end, or confuse, the <script> element it sits in.

    >>> script_safe('{"a":"</script><!--&"}')
    '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}'
    """
    return payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def esc(value) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def document_link(pages: dict[str, tuple[str, str]], label: str) -> str:
    """A link to the article page of the document labelled ``label`` (the document
    column of the saved queries), or the plain label when no such document is stored."""
    if label not in pages:
        return esc(label)
    target, shown = pages[label]
    return f'<a href="{esc(target)}">{esc(shown)}</a>'


def titles(data: ReportData) -> dict[str, tuple[str, str]]:
    """Article pages and titles by the document label the saved queries name them by."""
    return {a.overview.get("label", ""): (article_file(a), display_title(a)) for a in data.articles}


def display_title(article: Article) -> str:
    """The title, else the name of the file the document was read from."""
    return article.overview.get("title") or Path(article.overview.get("label", "")).name


# -- overview ---------------------------------------------------------------------
def overview_page(data: ReportData) -> str:
    totals = {
        "documents": len(data.documents),
        "claims": sum(d.get("claims", 0) for d in data.documents),
        "citations": sum(d.get("citations", 0) for d in data.documents),
        "actors": len({a["node"] for a in data.actors}),
    }
    cards = "".join(
        f'<div class="stat" data-stat="{k}"><b>{v:,}</b> {k}</div>' for k, v in totals.items()
    )
    head = "<tr><th>Title</th><th>Authors</th><th>Publisher</th><th>Date</th>"
    head += "<th>Claims</th><th>Actors</th><th>Citations</th></tr>"
    body = "".join(
        f'<tr data-document="{esc(a.iri)}"><td><a href="{article_file(a)}">'
        f"{esc(display_title(a))}</a></td><td>{esc(a.overview.get('authors'))}</td>"
        f"<td>{esc(a.overview.get('publisher'))}</td><td>{esc(a.overview.get('date'))}</td>"
        f'<td class="n">{a.overview.get("claims", 0)}</td>'
        f'<td class="n">{a.overview.get("actors", 0)}</td>'
        f'<td class="n">{a.overview.get("citations", 0)}</td></tr>'
        for a in data.articles
    )
    main = f'<section class="stats">{cards}</section>'
    main += f'<table class="documents"><thead>{head}</thead><tbody>{body}</tbody></table>'
    return page("index.html", "Overview", main, {"totals": totals}, ["document-overview"])


# -- actor network ------------------------------------------------------------------
def network_page(data: ReportData, max_actors: int) -> str:
    actors, seen = top_actors(data.actors, max_actors)
    links = [x for x in data.links if x["source"] in seen and x["target"] in seen]
    files = {a.iri: article_file(a) for a in data.articles}
    claims = [
        {**c, "page": files.get(c["document"], ""), "mentioned": c.get("mentioned", "").split()}
        for c in data.claims
        if c.get("claimant") in seen or seen.intersection(c.get("mentioned", "").split())
    ]
    shown = f"{len(actors)} of {len({a['node'] for a in data.actors})} actors"
    main = f"""<p class="lead">Actors sized by mentions and colored by kind; {shown}, the
most mentioned first. Hover for details, click an actor to list its claims, click the
background to list them all. Drag to move, scroll to zoom.</p>
<div class="controls" id="relations"></div>
<div class="network-layout">
  <div id="network" aria-label="actor network"></div>
  <aside id="claims-panel"><h2 id="claims-title">All claims</h2><ol id="claims"></ol></aside>
</div>
<div id="legend"></div>"""
    payload = {"actors": actors, "links": links, "claims": claims, "kindColors": KIND_COLORS}
    queries = ["actors", "actor-links", "claims"]
    return page("network.html", "Actor network", main, payload, queries, scripts=(VIS,))


# -- debate -------------------------------------------------------------------------
def debate_page(data: ReportData) -> str:
    by_question: dict[str, dict[str, list[dict]]] = {}
    for row in data.debate:
        by_question.setdefault(row["proposition"], {}).setdefault(row["stance"], []).append(row)
    links = titles(data)

    def documents(stances: dict) -> int:
        return len({r["document"] for rs in stances.values() for r in rs})

    order = sorted(by_question.items(), key=lambda item: (-documents(item[1]), item[0]))
    sections = []
    for proposition, stances in order:
        columns = "".join(
            f'<div class="side {key}"><h3>{label} ({len(stances.get(key, []))})</h3>'
            + "".join(claim_card(r, links) for r in stances.get(key, []))
            + "</div>"
            for key, label in STANCES
        )
        sections.append(
            f'<section class="question"><h2>{esc(proposition)}</h2><p class="meta">'
            f"{documents(stances)} document(s)</p><div class=sides>{columns}</div></section>"
        )
    main = "".join(sections) or "<p>No contested questions were found.</p>"
    return page("debate.html", "Debate", main, {}, ["contested-questions"])


def claim_card(row: dict, links: dict[str, str]) -> str:
    authors = f" · by {esc(row['authors'])}" if row.get("authors") else ""
    return (
        f'<blockquote class="card"><p>{esc(row.get("claim"))}</p><cite>'
        f"{esc(row.get('claimant'))} — {document_link(links, row.get('document', ''))}"
        f"{authors}</cite></blockquote>"
    )


# -- recommendations ----------------------------------------------------------------
def recommendations_page(data: ReportData) -> str:
    links = titles(data)
    head = "<tr><th>Who recommends</th><th>To whom</th><th>What</th><th>Policies</th>"
    head += "<th>Source</th></tr>"
    body = "".join(
        f"<tr><td>{esc(r.get('claimant'))}</td><td>{esc(r.get('addressees'))}</td>"
        f"<td>{esc(r.get('recommendation'))}</td><td>{esc(r.get('policies'))}</td>"
        f"<td>{document_link(links, r.get('document', ''))}</td></tr>"
        for r in data.recommendations
    )
    main = f'<table class="recommendations"><thead>{head}</thead><tbody>{body}</tbody></table>'
    return page("recommendations.html", "Recommendations", main, {}, ["recommendations"])


# -- timeline -----------------------------------------------------------------------
def timeline_page(data: ReportData) -> str:
    links = titles(data)
    dated = [r for r in data.timeline if r.get("date")]
    items = "".join(
        f'<li><time datetime="{esc(r["date"])}">{esc(r["date"])}</time>'
        f'<span class="event">{esc(r.get("event"))}</span>'
        f'<span class="who">{esc(r.get("participants"))}</span>'
        f'<span class="src">{document_link(links, r.get("document", ""))}</span></li>'
        for r in dated
    )
    undated = len(data.timeline) - len(dated)
    main = f'<ol class="timeline">{items}</ol>'
    main += f'<p class="meta">{undated} event(s) without a resolved date are not shown.</p>'
    return page("timeline.html", "Timeline", main, {}, ["timeline"])


# -- one article --------------------------------------------------------------------
def article_page(article: Article, wikidata: dict[str, str]) -> str:
    annotations = [dict(a) for a in article.annotations]
    citations = [a for a in annotations if a["role"] == "citation"]
    for ann in annotations:
        if ann["role"] == "mention" and wikidata.get(ann["node"]):
            ann["wikidata"] = wikidata[ann["node"]]
        if ann["role"] == "claim":
            ann["citations"] = [
                {"marker": c["detail"], "title": c.get("label", ""), "node": c["node"]}
                for c in citations
                if c["start"] < ann["end"] and ann["start"] < c["end"]
            ]
    claims = {c["claim"]: c for c in article.claims}
    for ann in annotations:
        claim = claims.get(ann["node"]) if ann["role"] == "claim" else None
        if claim:
            ann["claimant"] = claim.get("claimantName", "")
    o = article.overview
    meta = " · ".join(esc(v) for v in (o.get("authors"), o.get("publisher"), o.get("date")) if v)
    legend = "".join(
        f'<span class="seg {role}">{role}</span>'
        for role in ("mention", "claim", "citation", "policy", "event")
    )
    marked = highlight(article.text, annotations)
    main = f"""<p class="meta">{meta}</p>
<p class="legend">Highlighted: {legend}. Click any highlighted text for what was found there.</p>
<div class="article-layout">
  <article class="text" data-document="{esc(article.iri)}">{marked}</article>
  <aside id="details"><p>Click highlighted text to see its details.</p></aside>
</div>"""
    payload = {"document": article.iri, "annotations": annotations, "citations": article.citations}
    queries = ["document-overview", "document-text", "document-annotations", "claims", "actors"]
    title = display_title(article)
    return page(article_file(article), title, main, payload, queries + ["citations"])


def highlight(text: str, annotations: list[dict]) -> str:
    """The text as HTML, each stretch covered by annotations wrapped in a ``span.seg``
    that lists them (``data-ann``: indexes into ``annotations``), so an annotation's
    characters are exactly the concatenation of the segments that name it.

    >>> highlight("Xi met Kim.", [{"start": 0, "end": 2, "role": "mention"}])
    '<span class="seg mention" data-ann="0">Xi</span> met Kim.'
    """
    bounds = sorted(
        {0, len(text)} | {a["start"] for a in annotations} | {a["end"] for a in annotations}
    )
    starting: dict[int, list[int]] = {}
    for index, ann in enumerate(annotations):
        starting.setdefault(ann["start"], []).append(index)
    active: set[int] = set()
    parts = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        active |= set(starting.get(left, []))
        active = {i for i in active if annotations[i]["end"] > left}
        chunk = esc(text[left:right])
        covering = sorted(i for i in active if annotations[i]["start"] <= left)
        if not covering or left >= len(text):
            parts.append(chunk)
            continue
        roles = " ".join(sorted({annotations[i]["role"] for i in covering}))
        listed = " ".join(map(str, covering))
        parts.append(f'<span class="seg {roles}" data-ann="{listed}">{chunk}</span>')
    return "".join(parts)
