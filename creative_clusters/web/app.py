"""The FastAPI app behind ``creative-clusters serve``.

Reads the warehouse read-only. Every request parameter is validated and
bound (never interpolated into SQL); no request value becomes a file path:
static files are served from a fixed allow-list, vendor files from the
installed front-end packages by fixed names. CORS is off unless origins are
configured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from creative_clusters import __version__
from creative_clusters.errors import ClusterToolkitError, ParameterError, PlaceNotFoundError, WarehouseError
from creative_clusters.web.service import LEVELS, MEASURES, WebService

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"
VENDOR = Path(__file__).parent / "frontend" / "node_modules" / "maplibre-gl" / "dist"
_STATIC_FILES = {"app.js": "text/javascript", "app.css": "text/css"}
_VENDOR_FILES = {"maplibre-gl.js": "text/javascript", "maplibre-gl.css": "text/css"}

CodeParam = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,20}$", description="GSS code, e.g. E08000019")]


def create_app(home: str | Path | None = None, *, cors_origins: list[str] | None = None) -> FastAPI:
    """Build the app for the warehouse at ``home``."""
    service = WebService(home)
    app = FastAPI(
        title="creative-clusters API",
        version=__version__,
        description="Creative-cluster statistics for UK places, from official data (OGL).",
    )
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET"])

    @app.exception_handler(PlaceNotFoundError)
    async def _not_found(request: Request, exc: PlaceNotFoundError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc), "suggestions": exc.suggestions})

    @app.exception_handler(ParameterError)
    async def _bad_param(request: Request, exc: ParameterError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(WarehouseError)
    async def _no_data(request: Request, exc: WarehouseError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc)})

    @app.exception_handler(ClusterToolkitError)
    async def _toolkit(request: Request, exc: ClusterToolkitError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    async def _cached(key: tuple[str, ...], build: Any) -> bytes:
        """Cached bytes on the event loop; a first build runs in the thread pool."""
        hit = service._bytes.get(key)
        if hit is not None:
            return hit
        return await run_in_threadpool(service.cached_json, key, build)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        if name not in _STATIC_FILES:
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC / name, media_type=_STATIC_FILES[name])

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        if name not in _VENDOR_FILES:
            raise HTTPException(404, "no such file")
        path = VENDOR / name
        if not path.exists():
            raise HTTPException(404, "front-end package not installed; run scripts/setup.sh")
        return FileResponse(path, media_type=_VENDOR_FILES[name])

    @app.get("/api/meta", summary="Levels, sub-sectors and measures")
    def meta() -> dict[str, Any]:
        return service.meta()

    @app.get("/api/places", summary="Search places by name or code")
    def places(
        q: Annotated[str, Query(min_length=1, max_length=80, description="Name or code, fuzzy")],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> dict[str, Any]:
        return {"query": q, "results": service.search(q, limit=limit)}

    @app.get("/api/places/{code}/profile", summary="A place's creative-economy profile",
             response_class=JSONResponse)
    async def profile(code: CodeParam) -> Response:
        body = await _cached(("profile", code), lambda: service.profile(code))
        return Response(body, media_type="application/json")

    @app.get("/api/indicators", summary="One value per place for a level, sub-sector and measure",
             response_class=JSONResponse)
    async def indicators(
        level: Annotated[str, Query(pattern="^(" + "|".join(LEVELS) + ")$")] = "lad",
        subsector: Annotated[str, Query(pattern=r"^[a-z_]{2,20}$")] = "all",
        measure: Annotated[str, Query(pattern="^(" + "|".join(MEASURES) + ")$")] = "business_lq",
        year: Annotated[int | None, Query(ge=2010, le=2030)] = None,
    ) -> Response:
        body = await _cached(("indicators", level, subsector, measure),
                             lambda: service.indicators(level, subsector, measure))
        return Response(body, media_type="application/json")

    @app.get("/api/geometry/{level}", summary="Simplified boundaries (GeoJSON, WGS84)")
    def geometry(level: Annotated[str, PathParam(pattern="^(" + "|".join(LEVELS) + ")$")]) -> Response:
        return Response(service.geometry(level), media_type="application/geo+json")

    @app.get("/api/clusters", summary="Places detected as clusters by a method")
    def clusters(
        method: Annotated[str, Query(pattern="^(threshold|strong|hotspot)$")] = "threshold",
        subsector: Annotated[str, Query(pattern=r"^[a-z_]{2,20}$")] = "all",
    ) -> dict[str, Any]:
        return service.clusters(method, subsector)

    @app.get("/api/microclusters", summary="Microclusters of creative firms (GeoJSON)")
    def microclusters() -> Response:
        return Response(service.layer("microclusters"), media_type="application/geo+json")

    @app.get("/api/microclusters/firms", summary="Creative firms in microclusters (GeoJSON points)")
    def microcluster_firms() -> Response:
        return Response(service.layer("microcluster_firms"), media_type="application/geo+json")

    @app.get("/api/corridors", summary="Corridors between clusters (GeoJSON)")
    def corridors() -> Response:
        return Response(service.layer("corridors"), media_type="application/geo+json")

    @app.get("/api/research", summary="Search the research library")
    def research(
        theme: Annotated[str | None, Query(max_length=60)] = None,
        subsector: Annotated[str | None, Query(max_length=60)] = None,
        place: Annotated[str | None, Query(max_length=80)] = None,
        text: Annotated[str | None, Query(max_length=80)] = None,
    ) -> dict[str, Any]:
        return service.research(theme=theme, subsector=subsector, place=place, text=text)

    @app.get("/api/places/{code}/evidence.html", summary="The place's evidence pack (HTML, generated on demand)")
    def evidence(code: CodeParam) -> HTMLResponse:
        return HTMLResponse(service.evidence_html(code))

    return app
