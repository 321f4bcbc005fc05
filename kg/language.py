"""Which language a document is written in (stop-word shares, scripts)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from . import lexicon

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _scripts() -> list[tuple[str, re.Pattern]]:
    return [
        (code, re.compile(f"[{ranges}]"))
        for code, ranges in lexicon.load("languages")["scripts"].items()
    ]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language of ``text``; ``"und"`` when unsure.

    >>> detect_language("The United States and China disagree on the best way to stop it.")
    'en'
    >>> detect_language("La Unión Europea y los Estados Unidos acordaron nuevas sanciones.")
    'es'
    """
    config = lexicon.load("languages")
    sample = text[:20000]
    letters = sum(map(str.isalpha, sample))
    for code, pattern in _scripts():
        if letters and len(pattern.findall(sample)) / letters > 0.5:
            return code
    words = [w.casefold() for w in _WORD.findall(text[:20000])]
    if not words:
        return "und"
    counts = Counter(words)
    shares = {
        code: sum(counts[w] for w in set(stop)) / len(words)
        for code, stop in config["stopwords"].items()
    }
    best = max(sorted(shares), key=shares.get)
    return best if shares[best] >= config["min_share"] else "und"
