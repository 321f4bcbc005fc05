"""policy-kg: a provenance-first knowledge graph of foreign-policy debate.

Library first: everything the ``kg`` command does is a function here.

>>> import kg
>>> kg.__version__
'0.1.0'
>>> store = kg.KgStore(None)  # in memory; give a folder for a persistent store
>>> kg.store_stats(store).documents
0
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildSummary, build  # noqa: E402
from .export import export_bytes, write_export  # noqa: E402
from .pipeline import extract_document, extract_file  # noqa: E402
from .query import resolve_query, run_query, saved_queries  # noqa: E402
from .stats import store_stats  # noqa: E402
from .store import KgStore  # noqa: E402
from .validate import validate_graph, validate_store  # noqa: E402

__all__ = [
    "BuildSummary",
    "KgStore",
    "build",
    "export_bytes",
    "extract_document",
    "extract_file",
    "resolve_query",
    "run_query",
    "saved_queries",
    "store_stats",
    "validate_graph",
    "validate_store",
    "write_export",
]
