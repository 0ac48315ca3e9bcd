"""CLI command: ``serve`` — the interactive map and JSON API (loopback by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from creative_clusters.cli._common import HomeOption, examples, handle_errors
from creative_clusters.config import DEFAULT_FRAMEWORK


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``serve``."""

    @app.command(epilog=examples(
        "creative-clusters serve",
        "creative-clusters serve --port 8080 --no-precompute",
        "creative-clusters serve --framework my_framework.yaml"))
    @handle_errors
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind (loopback by default; 0.0.0.0 for a team server "
                                               "behind a reverse proxy, see docs/web.md).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port (1-65535).", min=1, max=65535)] = 8000,
        allowed_host: Annotated[
            list[str] | None,
            typer.Option("--allowed-host", help="Host name the server answers to (repeatable; default: "
                                                "127.0.0.1, localhost, ::1). Add the public name behind a proxy."),
        ] = None,
        cors_origin: Annotated[
            list[str] | None,
            typer.Option("--cors-origin", help="Allow this origin (repeatable); CORS is off by default."),
        ] = None,
        precompute: Annotated[bool, typer.Option(help="Build every map place's profile in the background "
                                                      "(kept under HOME/cache/web for the next start).")] = True,
        framework: Annotated[str, typer.Option("--framework", help="Benchmark framework of the profiles and "
                                               "packs: a packaged name or a YAML file of your own (see "
                                               "docs/benchmark.md).")] = DEFAULT_FRAMEWORK,
        home: HomeOption = None,
    ) -> None:
        """Serve the offline creative-cluster map and its JSON API.

        The server reads a private snapshot of the warehouse, so `data import`
        and `microclusters` can run while it serves; the page offers to reload
        when the warehouse changes.
        """
        import uvicorn

        from creative_clusters.web.app import LOOPBACK_HOSTS, create_app

        hosts = list(LOOPBACK_HOSTS) + list(allowed_host or [])
        if host not in ("127.0.0.1", "localhost", "::1") and not allowed_host:
            typer.echo(f"Note: bound to {host}, but only loopback host names are accepted; add "
                       "--allowed-host NAME for the name users type (see docs/web.md).", err=True)
        _check_port(host, port)
        from pathlib import Path

        from creative_clusters.benchmarking.framework import load_framework

        load_framework(framework)  # a bad name or file fails now, not on the first profile
        if Path(framework).suffix in (".yaml", ".yml"):
            framework = str(Path(framework).resolve())
        api = create_app(home, cors_origins=cors_origin, allowed_hosts=hosts, precompute=precompute,
                         framework=framework)

        typer.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
        uvicorn.run(api, host=host, port=port, log_level="warning", proxy_headers=True,
                    forwarded_allow_ips="127.0.0.1")


def _check_port(host: str, port: int) -> None:
    """Fail before anything is printed or built when ``host:port`` cannot be bound (in use, not ours)."""
    import socket

    from creative_clusters.errors import ParameterError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ParameterError(f"cannot serve on {host}: {exc.strerror or exc}; give an address of this machine "
                             "with --host") from None
    family, kind, proto, _name, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            raise ParameterError(f"cannot serve on {host}:{port}: {exc.strerror or exc}; stop what uses that port "
                                 "or choose another with --port") from None
