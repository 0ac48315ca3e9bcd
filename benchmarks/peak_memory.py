"""A benchmark process's peak resident memory, for the benchmarks that run each reader in its own process.

Examples
--------
>>> peak_rss_mb() > 0
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["peak_rss_mb"]


def peak_rss_mb() -> float:
    """This process's peak resident set (MB).

    ``VmHWM`` from ``/proc/self/status`` (Linux), which starts afresh at exec;
    elsewhere ``ru_maxrss`` (which would carry over the parent's peak from
    before a fork, and is read as KB), or NaN where neither exists.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
