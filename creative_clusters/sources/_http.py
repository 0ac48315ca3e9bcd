"""One place for HTTP: the shared client, retries with backoff, and offline errors.

Every web request the toolkit makes goes through :func:`make_client` and
:func:`get_with_retries`, so timeouts, the User-Agent, retry policy and the
"no network" message are the same everywhere.

Retry policy
------------
- HTTP 429 (rate limited): wait for ``Retry-After`` (seconds or an HTTP date)
  when the server sends it, else back off; then retry.
- HTTP 5xx and read timeouts / dropped connections: exponential backoff
  ``base * 2**attempt`` plus random jitter in ``[0, base)``, capped at
  ``max_backoff`` (a 5xx ``Retry-After`` is honoured instead); at most
  ``max_retries`` retries.
- Other 4xx: no retry; :class:`~creative_clusters.errors.DataSourceError`.
- No connection at all (DNS failure, refused, connect timeout): fail at once
  with :class:`~creative_clusters.errors.OfflineError`, whose message names the
  offline alternative. Retrying cannot help when there is no network.

Tests inject a transport (``httpx.MockTransport``) through ``make_client`` or
the module attribute :data:`default_transport`, and a fake ``sleep``.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from creative_clusters._version import __version__
from creative_clusters.errors import DataSourceError, OfflineError

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "OFFLINE_HINT",
    "get_with_retries",
    "make_client",
    "offline_hint",
    "retry_after_seconds",
]

USER_AGENT = f"creative-clusters/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 3
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_BACKOFF = 60.0
#: Longest ``Retry-After`` we are willing to wait before giving up (seconds).
MAX_RETRY_AFTER = 300.0

#: What to do without a network; part of every :class:`OfflineError`.
def offline_hint(nomis_dataset: str = "ALIAS", url: str = "") -> str:
    """What to do without a network, naming the Nomis dataset the file must be imported as.

    ``url`` is the request's URL (without any key), for the user to open on a
    connected machine and save as the file to import.

    >>> offline_hint("bres").endswith("`creative-clusters data import-nomis FILE --nomis-dataset bres`")
    True
    >>> "open https://n/x.data.csv in a browser" in offline_hint("bres", "https://n/x.data.csv")
    True
    """
    where = (f" (open {url} in a browser there and save the page as FILE; `--dry-run` prints this URL again)"
             if url else "")
    return ("import the reference bundle with `creative-clusters data import DIR`, or "
            f"download the CSV from Nomis on a connected machine{where} and import it with "
            f"`creative-clusters data import-nomis FILE --nomis-dataset {nomis_dataset}`")


OFFLINE_HINT = offline_hint()

#: Transport used by :func:`make_client` when none is given (tests set this).
default_transport: httpx.BaseTransport | None = None

#: Sleep function used between retries when none is given (tests replace it).
default_sleep: Callable[[float], None] = time.sleep


def make_client(
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    headers: Mapping[str, str] | None = None,
) -> httpx.Client:
    """Return an ``httpx.Client`` with the toolkit's timeouts and User-Agent.

    Parameters
    ----------
    transport : httpx.BaseTransport, optional
        For tests: e.g. ``httpx.MockTransport(handler)``. Defaults to
        :data:`default_transport` (``None`` = the real network).
    timeout : httpx.Timeout or float
        Connect/read timeouts.
    headers : mapping, optional
        Extra headers.

    Examples
    --------
    >>> import httpx
    >>> c = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    >>> c.headers["User-Agent"].startswith("creative-clusters/")
    True
    >>> c.close()
    """
    hdrs = {"User-Agent": USER_AGENT}
    if headers:
        hdrs.update(headers)
    return httpx.Client(
        transport=transport if transport is not None else default_transport,
        timeout=timeout,
        headers=hdrs,
        follow_redirects=True,
    )


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Parse a ``Retry-After`` header (delta-seconds or HTTP date) to seconds.

    Returns ``None`` when absent or unparseable; never negative.

    Examples
    --------
    >>> retry_after_seconds("7")
    7.0
    >>> retry_after_seconds(None) is None
    True
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _backoff(attempt: int, base: float, cap: float, rng: Callable[[], float]) -> float:
    return min(cap, base * (2**attempt) + rng() * base)


def _offline(url: str, exc: Exception, hint: str = OFFLINE_HINT) -> OfflineError:
    host = httpx.URL(url).host or url
    return OfflineError(
        f"cannot reach {host} ({type(exc).__name__}: {exc}); you appear to be offline. "
        f"To work offline, {hint}."
    )


def get_with_retries(
    client: httpx.Client,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    max_backoff: float = DEFAULT_MAX_BACKOFF,
    sleep: Callable[[float], None] | None = None,
    rng: Callable[[], float] = random.random,
    source: str = "web request",
    offline_hint: str = OFFLINE_HINT,
) -> httpx.Response:
    """GET ``url`` and return the successful response, retrying transient failures.

    Parameters
    ----------
    client : httpx.Client
        From :func:`make_client`.
    url, params
        The request.
    max_retries : int
        Retries after the first attempt (so at most ``max_retries + 1`` requests).
    backoff, max_backoff : float
        Exponential backoff base and cap, in seconds.
    sleep : callable, optional
        Called with the wait in seconds; defaults to :data:`default_sleep`.
    rng : callable
        Jitter source returning floats in ``[0, 1)``.
    source : str
        Name used in error messages (e.g. ``"Nomis request for NM_189_1"``).
    offline_hint : str
        What to do without a network, for the :class:`OfflineError` (default
        :data:`OFFLINE_HINT`, the Nomis route; other sources pass their own).

    Raises
    ------
    OfflineError
        The host cannot be reached at all (no retry).
    DataSourceError
        A 4xx other than 429, or retries exhausted.

    Examples
    --------
    >>> import httpx
    >>> replies = iter([httpx.Response(503), httpx.Response(200, content=b"ok")])
    >>> c = make_client(transport=httpx.MockTransport(lambda r: next(replies)))
    >>> waits = []
    >>> get_with_retries(c, "https://example.org/x", sleep=waits.append,
    ...                  rng=lambda: 0.0).content
    b'ok'
    >>> waits
    [1.0]
    """
    if max_retries < 0:
        raise ValueError(f"max_retries must be >= 0, got {max_retries}")
    do_sleep = sleep if sleep is not None else default_sleep
    last_problem = ""
    for attempt in range(max_retries + 1):
        try:
            response = client.get(url, params=dict(params) if params else None)
        except (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.UnsupportedProtocol,
        ) as exc:
            raise _offline(url, exc, offline_hint) from exc
        except (
            httpx.ReadTimeout,
            httpx.WriteTimeout,
            httpx.PoolTimeout,
            httpx.ReadError,
            httpx.WriteError,
            httpx.RemoteProtocolError,
        ) as exc:
            last_problem = f"{type(exc).__name__}: {exc}"
            if attempt < max_retries:
                do_sleep(_backoff(attempt, backoff, max_backoff, rng))
                continue
            break
        except httpx.HTTPError as exc:
            raise DataSourceError(
                f"{source} failed: {type(exc).__name__}: {exc}"
            ) from exc
        status = response.status_code
        if status < 400:
            return response
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            last_problem = "HTTP 429 Too Many Requests"
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise DataSourceError(
                    f"{source} failed: the server asked us to wait {wait:.0f} s "
                    "(HTTP 429, Retry-After); try again later."
                )
            if attempt < max_retries:
                do_sleep(
                    wait
                    if wait is not None
                    else _backoff(attempt, backoff, max_backoff, rng)
                )
                continue
            break
        if status >= 500:
            last_problem = f"HTTP {status}"
            if attempt < max_retries:
                hint = retry_after_seconds(response.headers.get("Retry-After"))
                wait = _backoff(attempt, backoff, max_backoff, rng)
                do_sleep(min(hint, MAX_RETRY_AFTER) if hint is not None else wait)
                continue
            break
        snippet = " ".join(response.text[:200].split())
        raise DataSourceError(
            f"{source} failed with HTTP {status} for {response.request.url}"
            + (f": {snippet}" if snippet else "")
            + "; check the dataset id and selection parameters."
        )
    raise DataSourceError(
        f"{source} failed after {max_retries + 1} attempt(s); "
        f"last problem: {last_problem}. "
        "The server may be busy or down; try again later."
    )
