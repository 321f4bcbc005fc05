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

# The package's names load on first use (PEP 562), so commands that need neither
# extraction (spaCy) nor validation (pySHACL) start quickly.
_EXPORTS = {
    "BuildSummary": "build",
    "build": "build",
    "export_bytes": "export",
    "export_to": "export",
    "write_export": "export",
    "extract_document": "pipeline",
    "extract_file": "pipeline",
    "resolve_query": "query",
    "run_query": "query",
    "saved_queries": "query",
    "store_stats": "stats",
    "KgStore": "store",
    "validate_graph": "validate",
    "validate_store": "validate",
}


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)


__all__ = [
    "BuildSummary",
    "KgStore",
    "build",
    "export_bytes",
    "export_to",
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
