"""The FastAPI app behind ``creative-clusters serve``.

Reads a private snapshot of the warehouse (see :mod:`creative_clusters.web.snapshot`),
so commands that write the warehouse run beside it. Every request parameter
is validated and bound (never interpolated into SQL); no request value becomes
a file path: static files are served from a fixed allow-list, vendor files
from the installed front-end packages by fixed names.

Hygiene: only the loopback host names are accepted unless ``allowed_hosts``
says otherwise (DNS rebinding); every response carries a Content Security
Policy without inline scripts, ``nosniff`` and ``frame-ancestors 'none'``;
validation errors never echo the value sent; an unexpected error becomes a
JSON 500 without closing the connection; CORS is off unless origins are
configured; the interactive ``/docs`` pages (which load scripts from a CDN)
are off, the schema is at ``/openapi.json``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creative_clusters import __version__
from creative_clusters.config import DEFAULT_FRAMEWORK
from creative_clusters.errors import ClusterToolkitError, ParameterError, PlaceNotFoundError, WarehouseError
from creative_clusters.web.layers import parse_bbox
from creative_clusters.web.responses import Cached, dumps, make_cached, respond
from creative_clusters.web.service import LEVELS, MEASURES, Version, WebService

__all__ = ["LOOPBACK_HOSTS", "create_app"]

log = logging.getLogger("creative_clusters.web")

STATIC = Path(__file__).parent / "static"
NODE = Path(__file__).parent / "frontend" / "node_modules"
#: Longest error message sent whole; a longer one (none is, today) ends at its last full sentence below it.
_DETAIL_LIMIT = 2000


def _detail(exc: Exception, limit: int = _DETAIL_LIMIT) -> str:
    """An error's message for a response: whole, or cut at a sentence end (never mid-sentence) past ``limit``.

    Examples
    --------
    >>> _detail(ValueError("No place 'X'. Ask for Highland (S12000017) instead."))
    "No place 'X'. Ask for Highland (S12000017) instead."
    >>> _detail(ValueError("One. Two three. Four five six."), limit=20)
    'One. Two three.'
    """
    text = str(exc)
    if len(text) <= limit:
        return text
    end = text.rfind(". ", 0, limit)
    return text[:end + 1] if end > 0 else text[:limit].rsplit(" ", 1)[0] + " …"


#: A private snapshot's folder (:class:`~creative_clusters.web.snapshot.Snapshot` copies into ``mkdtemp``).
_SNAPSHOT_DIR = re.compile(r"/\S*?creative-clusters-web-\w+")
_CLI_COMMAND = re.compile(r"`creative-clusters [^`]+`")
#: A command-line message's lead naming its flag ("--year 2009: …"): the web's parameter is ``year=``.
_CLI_YEAR = re.compile(r"^--year \S+: ")
#: What a web user is told when a message names a command (the CLI's own messages are unchanged).
ASK_THE_SERVER = ("On this map: ask whoever runs this server to run the command shown; "
                  "the map shows the new data once it has.")


def for_web(text: str, private: Sequence[str | os.PathLike[str]] = ()) -> str:
    """A toolkit message as a web user should read it: no server path, and who runs a command it names.

    The server's folders (``private``, and any snapshot folder) are never
    shown: "in the warehouse at /tmp/…" becomes "in the warehouse"; a command
    to run (in backticks) gets a sentence saying whoever runs the server runs it.

    Examples
    --------
    >>> for_web("no period 2019 in the warehouse at /tmp/creative-clusters-web-ab12; years: 2025.")
    'no period 2019 in the warehouse; years: 2025.'
    >>> for_web("no warehouse at /srv/cc/warehouse.duckdb.", ["/srv/cc"])
    'no warehouse.'
    >>> for_web("Import them (`creative-clusters data import DIR`).").endswith("). " + ASK_THE_SERVER)
    True
    >>> for_web("--year 2009: the series covers 2010-2025.")  # the web's parameter is year=, not a CLI flag
    'the series covers 2010-2025.'
    """
    out = _CLI_YEAR.sub("", text)
    roots = sorted({str(p) for p in private if str(p) not in ("", "/", ".")}, key=len, reverse=True)
    pats = [re.escape(r) + r"(?:/[\w.-]*\w)*" for r in roots] + [_SNAPSHOT_DIR.pattern + r"(?:/[\w.-]*\w)*"]
    for pat in pats:
        out = re.sub(r"\s+(?:at|in|under|from)\s+" + pat, "", out)
        out = re.sub(pat, "the server's data folder", out)
    if _CLI_COMMAND.search(out):
        out = out.rstrip() + ("" if out.rstrip().endswith((".", ")")) else ".") + " " + ASK_THE_SERVER
    return out


def favicon_ico(size: int = 16, rgb: tuple[int, int, int] = (0x0B, 0x53, 0x94)) -> bytes:
    """A tiny ICO (one PNG image inside, as every current browser reads): a square in the page's accent
    colour, with a white bar chart, built in code (no file, nothing fetched).

    >>> ico = favicon_ico()
    >>> ico[:4], len(ico) < 400
    (b'\\x00\\x00\\x01\\x00', True)
    """
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    bars = {(x, y) for i, h in enumerate((5, 9, 7)) for x in range(3 + 4 * i, 5 + 4 * i)
            for y in range(size - 3 - h, size - 3)}
    rows = b"".join(b"\x00" + b"".join(bytes((255, 255, 255) if (x, y) in bars else rgb) for x in range(size))
                    for y in range(size))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", size, size, 0, 0, 1, 24, len(png), 22) + png


_STATIC_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8",
                 "map.js": "text/javascript; charset=utf-8", "panel.js": "text/javascript; charset=utf-8"}
_VENDOR_FILES = {"maplibre-gl.js": ("maplibre-gl/dist/maplibre-gl.js", "text/javascript; charset=utf-8"),
                 "maplibre-gl.css": ("maplibre-gl/dist/maplibre-gl.css", "text/css; charset=utf-8")}
#: Host names accepted by default: the machine itself only.
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "worker-src 'self' blob:; child-src blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_SECURITY = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
             (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
             (b"cross-origin-opener-policy", b"same-origin"),
             (b"permissions-policy", b"geolocation=(), camera=(), microphone=()")]

#: A place as the CLI takes it: a code, a name, or a kind of place and a name (URL-encoded, one path
#: segment: no '/'), resolved by :func:`creative_clusters.workflows.places.resolve_place`.
CodeParam = Annotated[str, PathParam(
    pattern=r"^\w[\w .,:'’&()-]{0,79}$",
    description="GSS code (E08000019), a name (Sheffield, West Midlands) or a kind of place and a name "
                "(ttwa:Leeds, region:North East), URL-encoded (e.g. ttwa%3ALeeds, West%20Midlands)")]
LevelQ = Annotated[str, Query(pattern="^(" + "|".join(LEVELS) + ")$", description="Map level")]
PackFormat = Annotated[str, PathParam(max_length=10, description="html, pdf (several seconds the first "
                                                                   "time), docx or xlsx")]
PlacesQ = Annotated[str, Query(
    min_length=1, max_length=2000, pattern=r"^[\w .,:'’&()-]+$",
    description="Comma-separated local authorities (GSS codes or names) forming the group, as `--places`: "
                "E08000019,E08000018 or Sheffield,Rotherham (a name with a comma, 'Bristol, City of', is one)")]
GroupNameQ = Annotated[str | None, Query(
    max_length=80, pattern=r"^\w[\w .,:'’&()-]{0,79}$",
    description="The group's name, as `--name` (default: its members' names, 'Sheffield and Rotherham')")]
SubsectorQ = Annotated[str, Query(
    min_length=1, max_length=60,
    description="DCMS sub-sector: all, an id from /api/meta `subsectors` (film_tv, it_software, music_arts …) "
                "or an alias the CLI accepts (film, games, music …; /api/meta `subsector_aliases`). Museums, "
                "galleries and libraries have no business counts (/api/meta `subsectors_without_counts`): 422")]

AsOfYearQ = Annotated[int | None, Query(
    ge=1990, le=2100,
    description="As of this year, as `profile --year`: the annual series (trend, growth windows, trajectory) "
                "ends there and the sub-sector table is that year's when the warehouse has it; the other "
                "sections give their latest figures, each with its year (default: the latest; /api/meta lists "
                "series_years)")]
CountsYearQ = Annotated[int | None, Query(
    ge=1990, le=2100,
    description="Year of the creative business counts by sub-sector, as `--year` on the command line (default: "
                "the latest; /api/meta lists the years); a year the warehouse lacks is a 404 naming those it "
                "has")]


class _Hardening:
    """Pure ASGI middleware: security headers on every response; an unexpected error becomes a JSON 500.

    Catching here (inside Starlette's outermost error middleware, which
    re-raises) keeps the keep-alive connection open for the next request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + _SECURITY
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            log.exception("error serving %s", scope.get("path"))
            if started:
                return
            body = dumps({"detail": "The server could not answer this request (an internal error, logged on "
                                    "the server). Other pages still work; please report it."})
            await send_wrapper({"type": "http.response.start", "status": 500,
                                "headers": [(b"content-type", b"application/json"),
                                            (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def _static_cached(path: Path, media_type: str) -> Cached | None:
    return make_cached(path.read_bytes(), media_type) if path.exists() else None


def create_app(home: str | Path | None = None, *, cors_origins: list[str] | None = None,
               allowed_hosts: list[str] | None = None, precompute: bool = True,
               watch: float | None = 2.0, framework: str = DEFAULT_FRAMEWORK) -> FastAPI:
    """Build the app for the warehouse at ``home``.

    Parameters
    ----------
    allowed_hosts : list of str, optional
        Host names the server answers to (default :data:`LOOPBACK_HOSTS`); add
        the public name when serving behind a reverse proxy, e.g. ``["maps.example.org"]``.
    precompute : bool
        Build every map place's profile in the background (see :class:`WebService`).
    watch : float or None
        Seconds between checks for a new warehouse version; ``None`` turns it off.
    framework : str
        The benchmark framework of the profiles and packs: a packaged name or a YAML file of the user's
        (``docs/benchmark.md``).
    """
    service = WebService(home, precompute=precompute, watch=watch, framework=framework)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(title="creative-clusters API", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Creative-cluster statistics for UK places, from official data (OGL). "
                              "Served offline by `creative-clusters serve`.")
    app.state.service = service
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts or LOOPBACK_HOSTS))
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET"])
    app.add_middleware(_Hardening)

    static = {n: _static_cached(STATIC / n, t) for n, t in _STATIC_FILES.items()}
    index_html = make_cached((STATIC / "index.html").read_bytes(), "text/html; charset=utf-8")
    vendor: dict[str, Cached | None] = {}

    def _web_detail(exc: Exception) -> str:
        # the one place a toolkit message becomes a web user's: no server folder, who runs a command
        return for_web(_detail(exc), service.private_paths())

    @app.exception_handler(PlaceNotFoundError)
    async def _not_found(request: Request, exc: PlaceNotFoundError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": _web_detail(exc),
                                                      "suggestions": exc.suggestions})

    @app.exception_handler(WarehouseError)
    async def _no_data(request: Request, exc: WarehouseError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": _web_detail(exc)})

    @app.exception_handler(ClusterToolkitError)
    async def _toolkit(request: Request, exc: ClusterToolkitError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _web_detail(exc)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # never echo what was sent (it may be large, or a probe): where and what was expected only
        errors = [{"loc": [str(x) for x in e.get("loc", ())][:4], "msg": str(e.get("msg", ""))[:200],
                   "type": str(e.get("type", ""))} for e in exc.errors()[:10]]
        return JSONResponse(status_code=422, content={"detail": errors})

    async def _serve(request: Request, key: tuple[Any, ...] | None, build: Any, *args: Any,
                     v: Version | None = None) -> Response:
        """Answer from the cache on the event loop; only a body not built yet goes to a worker thread.

        A hop through the thread pool costs a switch of the GIL each way, which
        under load is most of a request's time; a cache hit needs no hop.
        ``v`` is the version ``key`` was worked out on (default: the current one).
        """
        v = service.current if v is None else v
        cached = v.cached(key) if key is not None else None
        hit: Cached = cached if cached is not None else await run_in_threadpool(build, v, *args)
        return respond(request, hit)

    @app.get("/", include_in_schema=False)
    async def index(request: Request) -> Response:
        return respond(request, index_html)

    favicon = make_cached(favicon_ico(), "image/x-icon")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon_file(request: Request) -> Response:
        # browsers ask for it on every page load; a 404 was a console error each time
        return respond(request, favicon, cache_control="public, max-age=604800")

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(request: Request, name: str) -> Response:
        hit = static.get(name)
        if hit is None:
            raise HTTPException(404, "no such file")
        return respond(request, hit)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor_file(request: Request, name: str) -> Response:
        if name not in _VENDOR_FILES:
            raise HTTPException(404, "no such file")
        if vendor.get(name) is None:
            rel, media = _VENDOR_FILES[name]
            vendor[name] = _static_cached(NODE / rel, media)
        hit = vendor[name]
        if hit is None:
            raise HTTPException(404, "front-end package not installed; run scripts/setup.sh (npm install)")
        return respond(request, hit, cache_control="public, max-age=86400")

    @app.get("/api/version", summary="The warehouse version being served and the state of its profile index")
    def version() -> JSONResponse:
        return JSONResponse(service.status(), headers={"Cache-Control": "no-store"})

    @app.get("/api/meta", summary="Levels, sub-sectors, measures and the years the warehouse has")
    async def meta(request: Request) -> Response:
        return await _serve(request, ("meta",), lambda v: v.meta())

    @app.get("/api/places", summary="Search places by name or code (one entry per name and type)")
    async def places(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=80, description="Name or code, fuzzy")],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> Response:
        return await _serve(request, Version.search_key(q, limit), lambda v: v.search(q, limit))

    @app.get("/api/places/{code}/profile", summary="A place's creative-economy profile with its benchmark")
    async def profile(request: Request, code: CodeParam, year: AsOfYearQ = None) -> Response:
        v = service.current
        key = v.profile_key(code) if year is None else None
        return await _serve(request, key, lambda v: v.profile(code, year), v=v)

    @app.get("/api/indicators", summary="One value per place for a level, sub-sector, measure and year")
    async def indicators(
        request: Request,
        level: LevelQ = "lad",
        subsector: SubsectorQ = "all",
        measure: Annotated[str, Query(pattern="^(" + "|".join(MEASURES) + ")$")] = "business_lq",
        year: Annotated[int | None, Query(ge=1990, le=2100, description="Year of the business counts "
                                          "(default: the latest; /api/meta lists the years)")] = None,
        format: Annotated[str, Query(pattern="^(json|csv)$", description="json, or csv to download")] = "json",
        since: Annotated[int | None, Query(ge=1990, le=2100, description="Start year of series_growth (default: "
                                           "the pre-/post-pandemic window, else the longest; /api/meta "
                                           "lists series_years)")] = None,
    ) -> Response:
        v = service.current
        key = v.indicators_key(level, subsector, measure, year, since, format)
        return await _serve(request, key, lambda v: v.indicators(level, subsector, measure, year, format, since), v=v)

    @app.get("/api/geometry/{level}", summary="Boundaries simplified for the national (low) or close (high) view")
    async def geometry(
        request: Request,
        level: Annotated[str, PathParam(pattern="^(" + "|".join(LEVELS) + ")$")],
        detail: Annotated[str, Query(pattern="^(low|high)$", description="low below zoom 8, high above")] = "low",
    ) -> Response:
        return await _serve(request, ("geometry", level, detail), lambda v: v.geometry(level, detail))

    @app.get("/api/labels/{level}", summary="A label point inside each place, largest places first")
    async def labels(request: Request,
                     level: Annotated[str, PathParam(pattern="^(" + "|".join(LEVELS) + ")$")]) -> Response:
        return await _serve(request, ("labels", level), lambda v: v.labels(level))

    @app.get("/api/clusters", summary="Places detected as clusters by a method")
    async def clusters(
        request: Request,
        method: Annotated[str, Query(pattern="^(threshold|strong|hotspot)$")] = "threshold",
        subsector: SubsectorQ = "all",
        year: CountsYearQ = None,
    ) -> Response:
        v = service.current
        return await _serve(request, v.clusters_key(method, subsector, year),
                            lambda v: v.clusters(method, subsector, year), v=v)

    @app.get("/api/microclusters", summary="Microclusters of creative firms (GeoJSON; empty with a note when "
                                           "none are loaded)")
    async def microclusters(request: Request) -> Response:
        return await _serve(request, ("overlay", "microclusters"), lambda v: v.overlay("microclusters"))

    @app.get("/api/microclusters/firms", summary="Clustered creative firms inside a bounding box (GeoJSON points)")
    async def microcluster_firms(
        request: Request,
        bbox: Annotated[str, Query(max_length=100, description="west,south,east,north in degrees (WGS84)")],
    ) -> Response:
        box = parse_bbox(bbox)
        v = service.current
        hit = v.firms_at_once(box)
        if hit is not None:
            return respond(request, hit)
        return await _serve(request, None, lambda v: v.firms(box), v=v)

    @app.get("/api/corridors", summary="Corridors between clusters (GeoJSON)")
    async def corridors(request: Request) -> Response:
        return await _serve(request, ("overlay", "corridors"), lambda v: v.overlay("corridors"))

    @app.get("/api/research", summary="Search the research library")
    def research(
        theme: Annotated[str | None, Query(max_length=60)] = None,
        subsector: Annotated[str | None, Query(max_length=60)] = None,
        place: Annotated[str | None, Query(max_length=80)] = None,
        text: Annotated[str | None, Query(max_length=80)] = None,
    ) -> dict[str, Any]:
        return service.current.research(theme=theme, subsector=subsector, place=place, text=text)

    def _no_format_query(request: Request) -> None:
        # the format is the file's extension; ?format= used to be ignored silently (an HTML pack came back)
        if "format" in request.query_params:
            raise ParameterError("the pack's format is its extension: ask for evidence.html, evidence.pdf, "
                                 "evidence.docx or evidence.xlsx, without ?format=")

    @app.get("/api/places/{code}/evidence.{fmt}", summary="The place's evidence pack as a file named after the "
                                                         "place (html, pdf, docx or xlsx; built on demand)")
    async def evidence(request: Request, code: CodeParam, fmt: PackFormat, subsector: SubsectorQ = "all",
                       year: CountsYearQ = None) -> Response:
        _no_format_query(request)
        return await _serve(request, None, lambda v: v.evidence(code, fmt, subsector, year))

    @app.get("/api/groups/profile", summary="The profile of a user-defined group of local authorities "
                                            "(profile --name NAME --places A,B,C)")
    async def group_profile(request: Request, places: PlacesQ, name: GroupNameQ = None,
                            year: AsOfYearQ = None) -> Response:
        return await _serve(request, None, lambda v: v.group_profile(places, name, year))

    @app.get("/api/groups/evidence.{fmt}", summary="The evidence pack of a user-defined group of local "
                                                   "authorities (evidence --name NAME --places A,B,C)")
    async def group_evidence(request: Request, fmt: PackFormat, places: PlacesQ, name: GroupNameQ = None,
                             subsector: SubsectorQ = "all", year: CountsYearQ = None) -> Response:
        _no_format_query(request)
        return await _serve(request, None, lambda v: v.group_evidence(places, name, fmt, subsector, year))

    return app
