"""The annual series of creative enterprises and Business Demography's active enterprises, read straight from
the raw files of the reference bundle, for tests that work LQs and percentiles out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: GSS prefixes of local authority districts (Business Demography also has counties, regions and nations).
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")

#: The ten LADs of the Cardiff Capital Region, by name as the series spells them.
CCR = ["Blaenau Gwent", "Bridgend", "Caerphilly", "Cardiff", "Merthyr Tydfil", "Monmouthshire", "Newport",
       "Rhondda Cynon Taf", "Torfaen", "Vale of Glamorgan"]


def read_raw(data_root: Path) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(creative enterprises by LAD name and year, each LAD's nation by name, active enterprises by name in 2024)."""
    s = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    series = s.set_index(["Region", "Year"])["Enterprise Count"].astype(float)
    nation = s.drop_duplicates("Region").set_index("Region")["Nation"]
    bd = pd.read_csv(data_root / "business_demography" / "business-demography.csv")
    rows = bd[bd["areacd"].str[:3].isin(LAD_PREFIXES) & (bd["indicator"] == "Active businesses")
              & (bd["period"] == "2024-01-01/P1Y")].drop_duplicates("areacd")
    return series, nation, rows.set_index("areanm")["observation"].astype(float)
