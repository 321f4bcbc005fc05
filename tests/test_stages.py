"""Each extraction stage on a few new sentences (not from the seed articles)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kg.claims import (
    Claim,
    Quotation,
    claim_kind,
    extract_claims,
    extract_quotations,
    mark_quotations,
    modality,
    polarity,
)
from kg.events import find_events
from kg.mentions import Mention, find_mentions
from kg.model import Extraction, PartialDate, Span
from kg.pipeline import extract_document
from kg.policies import find_policies
from kg.questions import stances
from kg.read import RawDocument
from kg.resolve import resolve_actors
from kg.segment import sentence_spans

from .conftest import SEED_DOCUMENTS, TEST_ARTICLES

AUTHOR = Mention(Span(0, 0, ""), "Person:test author", "Test Author", "Person", "document-voice")
LEVERAGE = "china-leverage-over-north-korea"
SANCTIONS = "sanctions-change-north-korean-behaviour"


@dataclass
class Analysis:
    mentions: list[Mention]
    claims: list[Claim]
    quotations: list[Quotation]


def analyse(text: str) -> Analysis:
    """Mentions, claims and quotations of ``text``, as the pipeline runs them on a body."""
    mentions = find_mentions(text)
    sentences = [Span(s.start, s.end, text[s.start : s.end]) for s in sentence_spans(text)]
    claims = extract_claims(sentences, mentions, AUTHOR, [])
    quotations = extract_quotations(text, sentences, mentions)
    mark_quotations(claims, quotations)
    return Analysis(mentions, claims, quotations)


def extract(text: str) -> Extraction:
    return extract_document(RawDocument(path="t.txt", text=text, format="text"))


def named(mentions: list[Mention], exact: str) -> list[Mention]:
    return [m for m in mentions if m.span.exact == exact]


# Actors


@pytest.mark.parametrize(
    "text, alias, key, name",
    [
        ("The DPRK fired another rocket over the sea.", "DPRK", "Q423", "North Korea"),
        ("Türkiye objected to the grain corridor vote.", "Türkiye", "Q43", "Turkey"),
        ("Observers say the Kremlin stayed silent.", "the Kremlin", "Q159", "Russia"),
    ],
)
def test_an_alias_resolves_to_the_canonical_actor(text, alias, key, name):
    actors, places = resolve_actors(find_mentions(text))
    assert [(a.key, a.name, a.kind, a.wikidata) for a in actors] == [(key, name, "State", key)]
    assert actors[0].alt_labels == [alias] and places == []


def test_a_capital_that_acts_is_its_state_but_in_the_capital_is_a_place():
    text = "Beijing warned Manila against new patrols, and the envoys later met in Beijing."
    mentions = find_mentions(text)
    assert [(m.span.exact, m.name, m.kind) for m in mentions] == [
        ("Beijing", "People's Republic of China", "State"),
        ("Manila", "Philippines", "State"),
        ("Beijing", "Beijing", "Place"),
    ]
    actors, places = resolve_actors(mentions)
    assert [a.wikidata for a in actors] == ["Q148", "Q928"]
    assert [p.name for p in places] == ["Beijing"]


@pytest.mark.parametrize(
    "text, name",
    [("Russia's navy shadowed the convoy.", "Russia"), ("Norway’s fleet left Tromsø.", "Norway")],
)
def test_a_possessive_is_a_mention_of_the_owner(text, name):
    assert [(m.span.exact, m.name) for m in find_mentions(text)] == [(name, name)]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Finnish diplomat Aino Virtanen met the delegation in Oulu.", "Aino Virtanen"),
        ("The quota deal is fragile, said Tomas Lindqvist.", "Tomas Lindqvist"),
        ("The border is calm, according to Marta Quispe.", "Marta Quispe"),
        ("Marta Quispe said the port of Callao is closed.", "Marta Quispe"),
        ("Prime Minister Ana Lima visited the port.", "Ana Lima"),
    ],
)
def test_a_rule_finds_a_person_nobody_listed(text, name):
    people = [(m.span.exact, m.name) for m in find_mentions(text) if m.kind == "Person"]
    assert people == [(name, name)]


def test_a_surname_after_a_full_mention_resolves_to_that_person():
    text = "Marta Quispe said the port is closed. Quispe added that the strike continues."
    actors, _ = resolve_actors(find_mentions(text))
    assert [(a.name, a.kind, len(a.mentions), a.alt_labels) for a in actors] == [
        ("Marta Quispe", "Person", 2, ["Quispe"])
    ]


@pytest.mark.parametrize("expander", ["Kim Jong Un", "Kim Jong Il"])
def test_a_shared_surname_alone_goes_to_the_more_mentioned_person(expander):
    text = f"Kim Jong Il built it. {expander} expanded it. Kim Jong Un guards it. Kim smiled."
    (kim,) = named(find_mentions(text), "Kim")
    assert (kim.name, kim.kind, kim.rule) == (expander, "Person", "short-name")


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("A report by the Centre for Arctic Studies doubts it.", "Centre for Arctic Studies",
         "ResearchInstitute"),
        ("The Ministry of Fisheries disputed the figures.", "Ministry of Fisheries",
         "GovernmentBody"),
    ],
)  # fmt: skip
def test_an_organisation_cue_types_an_unknown_organisation(text, name, kind):
    assert [(m.name, m.kind) for m in find_mentions(text)] == [(name, kind)]


def test_the_acronym_who_is_not_the_pronoun_who():
    mentions = find_mentions("Officials who met the WHO team asked who would pay.")
    assert [(m.span.exact, m.name) for m in mentions] == [("WHO", "World Health Organization")]


@pytest.mark.parametrize(
    "text",
    [
        "Erdoğan met Ana Lima in Ankara. Ankara rejected the offer, said Tomas Lindqvist.",
        "中国外交部。 “Hanoi’s patience is thin,” said Vietnam’s envoy in Jakarta.\n\n"
        "The DPRK’s ships…",
        "Kim Jong Un\u00a0met Sergey Lavrov. Lavrov and Kim — both smiling — left Moscow.",
    ],
)
def test_a_mentions_exact_text_is_the_text_at_its_offsets(text):
    mentions = find_mentions(text)
    assert mentions
    assert all(text[m.span.start : m.span.end] == m.span.exact for m in mentions)


# Claims


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Oslo should open a consulate in Tromsø.", "recommendation"),
        ("The ministry ought to publish the catch figures.", "recommendation"),
        ("The treaty will expire next spring.", "prediction"),
        ("The fishing fleet plans to sail north.", "prediction"),
        ("The delegation signed the accord in 2019.", "factual_report"),
        ("Ecuador recalled its ambassador on Monday.", "factual_report"),
        ("The accord is a fragile compromise.", "assessment"),
    ],
)
def test_claim_kind(text, kind):
    assert claim_kind(text) == kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Should the regime collapse, refugees would cross the river.", "recommendation"),
        ("Lima hopes Quito will reopen the border.", "prediction"),
    ],
    ids=["conditional-should", "hopes-will"],
)
def test_a_modal_inside_a_condition_or_a_hope_is_not_the_claimants_own(text, kind):
    assert claim_kind(text) != kind


@pytest.mark.parametrize(
    "text, hedge",
    [
        ("The talks may stall over fishing rights.", "may"),
        ("Tallinn will likely retaliate.", "likely"),
        ("Tallinn recalled its envoy.", None),
    ],
)
def test_a_hedge_sets_the_modality(text, hedge):
    assert modality(text) == hedge


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Norway does not recognise the claim.", "negative"),
        ("Peru never ratified the treaty.", "negative"),
        ("Peru ratified the treaty.", "positive"),
        ("Quito won't sign the accord.", "negative"),
    ],
)
def test_a_negation_sets_the_polarity(text, expected):
    assert polarity(text) == expected


def test_reported_speech_is_a_second_claim_by_the_speaker():
    claims = analyse("Ankara insists that the pipeline is safe, but Cairo says it leaks.").claims
    sentence, *reported = claims
    assert sentence.claimant is AUTHOR and sentence.reported_in is None
    assert [(c.claimant.name, c.span.exact) for c in reported] == [
        ("Turkey", "Ankara insists that the pipeline is safe, but"),
        ("Egypt", "Cairo says it leaks."),
    ]
    assert all(c.reported_in == sentence.span and c.rule == "reported-speech" for c in reported)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ankara should reopen the border crossing before winter.", ["Turkey"]),
        ("Egypt and Ethiopia must return to talks on the dam.", ["Egypt", "Ethiopia"]),
        ("The council urged Brazil to protect the forest reserves.", ["Brazil"]),
        ("Macron in Warsaw should promise more air defence to Poland.", ["Emmanuel Macron"]),
        ("If Cairo wants a deal, it must accept a monitoring regime.", []),
        ("We must not forget the lessons of the last famine in Somalia.", []),
    ],
)
def test_a_recommendation_names_the_actor_it_tells_to_act(text, expected):
    claim = analyse(text).claims[0]
    assert claim.kind == "recommendation"
    assert [m.name for m in claim.addressees] == expected


# Quotations


@pytest.mark.parametrize(
    "text",
    [
        "“The corridor will stay open for grain,” said Oksana Melnyk.",
        'Oksana Melnyk wrote, "The corridor will stay open for grain."',
    ],
)
def test_a_speech_verb_ties_a_quotation_to_its_speaker(text):
    analysis = analyse(text)
    assert [(q.span.exact.rstrip(",."), q.speaker.name) for q in analysis.quotations] == [
        ("The corridor will stay open for grain", "Oksana Melnyk")
    ]
    assert analysis.claims[0].kind == "quotation"


def test_a_scare_quote_is_not_a_quotation():
    analysis = analyse('The so-called "special operation" dragged on through the winter.')
    assert analysis.quotations == []
    assert [c.kind for c in analysis.claims] == ["assessment"]


def test_a_sentence_that_is_all_quotation_continues_the_previous_speaker():
    text = '"We will not yield," said Oksana Melnyk. "The grain must move."'
    quotations = analyse(text).quotations
    assert [(q.span.exact, q.speaker.name) for q in quotations] == [
        ("We will not yield,", "Oksana Melnyk"),
        ("The grain must move.", "Oksana Melnyk"),
    ]


# Policies


def policies_of(text: str):
    analysis = analyse(text)
    return find_policies(text, analysis.claims, analysis.mentions)


def test_secondary_sanctions_are_their_own_type():
    (policy,) = policies_of("Washington imposed secondary sanctions on banks in Dubai.")
    assert (policy.type, policy.span.exact) == ("SecondarySanctions", "secondary sanctions")


@pytest.mark.parametrize(
    "text, stance",
    [
        ("The European Union should impose an arms embargo on Myanmar.", "recommends"),
        ("The European Union should not impose an arms embargo on Myanmar.", "opposes"),
        ("The European Union imposed an arms embargo on Myanmar in 2021.", "reports"),
        ("The European Union will impose an arms embargo on Myanmar.", "predicts"),
    ],
)
def test_a_policys_stance_follows_its_sentence(text, stance):
    (policy,) = policies_of(text)
    assert (policy.type, policy.stance, policy.implementers) == ("Sanctions", stance, ["Q458"])


@pytest.mark.parametrize(
    "preposition",
    ["against", "on"],
)
def test_a_policys_target_follows_a_preposition(preposition):
    (policy,) = policies_of(f"Canada imposed tariffs {preposition} Belarus in 2020.")
    assert policy.type == "TradeRestriction"
    assert (policy.implementers, policy.targets) == (["Q16"], ["Q184"])  # Canada, Belarus


def test_repeated_mentions_of_a_policy_merge_into_one():
    text = (
        "Canada imposed sanctions against Venezuela in 2019. The sanctions have not moved "
        "Caracas. Ottawa should keep the sanctions."
    )
    (policy,) = policies_of(text)
    assert policy.type == "Sanctions"
    assert [(s.exact, text[s.start : s.end]) for s in policy.spans] == [("sanctions",) * 2] * 3
    assert policy.stances == ["reports", "reports", "recommends"]
    assert policy.targets == ["Q717"]


def test_the_one_search_that_rules_out_policy_free_sentences_misses_no_policy():
    from kg.policies import _any_pattern, _patterns

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED_DOCUMENTS.rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(TEST_ARTICLES.rglob("*.txt"))]
    sentences = [s.exact for text in texts for s in sentence_spans(text)] + [
        "Tokyo weighed an arms embargo.",
        "Nothing here names a measure.",
        "The SANCTIONS bit.",
    ]
    for sentence in sentences:
        each = any(pattern.search(sentence) for _kind, pattern in _patterns())
        assert bool(_any_pattern().search(sentence)) == each, sentence


# Events


def events_of(text: str, date: PartialDate | None):
    analysis = analyse(text)
    return find_events(analysis.claims, analysis.mentions, date)


def test_an_event_with_an_explicit_date():
    (event,) = events_of("Ethiopia and Egypt held a summit on March 3, 2021 in Cairo.", None)
    assert (event.type, event.span.exact, event.resolved) == ("summit", "summit", True)
    assert (event.date, event.participants) == (PartialDate(2021, 3, 3), ["Q115", "Q79"])


@pytest.mark.parametrize(
    "document_date, resolved",
    [(PartialDate(2022, 3, 4), PartialDate(2022, 3, 4)), (None, None)],
    ids=["document-dated", "undated"],
)
def test_this_morning_is_the_documents_date_when_it_has_one(document_date, resolved):
    text = "The two foreign ministers held a meeting this morning about the dam."
    (event,) = events_of(text, document_date)
    assert (event.type, event.date_text) == ("meeting", "this morning")
    assert (event.date, event.resolved) == (resolved, resolved is not None)


# Stances on shared questions


@pytest.mark.parametrize(
    "text, question, stance",
    [
        ("Beijing has considerable leverage over Pyongyang.", LEVERAGE, "supports"),
        ("Beijing does not have enough leverage over Pyongyang.", LEVERAGE, "opposes"),
        ("Beijing doesn't have enough leverage over Pyongyang.", LEVERAGE, "opposes"),
        ("Sanctions could force Pyongyang back to the table.", SANCTIONS, "supports"),
    ],
)
def test_a_cue_on_a_shared_question_sets_a_stance(text, question, stance):
    claims = analyse(text).claims
    assert [(s.question, s.stance) for s in stances(claims)] == [(question, stance)]


def test_a_sentence_missing_a_concept_takes_no_stance():
    assert stances(analyse("Beijing has considerable leverage over Manila.").claims) == []


# The whole pipeline on awkward input


WORDS = "delegates from Norway said the envoy in Oslo should impose sanctions on fishing fleets"
MIXED = (
    "Harbour notes\n\n"
    "Japan and Vietnam signed a maritime accord in Hanoi last year. "
    "Officials said the patrols will resume.\n\n"
    "中国外交部表示，双方将继续就海上问题进行磋商。\n\n"
    "قالت وزارة الخارجية إن المحادثات ستستمر الأسبوع المقبل.\n\n"
    "The accord should hold, analysts said.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("!!! ???", id="no-sentences"),
        pytest.param("", id="empty"),
        pytest.param(((WORDS + " ") * 3000)[:200_000], id="one-200k-line"),
        pytest.param(MIXED, id="mixed-scripts"),
    ],
)
def test_awkward_documents_extract_without_raising(text):
    extraction = extract(text)
    for actor in extraction.actors + extraction.places:
        assert all(text[m.span.start : m.span.end] == m.span.exact for m in actor.mentions)
    assert all(text[c.span.start : c.span.end] == c.span.exact for c in extraction.claims)


def test_the_english_part_of_a_mixed_script_document_is_read():
    extraction = extract(MIXED)
    assert extraction.meta.language == "en"
    assert {"Japan", "Vietnam"} <= {a.name for a in extraction.actors}
    assert any(c.kind == "recommendation" for c in extraction.claims)


def test_a_spanish_document_is_not_read_with_english_rules():
    extraction = extract(
        "Notas sobre la frontera\n\n"
        "El gobierno de Perú dijo que la frontera con Ecuador se abrirá la próxima semana. "
        "Los ministros se reunieron en Lima para discutir el acuerdo, y la oposición pidió "
        "más controles en los puertos del norte.\n"
    )
    assert extraction.meta.language == "es"
    assert extraction.claims == [] and extraction.policies == []
    assert any("'es'" in w and "English" in w for w in extraction.warnings)


def test_a_note_giving_only_a_year_is_not_a_citation():
    # found by the fuzzer ("SHOULD\n[0]2000"): a citation with neither title nor outlet
    body = "The talks between the two governments resumed in the spring after a long pause."
    extraction = extract(f"{body}[1]\n\n[1] 2000.\n[2] Reuters, 2000.\n")
    assert extraction.meta.language == "en"
    assert [c.marker for c in extraction.citations] == ["2"]
    assert extraction.citations[0].outlet.name == "Reuters"
