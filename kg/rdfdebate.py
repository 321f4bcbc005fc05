"""Map actors, claims, quotations, policies, events and stances to RDF.

The second half of the RDF mapping stage (``rdfmap`` writes the document and
its citations): every node here points to its evidence spans and to the rule
that found it.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from .ids import slug
from .namespaces import SKOS, WD, XSD
from .questions import questions
from .rdfterms import LABEL, TYPE, boolean, date_literal, english, pk, text

EXACT_MATCH = NamedNode(SKOS + "exactMatch")
ALT_LABEL = NamedNode(SKOS + "altLabel")
STANCE_PROPERTIES = {"supports": "affirms", "opposes": "denies", "qualifies": "qualifies"}
POLICY_LINKS = {"recommends": "recommends", "opposes": "opposes"}


def debate_quads(w) -> None:
    """Add the debate of ``w.extraction`` to the writer ``w`` (a ``GraphWriter``)."""

    e = w.extraction
    actor_nodes = {a.key: _actor(w, a) for a in [*e.actors, *e.places]}
    for key, node in actor_nodes.items():
        if key in e.links:
            link_quads(w, node, e.links[key])
    claim_nodes = {}
    for claim in e.claims:
        claim_nodes[claim.span] = _claim(w, claim, actor_nodes)
    for claim in e.claims:
        if claim.reported_in is not None and claim.reported_in in claim_nodes:
            w.add(claim_nodes[claim.span], pk("reportedIn"), claim_nodes[claim.reported_in])
    for quotation in e.quotations:
        _quotation(w, quotation, claim_nodes)
    for policy in e.policies:
        _policy(w, policy, actor_nodes, claim_nodes, e.claims)
    for event in e.events:
        _event(w, event, actor_nodes)
    for stance in e.stances:
        question = _question(w, stance.question)
        w.add(claim_nodes[stance.claim.span], pk(STANCE_PROPERTIES[stance.stance]), question)


def _actor(w, actor) -> NamedNode:
    node = w.actor_node(actor.kind, actor.name)
    for alternative in actor.alt_labels:
        w.add(node, ALT_LABEL, english(alternative))
    w.add(w.document, pk("mentions"), node)
    for mention in actor.mentions:
        if mention.span.end > mention.span.start:
            w.evidence(mention.span, node, mention.rule)
    return node


def link_quads(w, node: NamedNode, found) -> None:
    """Note a linking decision for ``node``; the surest one per node is written at the end.

    (A cited outlet may also be named in the body: one node, two decisions.)
    """
    best = w.links.get(node)
    if best is None or _sureness(found) > _sureness(best):
        w.links[node] = found


def _sureness(found) -> tuple:
    return (found.confidence or 0, len(found.candidates))


def write_links(w) -> None:
    for node in sorted(w.links, key=lambda n: n.value):
        write_link(w, node, w.links[node])


def write_link(w, node: NamedNode, found) -> None:
    """``skos:exactMatch`` when identity is established, with a PROV record of how;
    ``pk:candidate`` for each entity an ambiguous name could be."""
    for candidate in found.candidates:
        w.add(node, pk("candidate"), NamedNode(WD + candidate))
    if not found.wikidata:
        return
    entity = NamedNode(WD + found.wikidata)
    # One record per decision (actor, entity, method, confidence), named by what it says:
    # the documents that reach the same decision share it, so the shared graph lists each
    # decision once; each document's graph still says which extraction run made it.
    decision = [node.value.removeprefix(w.iris.base), found.wikidata, found.method]
    local = "-".join(slug(part) for part in [*decision, str(found.confidence)])
    record = NamedNode(f"{w.iris.base}link/{local}")
    w.add(node, EXACT_MATCH, entity)
    w.add(record, TYPE, pk("IdentityLink"))
    w.add(record, pk("linksActor"), node)
    w.add(record, pk("linksTo"), entity)
    w.add(record, pk("linkMethod"), text(found.method))
    w.add(
        record,
        pk("confidence"),
        Literal(str(found.confidence), datatype=NamedNode(XSD + "decimal")),
    )
    w.add(record, pk("generatedBy"), w.activity)


def _voice(w, mention, actor_nodes) -> NamedNode:
    """The node of a claimant or speaker, written if no mention of it made one."""

    if mention.key not in actor_nodes:
        actor_nodes[mention.key] = w.actor_node(mention.kind, mention.name)
    return actor_nodes[mention.key]


def _claim(w, claim, actor_nodes) -> NamedNode:

    node = NamedNode(f"{w.iris.document(w.doc_id)}/claim/{claim.span.start}-{claim.span.end}")
    w.add(node, TYPE, pk("Claim"))
    w.add(node, pk("claimText"), text(claim.span.exact))
    w.add(node, pk("claimKind"), text(claim.kind))
    w.add(node, pk("claimant"), _voice(w, claim.claimant, actor_nodes))
    w.add(node, pk("polarity"), text(claim.polarity))
    w.add(node, pk("rule"), text(claim.rule))
    w.add(node, pk("evidence"), w.evidence(claim.span))
    w.add(node, pk("generatedBy"), w.activity)
    if claim.modality:
        w.add(node, pk("modality"), text(claim.modality))
    if claim.main:
        w.add(node, pk("mainClaim"), boolean(True))
    for key in claim.actors:
        if key in actor_nodes:
            w.add(node, pk("mentions"), actor_nodes[key])
    for mention in claim.addressees:
        if mention.key in actor_nodes:
            w.add(node, pk("addressee"), actor_nodes[mention.key])
    return node


def _quotation(w, quotation, claim_nodes) -> None:

    span = quotation.span
    node = NamedNode(f"{w.iris.document(w.doc_id)}/quotation/{span.start}-{span.end}")
    speaker = NamedNode(w.iris.actor(quotation.speaker))
    w.add(node, TYPE, pk("Quotation"))
    w.add(node, pk("claimText"), text(span.exact))
    w.add(node, pk("claimKind"), text("quotation"))
    w.add(node, pk("speaker"), speaker)
    w.add(node, pk("claimant"), speaker)
    w.add(node, pk("rule"), text(quotation.rule))
    w.add(node, pk("evidence"), w.evidence(span))
    w.add(node, pk("generatedBy"), w.activity)
    if quotation.sentence in claim_nodes:
        w.add(node, pk("reportedIn"), claim_nodes[quotation.sentence])


def _policy(w, policy, actor_nodes, claim_nodes, claims) -> None:

    phrase = policy.span.exact
    node = NamedNode(
        f"{w.iris.document(w.doc_id)}/policy/{slug(policy.type + ' ' + phrase.lower())}"
    )
    w.add(node, TYPE, pk("Policy"))
    w.add(node, LABEL, english(phrase))
    w.add(node, pk("policyType"), pk(policy.type))
    w.add(node, pk("generatedBy"), w.activity)
    for key, role in [(k, "implementer") for k in policy.implementers] + [
        (k, "targets") for k in policy.targets
    ]:
        if key in actor_nodes:
            w.add(node, pk(role), actor_nodes[key])
    for span, stance in zip(
        policy.spans or [policy.span], policy.stances or [policy.stance], strict=True
    ):
        w.add(node, pk("stance"), text(stance))
        w.add(node, pk("evidence"), w.evidence(span, node, "policy-lexicon"))
        claim = _sentence_claim(claims, span)
        if claim is not None:
            link = POLICY_LINKS.get(stance, "mentions")
            w.add(claim_nodes[claim.span], pk(link), node)
            if stance == "recommends":
                w.add(node, pk("proposer"), _voice(w, claim.claimant, actor_nodes))


def _sentence_claim(claims, span):
    for claim in claims:
        if claim.reported_in is None and claim.span.start <= span.start < claim.span.end:
            return claim
    return None


def _event(w, event, actor_nodes) -> None:

    node = NamedNode(f"{w.iris.document(w.doc_id)}/event/{event.span.start}-{event.span.end}")
    when = event.date.iso if event.date else (event.date_text or "undated")
    w.add(node, TYPE, pk("Event"))
    w.add(node, LABEL, english(f"{event.type} ({when})"))
    w.add(node, pk("eventType"), text(event.type))
    w.add(node, pk("dateResolved"), boolean(event.resolved))
    w.add(node, pk("evidence"), w.evidence(event.span, node, "event-trigger"))
    w.add(node, pk("evidence"), w.evidence(event.sentence))
    w.add(node, pk("generatedBy"), w.activity)
    if event.date is not None:
        w.add(node, pk("eventDate"), date_literal(event.date))
    if event.date_text:
        w.add(node, pk("dateText"), text(event.date_text))
    for key in event.participants:
        if key in actor_nodes:
            w.add(node, pk("participant"), actor_nodes[key])
    for key in event.places:
        if key in actor_nodes:
            w.add(node, pk("location"), actor_nodes[key])


def _question(w, question_id: str) -> NamedNode:

    node = NamedNode(f"{w.iris.base}question/{question_id}")
    proposition = next(q.proposition for q in questions() if q.id == question_id)
    w.add(node, TYPE, pk("Question"))
    w.add(node, LABEL, english(proposition))
    w.add(node, pk("proposition"), text(proposition))
    return node
