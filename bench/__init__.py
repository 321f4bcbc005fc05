"""Benchmarks of policy-kg: ``python -m bench`` (or ``make bench``).

Generates a seeded synthetic corpus of N articles, then measures the build,
rebuilds, validation, every saved query, exports, and the same steps done the
plain-rdflib way on the same data; writes ``bench/results/<date>.md`` and a
plot of cost against N.
"""
