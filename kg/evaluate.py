"""Accuracy against hand-made gold: precision, recall and F1 per category and per document.

Gold files are ``data/gold/*.gold.yaml`` (schema in ``data/gold/README.md``).
Floors live in ``pyproject.toml`` under ``[tool.policy-kg.floors]``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KgError
from .ids import slug
from .lexicon import name_key
from .pipeline import extract_file
from .resources import read_yaml

CATEGORIES = (
    "actors",
    "quotations",
    "citations",
    "claims",
    "claim_kinds",
    "policies",
    "events",
    "stances",
)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Evaluation:
    by_document: dict[str, dict[str, Score]] = field(default_factory=dict)

    def total(self, category: str) -> Score:
        score = Score()
        for scores in self.by_document.values():
            score.add(scores[category])
        return score

    def failures(self, floors: dict[str, float]) -> list[str]:
        """Categories below their floor, as readable lines."""
        found = []
        for name, floor in floors.items():
            category = name.rsplit("_", 1)[0] if name.endswith(("_f1", "_accuracy")) else name
            value = self.total(category).f1
            if value < floor:
                found.append(f"{category}: {value:.3f} is below the floor {floor:.2f}")
        return found


def floors(pyproject: Path = Path("pyproject.toml")) -> dict[str, float]:
    if not pyproject.exists():
        return {}
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return config.get("tool", {}).get("policy-kg", {}).get("floors", {})


def load_gold(folder: Path) -> list[dict]:
    files = sorted(folder.glob("*.gold.yaml"))
    if not files:
        raise KgError(f"{folder}: no *.gold.yaml files")
    return [read_yaml(f.read_text(encoding="utf-8")) | {"_file": str(f)} for f in files]


def evaluate(gold_folder: Path, root: Path = Path(".")) -> Evaluation:
    """Run the pipeline on every gold document and score it."""
    evaluation = Evaluation()
    for gold in load_gold(gold_folder):
        extraction = extract_file(root / gold["document"])
        evaluation.by_document[gold["document"]] = score_document(gold, extraction)
    return evaluation


def score_document(gold: dict, extraction) -> dict[str, Score]:
    actors = gold.get("actors") or []
    kinds = _claim_kinds(gold, extraction)
    return {
        "actors": _match(actors, extraction.actors, lambda g, p: _same_actor(g, p)),
        "quotations": _quotations(gold, extraction, actors),
        "citations": _counts(gold.get("citations") or 0, len(extraction.citations)),
        "claims": _claims_found(gold, extraction),
        "claim_kinds": kinds,
        "policies": _spans(gold.get("policies") or [], extraction.policies, extraction.text),
        "events": _spans(
            gold.get("events") or [], [e.sentence for e in extraction.events], extraction.text
        ),
        "stances": _stances(gold, extraction),
    }


def _keys(gold_actor: dict) -> set[str]:
    names = [gold_actor.get("name", ""), *(gold_actor.get("mentions") or [])]
    return {name_key(n) for n in names if n}


def _same_actor(gold_actor: dict, predicted) -> bool:
    if predicted.wikidata and predicted.wikidata == gold_actor["id"]:
        return True
    if slug(name_key(predicted.name)) == gold_actor["id"]:
        return True
    keys = _keys(gold_actor)
    return name_key(predicted.name) in keys


def _match(gold_items: list, predicted: list, same) -> Score:
    unmatched = list(predicted)
    score = Score()
    for item in gold_items:
        hit = next((p for p in unmatched if same(item, p)), None)
        if hit is None:
            score.fn += 1
        else:
            score.tp += 1
            unmatched.remove(hit)
    score.fp = len(unmatched)
    return score


def _counts(gold: int, predicted: int) -> Score:
    tp = min(gold, predicted)
    return Score(tp, predicted - tp, gold - tp)


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)] if needle else []


def _overlaps(a: tuple[int, int], span) -> bool:
    return a[0] < span.end and span.start < a[1]


def _spans(gold_items: list[dict], predicted: list, text: str) -> Score:
    def same(item, found):
        spans = getattr(found, "spans", None) or [found]
        return any(_overlaps(o, s) for o in _occurrences(text, item["text"]) for s in spans)

    return _match(gold_items, predicted, same)


def _speaker_matches(gold_id: str, speaker, actors: list[dict]) -> bool:
    gold_actor = next((a for a in actors if a["id"] == gold_id), {"id": gold_id, "name": gold_id})
    return _same_actor(gold_actor, speaker)


def _quotations(gold: dict, extraction, actors: list[dict]) -> Score:
    def same(item, quotation):
        located = any(
            _overlaps(o, quotation.span) for o in _occurrences(extraction.text, item["text"])
        )
        return located and _speaker_matches(item["speaker"], quotation.speaker, actors)

    named = [q for q in gold.get("quotations") or [] if q.get("speaker")]
    return _match(named, extraction.quotations, same)


def _claim_for(text: str, needle: str, claims: list):
    """The innermost predicted claim holding the gold substring."""
    for start, end in _occurrences(text, needle):
        holding = [c for c in claims if c.span.start <= start and end <= c.span.end]
        if holding:
            return min(holding, key=lambda c: c.span.end - c.span.start)
    return None


def _claims_found(gold: dict, extraction) -> Score:
    gold_claims = gold.get("claims") or []
    found = sum(1 for c in gold_claims if _claim_for(extraction.text, c["text"], extraction.claims))
    sentence_claims = [c for c in extraction.claims if c.reported_in is None]
    return Score(found, max(0, len(sentence_claims) - found), len(gold_claims) - found)


def _claim_kinds(gold: dict, extraction) -> Score:
    """Accuracy of claim kinds as a score: tp right, fn wrong or missing (so F1 = accuracy)."""
    score = Score()
    for item in gold.get("claims") or []:
        claim = _claim_for(extraction.text, item["text"], extraction.claims)
        if claim is not None and claim.kind == item["kind"]:
            score.tp += 1
        else:
            score.fn += 1
            score.fp += 1
    return score


def _stances(gold: dict, extraction) -> Score:
    """Accuracy of stances on the gold's (question, claim) pairs, as a score."""
    score = Score()
    for item in gold.get("stances") or []:
        claims = [s for s in extraction.stances if s.question == item["question"]]
        claim = _claim_for(extraction.text, item["claim"], [s.claim for s in claims])
        stance = next((s.stance for s in claims if s.claim is claim), None)
        if stance == item["stance"]:
            score.tp += 1
        else:
            score.fn += 1
            score.fp += 1
    return score
