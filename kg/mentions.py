"""Mentions of actors and places, found with spaCy rules loaded from data/.

A blank English spaCy pipeline: an EntityRuler with every name and alias of
the gazetteer (case-sensitive, so "WHO" is not "who"), and Matcher patterns
for names nobody listed: a person title before a capitalised name ("Chinese
diplomat Aino Virtanen"), a reporting verb next to one ("said Jane Doe"),
"according to X". Capitals become their state's government unless a
preposition makes them a place. A surname or given name alone resolves to the
most-mentioned person of the document who bears it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from . import lexicon
from .errors import KgError
from .gazetteer import Entry, Gazetteer, load_gazetteer
from .model import Span
from .names import clean_name, organization_kind


@dataclass(frozen=True)
class Mention:
    """One place in the text that names an actor (or a place)."""

    span: Span
    key: str  # gazetteer id, or "kind:name" for an actor not in the gazetteer
    name: str  # canonical name
    kind: str  # ontology class
    rule: str  # which rule found it
    wikidata: str | None = None


@cache
def pipeline() -> spacy.language.Language:
    """The spaCy pipeline, built once from the gazetteer."""
    gazetteer = load_gazetteer()
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(list(_ruler_patterns(gazetteer)))
    return nlp


def _ruler_patterns(gazetteer: Gazetteer):
    for entry in gazetteer.entries.values():
        for alias in dict.fromkeys([entry.name, *entry.aliases]):
            if len(alias) < 2 or alias in gazetteer.ambiguous:
                continue
            label = "CAPITAL" if alias in gazetteer.capitals else entry.kind
            for form in _case_forms(alias):
                yield {"label": label, "pattern": form, "id": entry.id}
    for capital in gazetteer.capitals:
        if gazetteer.by_name(capital) is None:
            yield {"label": "CAPITAL", "pattern": capital, "id": f"capital:{capital}"}


def _case_forms(alias: str) -> list[str]:
    forms = [alias]
    if alias.startswith("the "):
        forms += ["The " + alias[4:], alias[4:]]
    return forms


@cache
def _matcher() -> Matcher:
    nlp, gazetteer = pipeline(), load_gazetteer()
    matcher = Matcher(nlp.vocab)
    name = [
        {"IS_TITLE": True},
        {"IS_TITLE": True, "OP": "?"},
        {"ORTH": "-", "OP": "?"},
        {"IS_TITLE": True, "OP": "?"},
    ]
    comma = {"ORTH": ",", "OP": "?"}
    # The one-word titles share one pattern (a token whose text is any of them): the
    # matcher starts every pattern at every token, so fewer patterns match faster.
    single = [title for title in gazetteer.person_titles if len(title.split()) == 1]
    if single:
        one_word = {"ORTH": {"IN": list(dict.fromkeys(single))}}
        matcher.add("TITLE", [[one_word, comma, *name]], greedy="LONGEST")
    # Longer titles that differ only in their first word share a pattern too.
    by_rest: dict[tuple[str, ...], list[str]] = {}
    for title in gazetteer.person_titles:
        words = title.split()
        if len(words) > 1:
            by_rest.setdefault(tuple(words[1:]), []).append(words[0])
    for rest, firsts in by_rest.items():
        first = {"ORTH": {"IN": list(dict.fromkeys(firsts))}}
        words = [first, *({"ORTH": word} for word in rest)]
        matcher.add("TITLE", [words + [comma] + name], greedy="LONGEST")
    verbs = {"LOWER": {"IN": _reporting_words()}}
    adverb = {"LOWER": {"REGEX": "ly$"}, "OP": "?"}
    matcher.add("SAID_AFTER", [[verbs, *name]], greedy="LONGEST")
    auxiliary = {"LOWER": {"IN": ["has", "had", "have", "also"]}, "OP": "?"}
    matcher.add("SAID_BEFORE", [[*name, comma, auxiliary, adverb, verbs]], greedy="LONGEST")
    matcher.add("BY", [[{"LOWER": "by"}, *name]], greedy="LONGEST")
    matcher.add("ACCORDING", [[{"LOWER": "according"}, {"LOWER": "to"}, *name]], greedy="LONGEST")
    return matcher


def _reporting_words() -> list[str]:
    config = lexicon.load("claims")
    words = {w for w in config["reporting_verbs"] + config["speech_verbs"] if " " not in w}
    return sorted(words)


_ORGANIZATION = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'-]*)(?:[ \t]+(?:(?:of|for|and|on|the|de)[ \t]+)*[A-Z][\w’'-]*)*"
)


@cache
def _name_stopwords() -> frozenset[str]:
    return frozenset(lexicon.load("sources")["name_stopwords"])


def strip_leading_words(name: str) -> str:
    """A name without the sentence words capitalised before it ("As Uri Friedman").

    >>> strip_leading_words("When the European Union")
    'European Union'
    """
    stopwords = _name_stopwords()
    tokens = name.split(" ")
    while tokens and (
        tokens[0] in stopwords or tokens[0] in {"the", "a", "an"} or tokens[0].endswith("-based")
    ):
        tokens = tokens[1:]
    return " ".join(tokens)


def _organizations(text: str, taken: set[int]) -> list[Mention]:
    """Capitalised names that carry an organisation cue ("Centre for Riverine Studies")."""
    found = []
    for match in _ORGANIZATION.finditer(text):
        name = re.sub(r"[’']s$", "", strip_leading_words(match.group()))
        start = match.start() + match.group().find(name)
        kind = organization_kind(name)
        overlaps = any(i in taken for i in range(start, start + len(name)))
        if kind is None or overlaps or len(name) < 4:
            continue
        found.append(
            Mention(
                Span(start, start + len(name), name),
                f"{kind}:{lexicon.name_key(name)}",
                name,
                kind,
                "organization-cue",
            )
        )
    return found


MODEL_KINDS = {"PERSON": "Person", "ORG": "Organization", "NORP": None, "GPE": "State"}


@cache
def statistical_model(name: str):
    """A statistical spaCy model, loaded once; a clear error when it is not installed."""
    try:
        return spacy.load(name)
    except OSError as error:
        raise KgError(
            f"spaCy model {name!r} is not installed (try: python -m spacy download {name})"
        ) from error


def _model_mentions(text: str, model: str, taken: set[int]) -> list[Mention]:
    """Entities a statistical model finds that no rule found (rule ``model:LABEL``)."""
    found = []
    for ent in statistical_model(model)(text).ents:
        kind = MODEL_KINDS.get(ent.label_)
        if kind is None or any(i in taken for i in range(ent.start_char, ent.end_char)):
            continue
        name = clean_name(ent.text)
        kind = organization_kind(name) or kind
        span = Span(ent.start_char, ent.end_char, ent.text)
        found.append(
            Mention(span, f"{kind}:{lexicon.name_key(name)}", name, kind, f"model:{ent.label_}")
        )
    return found


def find_mentions(text: str, *, model: str | None = None) -> list[Mention]:
    """Every actor and place mention in ``text`` (already stripped of boilerplate).

    >>> [(m.name, m.kind) for m in find_mentions("Beijing said North Korea must stop.")]
    [("People's Republic of China", 'State'), ('North Korea', 'State')]
    """
    gazetteer = load_gazetteer()
    nlp = pipeline()
    nlp.max_length = max(nlp.max_length, len(text) + 1)  # rules only: no parser memory limit
    doc = nlp(text)
    known = [_from_entity(ent, gazetteer, doc) for ent in doc.ents]
    mentions = [m for m in known if m is not None]
    mentions += _unknown_names(doc, {i for ent in doc.ents for i in range(ent.start, ent.end)})
    taken = {i for m in mentions for i in range(m.span.start, m.span.end)}
    mentions += _organizations(text, taken)
    if model:
        mentions += _model_mentions(text, model, taken)
    mentions = _drop_overlaps(mentions)
    mentions += _short_names(doc, mentions)
    return sorted(mentions, key=lambda m: m.span.start)


def _span(ent: SpacySpan) -> Span:
    return Span(ent.start_char, ent.end_char, ent.text)


def _from_entity(ent: SpacySpan, gazetteer: Gazetteer, doc: Doc) -> Mention | None:
    if ent.label_ == "CAPITAL":
        return _capital(ent, gazetteer, doc)
    entry = gazetteer.entries[ent.ent_id_]
    return _mention(ent, entry, "gazetteer")


def _mention(ent: SpacySpan, entry: Entry, rule: str) -> Mention:
    return Mention(_span(ent), entry.id, entry.name, entry.kind, rule, entry.wikidata)


def _capital(ent: SpacySpan, gazetteer: Gazetteer, doc: Doc) -> Mention | None:
    capital = ent.text
    previous = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if previous in gazetteer.place_prepositions or capital not in gazetteer.capitals:
        place = gazetteer.by_name(capital)
        key = place.id if place else f"Place:{capital}"
        return Mention(
            _span(ent),
            key,
            place.name if place else capital,
            "Place",
            "capital-as-place",
            place.wikidata if place else None,
        )
    return _mention(ent, gazetteer.entries[gazetteer.capitals[capital]], "capital-as-government")


def _unknown_names(doc: Doc, taken: set[int]) -> list[Mention]:
    found = []
    for match_id, start, end in _matcher()(doc):
        rule = doc.vocab.strings[match_id]
        span = doc[start:end]
        name_tokens = _trailing_name(span) if rule != "SAID_BEFORE" else _leading_name(span)
        if not name_tokens or any(t.i in taken for t in name_tokens):
            continue
        found.append(_unknown(doc[name_tokens[0].i : name_tokens[-1].i + 1], rule.lower()))
        partner = _coordinated_name(doc, name_tokens[0].i) if rule == "SAID_BEFORE" else None
        if partner is not None and not any(t.i in taken for t in partner):
            found.append(_unknown(partner, "said_before"))
    return [m for m in found if m is not None]


def _coordinated_name(doc: Doc, first: int) -> SpacySpan | None:
    """ "A B and C D concluded": the name before the "and"."""
    if first < 3 or doc[first - 1].lower_ != "and":
        return None
    end = first - 1
    start = end
    while start > 0 and doc[start - 1].is_title and end - start < 3:
        start -= 1
    return doc[start:end] if end - start >= 2 else None


@cache
def _title_words() -> frozenset[str]:
    return frozenset(w for title in load_gazetteer().person_titles for w in title.split())


def _trailing_name(span: SpacySpan) -> list:
    """The capitalised run at the end of a match, without a capitalised title ("Prime Minister")."""
    tokens = list(span)
    start = len(tokens)
    while start > 0 and (tokens[start - 1].is_title or tokens[start - 1].text == "-"):
        start -= 1
    while start < len(tokens) - 1 and tokens[start].text in _title_words():
        start += 1
    return tokens[start:]


def _leading_name(span: SpacySpan) -> list:
    tokens = []
    for token in span:
        if not (token.is_title or token.text == "-"):
            break
        tokens.append(token)
    while len(tokens) > 1 and tokens[0].text in _title_words():
        tokens = tokens[1:]
    return tokens


def _unknown(name_span: SpacySpan, rule: str) -> Mention | None:
    written = strip_leading_words(name_span.text)
    offset = name_span.text.find(written)
    name_span = name_span.char_span(offset, offset + len(written)) if written else None
    if name_span is None:
        return None
    name = clean_name(name_span.text.replace(" - ", "-"))
    if len(name) < 3:
        return None
    kind = organization_kind(name) or "Person"
    if kind == "Person" and len(name.split()) < 2:
        return None
    return Mention(_span(name_span), f"{kind}:{lexicon.name_key(name)}", name, kind, rule)


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept, last_end = [], -1
    for mention in sorted(mentions, key=lambda m: (m.span.start, -(m.span.end - m.span.start))):
        if mention.span.start >= last_end:
            kept.append(mention)
            last_end = mention.span.end
    return kept


def _short_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Surnames and given names alone, after a full mention of the person."""
    persons = [m for m in mentions if m.kind == "Person" and len(m.name.split()) > 1]
    taken = {i for m in mentions for i in range(m.span.start, m.span.end)}
    found = []
    for token in doc:
        if not token.is_title or token.idx in taken:
            continue
        candidates = [m for m in persons if m.span.start < token.idx and _short_form(m, token.text)]
        if candidates:
            counts = Counter(m.key for m in candidates)
            best = max(candidates, key=lambda m: (counts[m.key], -m.span.start))
            found.append(
                Mention(
                    Span(token.idx, token.idx + len(token.text), token.text),
                    best.key,
                    best.name,
                    "Person",
                    "short-name",
                    best.wikidata,
                )
            )
    return found


def _short_form(mention: Mention, word: str) -> bool:
    parts = mention.name.replace("-", " ").split()
    return word in {parts[0], parts[-1]} and len(word) > 1
