"""``serve`` refuses a port it cannot use before printing "Serving on" (review of 5 December).

Was: ``serve --port 99999`` printed "Serving on http://127.0.0.1:99999/" and hung; a port in use printed it
before uvicorn's own error.
"""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def test_a_port_out_of_range_is_refused():
    r = runner.invoke(app, ["serve", "--port", "99999"])
    assert r.exit_code == 2 and "Serving on" not in r.output
    assert "65535" in r.output


def test_a_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = runner.invoke(app, ["serve", "--port", str(port), "--home", str(tmp_path), "--no-precompute"])
    assert r.exit_code == 1 and "Serving on" not in r.output, r.output
    assert f"cannot serve on 127.0.0.1:{port}" in r.output and "--port" in r.output
