"""Minting IRIs for documents, agents, citations and evidence spans.

Names from documents never reach an IRI raw: they become ASCII slugs, with a
hash suffix when anything was lost, so every IRI is valid and stable.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from .lexicon import name_key
from .model import Span
from .namespaces import DEFAULT_BASE

MAX_SLUG = 60
KIND_FOLDERS = {"Person": "person", "State": "state", "Place": "place"}


@lru_cache(maxsize=65536)
def slug(name: str) -> str:
    """A short, safe, stable IRI segment for a name.

    >>> slug("Maria K. Lopez")
    'maria-k-lopez'
    >>> slug('<script>"x"') == slug('<script>"x"') and "<" not in slug('<script>"x"')
    True
    >>> slug("习近平")
    'x-12560155'
    """
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_form.lower()).strip("-")
    lossy = not cleaned or len(cleaned) > MAX_SLUG or _lost_letters(name, ascii_form)
    if not lossy:
        return cleaned
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned[:MAX_SLUG].rstrip('-')}-{digest}".lstrip("-") if cleaned else f"x-{digest}"


def _lost_letters(name: str, ascii_form: str) -> bool:
    letters = sum(1 for ch in unicodedata.normalize("NFKD", name) if ch.isalnum())
    return letters != sum(1 for ch in ascii_form if ch.isalnum())


class Iris:
    """The instance IRIs under one base.

    >>> Iris().agent("Person", "Ana Lima")
    'https://w3id.org/policy-kg/id/person/ana-lima'
    >>> Iris().agent("MediaOutlet", "The New York Times")
    'https://w3id.org/policy-kg/id/org/new-york-times'
    """

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def document(self, doc_id: str) -> str:
        return f"{self.base}doc/{doc_id}"

    def graph(self, doc_id: str) -> str:
        return f"{self.base}graph/doc/{doc_id}"

    def named_graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    @property
    def shared_graph(self) -> str:
        """The graph holding each shared node's description once (see ``kg.shared``)."""
        return self.named_graph("shared")

    @property
    def prefixes(self) -> dict[str, str]:
        """``graph:`` for the store's named graphs, as in ``GRAPH graph:shared``."""
        return {"graph": self.named_graph("")}

    def activity(self, doc_id: str) -> str:
        return f"{self.base}doc/{doc_id}/extraction"

    def citation(self, doc_id: str, marker: str) -> str:
        return f"{self.base}doc/{doc_id}/citation/{slug(marker)}"

    def evidence(self, doc_id: str, span: Span) -> str:
        return f"{self.base}doc/{doc_id}/span/{span.start}-{span.end}"

    def actor(self, actor) -> str:
        """IRI of a resolved actor or mention (anything with ``kind`` and ``name``)."""
        return self.agent(actor.kind, actor.name)

    def agent(self, kind: str, name: str) -> str:
        folder = KIND_FOLDERS.get(kind, "org")
        return f"{self.base}{folder}/{slug(name_key(name))}"
