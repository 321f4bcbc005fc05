"""The fingerprint of the extraction rules.

Each document's extraction run records (``pk:rulesFingerprint``) a digest of what
decided what it found: the modules that extract and map it to RDF, the rule data
(lexicons, gazetteer, reference) and the options (``--model``, ``--no-link``). A
build extracts a stored document again when the digest differs, so editing a
lexicon or upgrading policy-kg and rebuilding takes effect; a change to the report,
the CLI or the store does not re-extract anything. A document read with a curator's
sidecar records the sidecar's digest with it (``document_rules``), so editing the
sidecar re-extracts that document.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from . import __version__
from .resources import resource_dir

PACKAGE = Path(__file__).resolve().parent
ROOTS = ("pipeline", "rdfmap")  # extraction, and its mapping to RDF
RULE_DATA = ("lexicons", "gazetteer", "reference")


# A relative import of this package at the start of a line, ``from .x import ...`` or
# ``from . import a, b`` (parenthesised names may span lines): a regular expression, not
# a parse, as every build computes the fingerprint. A test compares it with a parse.
RELATIVE_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+\.(?!\.)(\w*)[\w.]*[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE
)


def _imported_names(names: str) -> list[str]:
    """The module names of ``from . import <names>``.

    >>> _imported_names("(a,\\n  b as c,  # note\\n)")
    ['a', 'b']
    """
    found = []
    for line in names.strip("()").splitlines():
        for part in line.split("#")[0].split(","):
            name = part.split(" as ")[0].strip()
            if name:
                found.append(name)
    return found


def extraction_modules(package: Path = PACKAGE, roots: tuple[str, ...] = ROOTS) -> list[Path]:
    """The package's modules that extraction runs: the roots and, transitively, the
    package modules they import.

    >>> names = [p.stem for p in extraction_modules()]
    >>> "claims" in names and "report" not in names and "store" not in names
    True
    """
    seen: set[str] = set()
    waiting = list(roots)
    while waiting:
        name = waiting.pop()
        path = package / f"{name}.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        waiting.extend(relative_imports(path.read_text(encoding="utf-8")))
    return sorted(package / f"{name}.py" for name in seen)


def relative_imports(source: str) -> list[str]:
    """The modules of this package that Python ``source`` imports relatively.

    >>> relative_imports("from .claims import x\\nfrom . import (a,\\n b as c)\\n")
    ['claims', 'a', 'b']
    """
    found = []
    for module, names in RELATIVE_IMPORT.findall(source):
        found.extend([module] if module else _imported_names(names))
    return found


@cache
def rules_fingerprint(model: str | None = None, link: bool = True) -> str:
    """16 hex digits naming the rules an extraction with these options uses.

    >>> rules_fingerprint() == rules_fingerprint() != rules_fingerprint(link=False)
    True
    """
    files = [(f"kg/{path.name}", path) for path in extraction_modules()]
    for kind in RULE_DATA:
        folder = resource_dir(kind)
        for path in folder.rglob("*"):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                files.append((f"{kind}/{relative.as_posix()}", path))
    return fingerprint(files, f"policy-kg {__version__};model={model or ''};link={link}")


def document_rules(rules: str, sidecar_hash: str | None) -> str:
    """What a document's extraction depended on besides its text: the rules and, when a
    curator's sidecar was read with it, that sidecar's digest.

    >>> document_rules("0123", None), document_rules("0123", "abcdef0123456789ff")
    ('0123', '0123+sidecar-abcdef0123456789')
    """
    return rules if not sidecar_hash else f"{rules}+sidecar-{sidecar_hash[:16]}"


def fingerprint(files: list[tuple[str, Path]], options: str = "") -> str:
    """SHA-256 over the options and the names and bytes of ``files``, in name order."""
    digest = hashlib.sha256(options.encode("utf-8") + b"\0")
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
