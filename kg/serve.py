"""``kg serve``: the store over the SPARQL 1.1 Protocol, by Oxigraph's own server.

We do not write a server: Oxigraph's (the ``oxigraph`` command of the PyPI
package of that name) serves the same store directory, with its query web
UI at ``/``, queries at ``/query`` and, only with ``--writable``, updates at
``/update`` and the Graph Store Protocol at ``/store``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .errors import KgError

DEFAULT_BIND = "127.0.0.1:7878"
DEFAULT_TIMEOUT_S = 60


def oxigraph_binary() -> str:
    """The ``oxigraph`` server command next to this Python, else on the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise KgError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def serve_command(
    store_path: str,
    *,
    bind: str = DEFAULT_BIND,
    writable: bool = False,
    timeout_s: int = DEFAULT_TIMEOUT_S,
) -> list[str]:
    """The command line that serves ``store_path``; read-only unless ``writable``.

    >>> serve_command(".")[1:4]
    ['serve-read-only', '--location', '.']
    """
    if not Path(store_path).exists() and not writable:
        raise KgError(f"{store_path}: no store here (run `kg build` first)")
    mode = "serve" if writable else "serve-read-only"
    command = [
        oxigraph_binary(),
        mode,
        "--location",
        store_path,
        "--bind",
        bind,
        "--union-default-graph",
    ]
    if not writable:
        command += ["--timeout-s", str(timeout_s)]
    return command
