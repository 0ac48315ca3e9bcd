"""The dataset catalogue: every dataset the toolkit can import from files.

Each source module defines ``DATASETS: list[DatasetSpec]``; this module
collects them in a fixed order (geography and classifications first, since
other importers check codes against them).

A module whose data come as one release per year, each its own dataset (UK
Business Counts by SIC class: ``business_counts_2025``, ``business_counts_2026``,
...), also defines ``discover_datasets(root) -> list[DatasetSpec]``: given the
data folder, the registry lists the releases found there instead of the
module's default ``DATASETS``, so importing a newer year needs no code change.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from creative_clusters.errors import DataSourceError, UnknownCodeError
from creative_clusters.sources._base import DatasetSpec

__all__ = ["all_datasets", "get_dataset", "unrecognised_files"]

#: Files of a data folder that are documentation, not data (never reported as unrecognised).
_NOT_DATA = ("README*", "SHA256SUMS*", "LICENSE*", "LICENCE*", "*.md", "*.txt")

#: Files of the reference bundle that are known and deliberately not read, with why (``data import`` does not
#: list them as unknown).
KNOWN_UNREAD: dict[str, str] = {
    "geography/ttwa11.csv": "England and Wales TTWA names only; the UK-wide TTWA lookup (geography/ttwa/) names "
                            "every TTWA",
}

_MODULES = (
    "creative_clusters.sources.geography",
    "creative_clusters.sources.classifications",
    "creative_clusters.sources.business_counts",
    "creative_clusters.sources.business_counts_timeseries",
    "creative_clusters.sources.business_demography",
    "creative_clusters.sources.local_indicators",
    "creative_clusters.sources.deprivation",
    "creative_clusters.sources.bres_nuts2",
    "creative_clusters.sources.census2021",
    "creative_clusters.sources.anchors",
    "creative_clusters.sources.ons_adhoc",
    "creative_clusters.sources.firms",
)


def all_datasets(root: str | Path | None = None) -> list[DatasetSpec]:
    """Every registered dataset, in import order; with ``root``, the yearly releases found in that folder.

    Examples
    --------
    >>> specs = all_datasets()
    >>> len({s.id for s in specs}) == len(specs)  # each id once
    True
    >>> next(s for s in specs if s.id == "business_counts_series").kind
    'creative_enterprises_series'
    """
    specs: list[DatasetSpec] = []
    seen: set[str] = set()
    for name in _MODULES:
        module = import_module(name)
        discover = getattr(module, "discover_datasets", None)
        found = discover(Path(root)) if root is not None and discover is not None \
            else getattr(module, "DATASETS", [])
        for spec in found:
            if spec.id in seen:
                raise RuntimeError(f"dataset id {spec.id!r} registered twice ({name})")
            seen.add(spec.id)
            specs.append(spec)
    return specs


def get_dataset(dataset_id: str, root: str | Path | None = None) -> DatasetSpec:
    """Look up one dataset by id (among the releases found in ``root`` when given); unknown ids list the known ones.

    A default release the folder lacks (``business_counts_2025`` in a folder
    holding only 2026's files) is an error naming the releases it holds.
    """
    specs = {s.id: s for s in all_datasets(root)}
    if dataset_id in specs:
        return specs[dataset_id]
    default = {s.id: s for s in all_datasets()}
    if dataset_id in default:
        kind = default[dataset_id].kind_name
        there = [s.id for s in specs.values() if s.kind_name == kind]
        if root is None or not there:
            return default[dataset_id]
        raise DataSourceError(
            f"dataset {dataset_id!r} is not in {root}: its files ({', '.join(default[dataset_id].files[:1])}, ...) "
            f"are not there. The folder holds {', '.join(there)} of the same kind; import "
            + (" or ".join(f"`--only {i}`" for i in there)) + ", or the whole folder without --only."
        )
    raise UnknownCodeError(
        f"unknown dataset {dataset_id!r}; known datasets: {sorted(specs)}"
    )


def unrecognised_files(root: str | Path, specs: list[DatasetSpec]) -> list[str]:
    """Files under ``root`` (relative paths, sorted) that no dataset in ``specs`` reads.

    A file a dataset names by pattern (a series' ``..._2010_*.csv``) counts as
    read; documentation (README, SHA256SUMS, licences, ``*.md``, ``*.txt``) and
    hidden files are left out, as are the bundle's files known and not needed
    (:data:`KNOWN_UNREAD`). ``data import`` lists the rest, so a newer
    release the toolkit does not know is never ignored silently.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for rel in ("README.md", "a/known.csv", "a/new_2030.csv", ".hidden"):
    ...     _ = (root / rel).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (root / rel).write_text("x")
    >>> spec = DatasetSpec(id="x", title="", publisher="", licence="", source_url="", vintage="",
    ...                    files=("a/known.csv",), reader=lambda r: None)
    >>> unrecognised_files(root, [spec])
    ['a/new_2030.csv']
    """
    from fnmatch import fnmatchcase

    root = Path(root)
    patterns = [f for spec in specs for f in spec.files]
    out = []
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(root).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        if any(fnmatchcase(p.name, pat) for pat in _NOT_DATA):
            continue
        if rel in KNOWN_UNREAD or any(rel == pat or fnmatchcase(rel, pat) for pat in patterns):
            continue
        out.append(rel)
    return out
