"""Domain errors. The CLI turns each into one clean line and an exit code."""

from __future__ import annotations


class KgError(Exception):
    """Base class for errors a user can act on (exit code 2)."""


class InputError(KgError):
    """A document or sidecar that cannot be read.

    >>> str(InputError("a.txt", "file is empty"))
    'a.txt: file is empty'
    >>> str(InputError("a.meta.yaml", "bad date", line=3))
    'a.meta.yaml:3: bad date'
    """

    def __init__(
        self, path: str, reason: str, *, line: int | None = None, offset: int | None = None
    ):
        self.path, self.reason, self.line, self.offset = str(path), reason, line, offset
        where = str(path)
        if line is not None:
            where += f":{line}"
        elif offset is not None:
            where += f" (offset {offset})"
        super().__init__(f"{where}: {reason}")


class QueryError(KgError):
    """A SPARQL query that cannot be parsed or run."""
