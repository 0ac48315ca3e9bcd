"""The README's main job (``scripts/main.sh``) on a fresh machine: no warehouse yet.

Was: ``data status --json`` exits 1 when there is no warehouse (its message says
to import first), and the script ran it as ``STATUS="$(...)"`` under ``set -e``,
so the main job stopped before importing anything. The script's warehouse
logic is run here with a stand-in for the command line that behaves as the
real one does (status fails without a warehouse, import makes one), so the
test needs neither setup nor the data.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "main.sh"

STAND_IN = r"""#!/usr/bin/env bash
# stands in for creative-clusters: status fails until an import has made the warehouse
log="$(dirname "$0")/calls"
echo "$*" >> "$log"
case "$1 $2" in
  "data status") [ -f "$(dirname "$0")/warehouse" ] || { echo "Error: no warehouse" >&2; exit 1; }
                 echo '[{"id": "business_counts_2025"}]' ;;
  "data import") touch "$(dirname "$0")/warehouse" ;;
esac
"""


def _warehouse_block() -> str:
    """The script from ``CC=`` to the end of the import block (before microclusters, profile, evidence)."""
    lines = SCRIPT.read_text().splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("CC="))
    end = next(i for i, x in enumerate(lines) if i > start and x.strip() == "fi")
    return "\n".join(lines[start + 1:end + 1])


def test_the_main_job_imports_when_there_is_no_warehouse(tmp_path: Path) -> None:
    cc = tmp_path / "cc"
    cc.write_text(STAND_IN)
    cc.chmod(0o755)
    body = f'set -euo pipefail\nCC="{cc}"\nDATA="{tmp_path}/data"\n{_warehouse_block()}\necho "$STATUS"\n'
    fresh = subprocess.run(["bash", "-c", body], capture_output=True, text=True, check=False)
    assert fresh.returncode == 0, fresh.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[0].startswith("data status") and any(c.startswith("data import") for c in calls)
    assert '"id"' in fresh.stdout  # the status read after the import
    # a second run finds the warehouse and does not import again
    (tmp_path / "calls").unlink()
    again = subprocess.run(["bash", "-c", body], capture_output=True, text=True, check=False)
    assert again.returncode == 0 and "skipping import" in again.stderr
    assert not any(c.startswith("data import") for c in (tmp_path / "calls").read_text().splitlines())
