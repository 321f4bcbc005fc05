"""Property-based fuzzing: random text, Unicode and metadata through extraction and
mapping. Every output graph parses, conforms to the shapes, and every span quotes the
document exactly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import RdfFormat, Store, parse, serialize

from kg.pipeline import extract_document
from kg.read import RawDocument
from kg.sidecar import Sidecar
from kg.store import KgStore
from kg.validate import validate_store
from kg.write import write_extraction

VOCABULARY = (
    'Egypt Ethiopia Sudan Cairo said should must sanctions talks the a of and “ ” " [1] '
    "Xi Jinping Beijing Washington President according to By Notes 2019 March 3, ; : — "
    "Организация 北京 مصر \u200b é ﬁ 😀"
)
WORDS = st.sampled_from(VOCABULARY.split(" ") + ["\u00a0", "\n"])
TEXTS = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(WORDS, min_size=1, max_size=120).map(" ".join),
    st.lists(st.lists(WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=8).map(
        "\n\n".join
    ),
)
METADATA = st.fixed_dictionaries(
    {},
    optional={
        "title": st.text(min_size=1, max_size=80),
        "publisher": st.text(min_size=1, max_size=40),
        "authors": st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=3),
        "url": st.sampled_from(["https://example.org/a", "http://x.y/ü?q=1"]),
    },
)


def checked_store(text: str, metadata: dict) -> KgStore:
    raw = RawDocument(path="fuzz.txt", text=text, format="text")
    if metadata:
        raw.sidecar = Sidecar("fuzz.meta.yaml", dict(metadata))
    extraction = extract_document(raw)
    store = KgStore(None)
    store.ensure_ontology()
    write_extraction(store, extraction, {})
    return store


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS.filter(lambda t: t.strip()), metadata=METADATA)
def test_any_text_gives_a_graph_that_parses_and_conforms(text, metadata):
    store = checked_store(text, metadata)
    data = serialize(store.oxigraph, format=RdfFormat.N_QUADS)
    reparsed = Store()
    reparsed.extend(parse(data, format=RdfFormat.N_QUADS))
    assert len(reparsed) == len(store.oxigraph)
    report = validate_store(store)
    assert report.conforms, report.to_text()
    spans = store.query(
        "SELECT ?exact ?start ?end ?text WHERE { ?s pk:exact ?exact ; pk:start ?start ; "
        "pk:end ?end ; pk:inDocument ?d . ?d pk:text ?text }"
    )
    for row in spans:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["text"].value[start:end] == row["exact"].value


def test_authors_differing_only_in_case_get_one_node_with_one_label():
    store = checked_store(
        "0", {"title": "0", "url": "https://example.org/a", "authors": ["E", "e"]}
    )
    assert validate_store(store).conforms
