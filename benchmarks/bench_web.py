"""Load benchmark of the web API on loopback.

Starts ``creative-clusters serve`` on 127.0.0.1 in a child process against an
imported warehouse, then runs ``--clients`` concurrent clients (default 50)
for ``--duration`` seconds (default 60; bounded also by ``--max-requests``)
against the profile and indicators endpoints, and prints latency percentiles,
throughput and errors. Target (issue 7): p95 < 100 ms, zero errors.

Traffic goes only to 127.0.0.1. Usage::

    .venv/bin/python benchmarks/bench_web.py --home DIR [--duration 60] [--clients 50]

With no ``--home``, a temporary warehouse is built from ``--data``
(``$CREATIVE_CLUSTERS_DATA`` or ../shared/data) first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

PLACES = ["E08000019", "E06000023", "E09000033", "E06000043", "E08000003", "E08000035",
          "E47000001", "E12000007", "E07000008", "E06000010"]
INDICATORS = [
    {"level": lv, "subsector": s, "measure": m}
    for lv in ("lad", "cauth", "rgn")
    for s in ("all", "film_tv", "it_software", "music_arts")
    for m in ("business_count", "business_lq", "business_share")
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _client(base: str, stop_at: float, budget: list[int], lat: list[float], errors: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as c:
        rng = random.Random(len(lat))
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            if rng.random() < 0.5:
                url, params = f"/api/places/{rng.choice(PLACES)}/profile", None
            else:
                url, params = "/api/indicators", rng.choice(INDICATORS)
            t0 = time.perf_counter()
            try:
                r = await c.get(url, params=params)
                if r.status_code != 200:
                    errors.append(f"{url} {r.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{url} {exc!r}")
            lat.append(time.perf_counter() - t0)


async def _run(base: str, clients: int, duration: float, max_requests: int) -> tuple[list[float], list[str], float]:
    lat: list[float] = []
    errors: list[str] = []
    budget = [max_requests]
    t0 = time.perf_counter()
    await asyncio.gather(*[_client(base, t0 + duration, budget, lat, errors) for _ in range(clients)])
    return lat, errors, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description="Load benchmark of the web API on loopback.")
    ap.add_argument("--home")
    ap.add_argument("--data", default=os.environ.get("CREATIVE_CLUSTERS_DATA")
                    or str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--max-requests", type=int, default=200_000)
    args = ap.parse_args()
    tmp = None
    home = args.home
    if home is None:
        tmp = tempfile.TemporaryDirectory()
        home = tmp.name
        subprocess.run([sys.executable, "-m", "creative_clusters", "data", "import", args.data, "--home", home], check=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "creative_clusters", "serve", "--port", str(port), "--home", home])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/meta", timeout=1.0)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        # warm the caches once per distinct request, as a running server would be
        for p in PLACES:
            httpx.get(f"{base}/api/places/{p}/profile", timeout=60)
        for q in INDICATORS:
            httpx.get(f"{base}/api/indicators", params=q, timeout=60)
        lat, errors, wall = asyncio.run(_run(base, args.clients, args.duration, args.max_requests))
    finally:
        server.terminate()
        server.wait(timeout=10)
        if tmp:
            tmp.cleanup()
    ms = np.array(lat) * 1000
    print(f"{len(lat):,} requests from {args.clients} clients in {wall:.1f} s ({len(lat) / wall:,.0f} req/s)")
    print(f"latency ms: p50 {np.percentile(ms, 50):.1f}  p95 {np.percentile(ms, 95):.1f}  p99 {np.percentile(ms, 99):.1f}  max {ms.max():.1f}")
    print(f"errors: {len(errors)}" + (f" (first: {errors[:3]})" if errors else ""))
    print(f"p95 / 100 ms target: {np.percentile(ms, 95) / 100:.2f}")


if __name__ == "__main__":
    main()
