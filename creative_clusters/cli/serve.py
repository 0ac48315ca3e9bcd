"""CLI command: ``serve`` — the interactive map and JSON API on loopback."""

from __future__ import annotations

from typing import Annotated

import typer

from creative_clusters.cli._common import HomeOption, handle_errors


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``serve``."""

    @app.command()
    @handle_errors
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port.")] = 8000,
        cors_origin: Annotated[
            list[str] | None,
            typer.Option("--cors-origin", help="Allow this origin (repeatable); CORS is off by default."),
        ] = None,
        home: HomeOption = None,
    ) -> None:
        """Serve the offline creative-cluster map and its JSON API (reads the warehouse read-only)."""
        import uvicorn

        from creative_clusters.web.app import create_app

        api = create_app(home, cors_origins=cors_origin)
        typer.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
        uvicorn.run(api, host=host, port=port, log_level="warning")
