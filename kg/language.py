"""Which language a document is written in (stop-word shares, scripts)."""

from __future__ import annotations

import re
from collections import Counter

from . import lexicon

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language of ``text``; ``"und"`` when unsure.

    >>> detect_language("The United States and China disagree on the best way to stop it.")
    'en'
    >>> detect_language("La Unión Europea y los Estados Unidos acordaron nuevas sanciones.")
    'es'
    """
    config = lexicon.load("languages")
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    for code, ranges in config["scripts"].items():
        in_script = sum(1 for ch in letters if re.match(f"[{ranges}]", ch))
        if letters and in_script / len(letters) > 0.5:
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
