"""Real Oxigraph SPARQL servers on 127.0.0.1, started and stopped by the tests themselves."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"

needs_oxigraph = pytest.mark.skipif(
    not OXIGRAPH.exists() and not shutil.which("oxigraph"),
    reason="the oxigraph server (PyPI package 'oxigraph') is not installed",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OxigraphServer:
    """An Oxigraph server process over a folder: read-only (optionally loaded with a file
    first) or writable (queries, updates and the Graph Store Protocol)."""

    def __init__(self, folder: Path, *, load: Path | None = None, writable: bool = False):
        self.binary = str(OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph"))
        self.folder, self.port = folder, free_port()
        if load is not None:
            subprocess.run(
                [self.binary, "load", "--location", str(folder), "--file", str(load)],
                check=True,
                capture_output=True,
            )
        mode = "serve" if writable else "serve-read-only"
        self.process = subprocess.Popen(
            [self.binary, mode, "--location", str(folder), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def _wait(self) -> None:
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("oxigraph server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
