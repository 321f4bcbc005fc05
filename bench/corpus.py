"""A seeded synthetic corpus: realistic articles recombined from real ones.

Sentences come from the seed articles in ``data/documents`` and the test
articles in ``tests/data/articles``, as the pipeline itself segments them.
Every actor a sentence names is swapped for another of the same kind from the
gazetteer, so names vary across the corpus. Each article gets a title, a
byline, a date, paragraphs, quotations with a named speaker, note markers and
a notes section citing outlets. Article ``i`` depends only on the seed and
``i``: the corpus of 100 is the first 100 articles of the corpus of 1,000.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.gazetteer import load_gazetteer
from kg.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "documents", ROOT / "tests" / "data" / "articles"]
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
NOTE_MARKER = re.compile(r"\[(?:\d+|[ivxlc]+)\]")
KINDS = ("Person", "State", "Organization", "InternationalOrganization", "GovernmentBody")


@dataclass(frozen=True)
class Template:
    """A sentence with the places of the actor names in it."""

    text: str
    slots: tuple[tuple[int, int, str], ...]  # (start, end, kind) within ``text``


@cache
def templates() -> tuple[Template, ...]:
    """Every asserting sentence of the source articles, with its actor mentions."""
    found = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*")):
            if path.suffix not in (".txt", ".md", ".html") or path.name == "README.md":
                continue
            extraction = extract_file(path)
            if extraction.meta.language != "en":
                continue
            for claim in extraction.claims:
                text = claim.span.exact
                if claim.reported_in is None and 40 <= len(text) <= 400 and "\n" not in text:
                    mentions = [m for actor in extraction.actors for m in actor.mentions]
                    found.append(_template(claim.span, mentions))
    return tuple(found)


def _template(span, mentions) -> Template:
    """The sentence with its note markers blanked (kept the same length, so offsets hold)."""
    slots = []
    for mention in mentions:
        inside = span.start <= mention.span.start and mention.span.end <= span.end
        if inside and mention.kind in KINDS:
            slots.append(
                (mention.span.start - span.start, mention.span.end - span.start, mention.kind)
            )
    text = NOTE_MARKER.sub(lambda m: "\0" * len(m.group()), span.exact)
    return Template(text, tuple(sorted(slots)))


@cache
def names_by_kind() -> dict[str, tuple[str, ...]]:
    entries = load_gazetteer().entries.values()
    return {kind: tuple(sorted({e.name for e in entries if e.kind == kind})) for kind in KINDS}


@cache
def outlets() -> tuple[str, ...]:
    entries = load_gazetteer().entries.values()
    return tuple(sorted({e.name for e in entries if e.kind == "MediaOutlet"}))


@cache
def author_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    lines = (Path(__file__).parent / "names.txt").read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in lines if not line.startswith("#")]
    blank = lines.index("")
    return tuple(lines[:blank]), tuple(line for line in lines[blank + 1 :] if line)


def article(seed: int, index: int) -> str:
    """The text of article ``index`` of the corpus with this seed."""
    rng = random.Random(f"{seed}:{index}")
    first, last = author_names()
    author = f"{rng.choice(first)} {rng.choice(last)}"
    year = rng.randint(2014, 2024)
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {year}"
    sentences = [_fill(rng.choice(templates()), rng) for _ in range(rng.randint(24, 44))]
    title = _title(rng)
    notes: list[str] = []
    paragraphs, current = [], []
    for sentence in sentences:
        if rng.random() < 0.08:
            sentence = _quotation(sentence, rng)
        elif rng.random() < 0.12:
            notes.append(_note(rng, year))
            sentence = _with_marker(sentence, len(notes))
        current.append(sentence)
        if len(current) >= rng.randint(3, 5):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    parts = [title, f"By {author}", date, *paragraphs]
    if notes:
        parts += ["Notes", *(f"[{n}] {note}" for n, note in enumerate(notes, 1))]
    return "\n\n".join(parts) + "\n"


def _fill(template: Template, rng: random.Random) -> str:
    text, shift = template.text, 0
    for start, end, kind in template.slots:
        name = rng.choice(names_by_kind()[kind] or (text[start:end],))
        text = text[: start + shift] + name + text[end + shift :]
        shift += len(name) - (end - start)
    return text.replace("\0", "")


def _title(rng: random.Random) -> str:
    states = names_by_kind()["State"]
    first, second = rng.sample(states, 2)
    topic = rng.choice(["Sanctions", "Talks", "Deterrence", "Aid", "Trade", "Security"])
    return f"{first}, {second} and the Limits of {topic}"


def _quotation(sentence: str, rng: random.Random) -> str:
    speaker = rng.choice(names_by_kind()["Person"])
    words = sentence.rstrip(".!? ").replace("“", "").replace("”", "").replace('"', "")
    return f"“{words},” said {speaker}."


def _with_marker(sentence: str, number: int) -> str:
    end = len(sentence.rstrip())
    if sentence[end - 1 : end] in ".!?":
        return f"{sentence[:end]}[{number}]{sentence[end:]}"
    return f"{sentence}[{number}]"


def _note(rng: random.Random, year: int) -> str:
    first, last = author_names()
    writer = f"{rng.choice(first)} {rng.choice(last)}"
    outlet = rng.choice(outlets())
    topic = rng.choice(names_by_kind()["State"])
    cited = rng.randint(year - 3, year)
    month = rng.choice(MONTHS)
    slug = f"{topic.lower().replace(' ', '-')}-{rng.randint(1000, 9999)}"
    return (
        f"{writer}, “What Comes Next for {topic},” {outlet}, {month} {rng.randint(1, 28)}, "
        f"{cited}, https://example.org/{slug}."
    )


def write_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    """Write articles 0..count-1 as ``folder/article-NNNNN.txt`` (existing files are kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        path = folder / f"article-{index:05d}.txt"
        if not path.exists():  # written whole or not at all, so an interrupted run resumes
            partial = path.with_suffix(".part")
            partial.write_text(article(seed, index), encoding="utf-8")
            partial.replace(path)
    return folder
