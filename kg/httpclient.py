"""HTTP for SPARQL endpoints and Graph Store Protocol servers: timeouts, retries, clean errors.

Requests that fail with 429, a 5xx status, a timeout or a dropped connection
are retried with exponential backoff; what still fails becomes one
:class:`EndpointUnavailable` line naming the URL. A response whose media type
is not one the caller accepts (an HTML error page instead of SPARQL results)
is an error too, never parsed as data.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from . import __version__
from .errors import KgError

USER_AGENT = (
    f"policy-kg/{__version__} (knowledge-graph builder for foreign-policy articles; "
    "https://w3id.org/policy-kg)"
)


class EndpointUnavailable(KgError):
    """The endpoint could not be reached, or answered with an error (after retries)."""


@dataclass
class Response:
    status: int
    media_type: str
    body: bytes


@dataclass
class HttpClient:
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.2
    requests: int = 0

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        ok_missing: bool = False,
    ) -> Response:
        """Send one request, retried on transient failures; 404 is an answer if ``ok_missing``."""
        headers = {"User-Agent": USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            try:
                self.requests += 1
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    data = answer.read()
                    return Response(answer.status, _media_type(answer.headers), data)
            except urllib.error.HTTPError as error:
                if error.code == 404 and ok_missing:
                    return Response(404, _media_type(error.headers), b"")
                if not _transient(error.code) or attempt == self.retries:
                    raise EndpointUnavailable(
                        f"{url}: HTTP {error.code} {_reason(error)}".rstrip()
                    ) from error
                time.sleep(float(error.headers.get("Retry-After") or self.backoff * 2**attempt))
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                if attempt == self.retries:
                    raise EndpointUnavailable(f"{url}: unreachable ({_cause(error)})") from error
                time.sleep(self.backoff * 2**attempt)
        raise EndpointUnavailable(f"{url}: no answer")  # pragma: no cover - loop always returns


def expect(response: Response, url: str, *media_types: str) -> Response:
    """The response, if its media type is one of ``media_types``; else a clear error."""
    if response.media_type not in media_types:
        shown = response.media_type or "no media type"
        raise EndpointUnavailable(f"{url}: answered {shown}, expected {' or '.join(media_types)}")
    return response


def _transient(status: int) -> bool:
    return status == 429 or status >= 500


def _media_type(headers) -> str:
    return (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


def _reason(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read(300).decode("utf-8", "replace")
    except OSError:
        text = ""
    return " ".join(text.split())[:200] or (error.reason or "")


def _cause(error: Exception) -> str:
    reason = getattr(error, "reason", None)
    return str(reason or error) or type(error).__name__
