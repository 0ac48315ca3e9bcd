"""The research library: schema of the packaged YAML, search, and facts checked against methods.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from creative_clusters.errors import ParameterError, SchemaError
from creative_clusters.research import THEMES, format_citation, load_library, search_library, validate_library
from creative_clusters.research.library import _REQUIRED

SHEFFIELD = ["Sheffield", "E08000019", "South Yorkshire", "Yorkshire and The Humber", "England", "UK"]


def _raw() -> dict:
    from importlib import resources

    return yaml.safe_load(resources.files("creative_clusters.research").joinpath("library.yaml").read_text())


def test_every_entry_has_required_fields_and_valid_values():
    raw = _raw()
    ids = [e["id"] for e in raw["entries"]]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for e in raw["entries"]:
        assert set(_REQUIRED) <= set(e), e.get("id")
        assert e["themes"] and set(e["themes"]) <= set(THEMES), e["id"]
        assert not e["url"] or re.match(r"^https?://[^\s/]+\.[a-z]{2,}(/\S*)?$", e["url"], re.I), e["url"]
        assert e["summary"].strip() and e["title"].strip()
    # the loader agrees
    assert [x.id for x in load_library()] == ids


def test_library_covers_reports_and_the_tools_own_sources():
    kinds = {e.kind for e in load_library()}
    assert {"research", "data_source"} <= kinds
    ids = {e.id for e in load_library()}
    for needed in ("ons_uk_business_counts", "ons_business_demography", "ons_census2021_ts060",
                   "mhclg_imd2019", "dcms_sector_estimates_methodology", "frontier2022_growth_potential"):
        assert needed in ids


def _entry(**over):
    base = {"id": "x", "kind": "research", "title": "T", "authors": ["A"], "publisher": "P", "date": "2020",
            "url": "https://www.gov.uk/t", "url_kind": "report", "themes": ["mapping"],
            "geographies": ["UK"], "subsectors": ["all"], "summary": "S", "verified": True}
    base.update(over)
    return base


@pytest.mark.parametrize("bad, word", [
    ({"themes": ["astrology"]}, "themes"),
    ({"url": "not a url"}, "url"),
    ({"url": "ftp://example.org/x"}, "url"),
    ({"date": "July 2016"}, "date"),
    ({"subsectors": ["cinema"]}, "subsectors"),
    ({"verified": "yes"}, "verified"),
])
def test_bad_entries_are_rejected_naming_the_field(bad, word):
    with pytest.raises(SchemaError, match=word):
        validate_library({"entries": [_entry(**bad)]})


def test_missing_field_and_duplicate_id_rejected():
    e = _entry()
    del e["summary"]
    with pytest.raises(SchemaError, match="summary"):
        validate_library({"entries": [e]})
    with pytest.raises(SchemaError, match="duplicate id"):
        validate_library({"entries": [_entry(), _entry()]})


def test_place_matching_goes_up_to_region_and_nation():
    hits = {e.id for e in search_library(place_chain=SHEFFIELD)}
    assert "pec2024_beyond_growth" in hits          # tagged Yorkshire and The Humber (region)
    assert "nicre2022_rural_microclusters" in hits  # tagged England (nation)
    assert "nesta2016_geography_of_creativity" in hits  # UK-wide
    assert "pec2022_role_of_university" not in hits  # West Midlands / Cardiff only
    only_text = {e.id for e in search_library(place="Sheffield")}
    assert only_text == {"rsa2024_creative_corridors"}


def test_subsector_alias_theme_and_text_filters():
    games = search_library(subsector="games")
    assert all("it_software" in e.subsectors or "all" in e.subsectors for e in games)
    assert "mapping_museums" not in {e.id for e in games}
    fdi = search_library(theme="fdi and TRADE")
    assert {e.id for e in fdi} == {"pec2024_fdi", "pec2023_fdi_motives"}
    assert [e.id for e in search_library(text="good work")] == ["pec2023_good_work_review"]
    with pytest.raises(ParameterError, match="themes are"):
        search_library(theme="astrology")
    with pytest.raises(ParameterError, match="sub-sector"):
        search_library(subsector="astrology")


def test_citation_format():
    e = next(x for x in load_library() if x.id == "escoe2023_job_mobility")
    assert format_citation(e) == ("Bakhshi, Dorsett (2023). Job Mobility in and Around the Creative Economy. "
                                  "Economic Statistics Centre of Excellence (Discussion Paper 2023-18).")


def test_verified_research_facts_come_from_methods_md(data_root: Path):
    """Titles and URLs of verified research entries appear in the project's method notes."""
    methods = data_root.parent / "docs" / "methods.md"
    if not methods.exists():
        pytest.skip(f"methods.md not found beside the data ({methods})")
    text = methods.read_text("utf-8").lower()
    norm = lambda s: re.sub(r"[^a-z0-9]+", " ", s.lower())  # noqa: E731
    for e in load_library():
        if e.kind != "research" or not e.verified:
            continue
        main = e.title.split(":")[0]  # methods.md gives subtitles separately
        assert norm(main) in norm(text), f"{e.id}: title not in methods.md"
        assert e.url.lower() in text, f"{e.id}: URL not in methods.md"


def test_every_url_is_on_a_publisher_domain_or_empty():
    """Reviewer finding: blogs, news pages and third-party copies crept in as links."""
    from urllib.parse import urlsplit

    allowed = ("nesta.org.uk", "pec.ac.uk", "gov.uk", "ons.gov.uk", "nomisweb.co.uk", "thersa.org",
               "birmingham.ac.uk", "nber.org", "mit.edu", "ukri.org", "escoe.ac.uk",
               "rau.repository.guildhe.ac.uk", "mappingmuseums.org")
    for e in _raw()["entries"]:
        if e["url"] in (None, ""):
            assert e["url_kind"] == "none", e["id"]
            continue
        host = urlsplit(e["url"]).hostname.lower()
        assert any(host == d or host.endswith("." + d) for d in allowed), (e["id"], host)
    by_id = {e.id: e for e in load_library()}
    # methods.md gives no publisher URL for these: no link rather than a wrong one
    for eid in ("nesta2016_geography_of_creativity", "frontier2022_growth_potential",
                "nesta2010_creative_clusters_innovation", "pec2020_creative_radar", "dcms2023_sector_vision"):
        assert by_id[eid].url == "" and by_id[eid].url_kind == "none", eid


def test_third_party_url_is_refused():
    with pytest.raises(SchemaError, match="publisher domain"):
        validate_library({"entries": [_entry(url="https://slidepub.com/slideshow/x", url_kind="copy")]})
    with pytest.raises(SchemaError, match="url_kind"):
        validate_library({"entries": [_entry(url=None, url_kind="report")]})


def test_pack_shows_no_verified_link_instead_of_a_wrong_one():
    from creative_clusters.research.library import NO_LINK, link_text

    by_id = {e.id: e for e in load_library()}
    assert link_text(by_id["frontier2022_growth_potential"]) == NO_LINK == "no verified link"
    assert link_text(by_id["rsa2024_creative_corridors"]).startswith("https://thersa.org/")
    assert by_id["dcms2023_sector_vision"].to_dict()["link_text"] == NO_LINK


def test_pack_status_never_says_verified_beside_no_link():
    from creative_clusters.research.library import NO_LINK, citation_status, load_library

    for e in load_library():
        status = citation_status(e)
        link = e.url or NO_LINK
        assert not (status.startswith("verified") and link == NO_LINK), e.id
        assert ("verified" in status) == bool(e.verified), e.id


def test_a_subsector_search_lists_the_entries_that_name_it_before_general_ones_and_says_why():
    """``games`` is inside IT, software and computer services: entries tagged with it come first, entries on all
    creative industries after them, each saying which it is (the library order had a general report first)."""
    from creative_clusters.research.library import why_relevant

    hits = search_library(subsector="games")
    named = [("it_software" in h.subsectors) for h in hits]
    assert any(named) and not all(named)
    assert named == sorted(named, reverse=True)  # every entry that names it before any that does not
    whys = [why_relevant(h, subsectors={"it_software"}, asked=True) for h in hits]
    assert {w for w, n in zip(whys, named, strict=True) if n} == {"sub-sector: IT, software and computer services"}
    assert {w for w, n in zip(whys, named, strict=True) if not n} == {"all creative industries"}


def test_a_place_search_lists_entries_about_the_place_or_its_area_first():
    chain = ["Sheffield", "South Yorkshire", "Yorkshire and The Humber", "England", "UK"]
    hits = search_library(place_chain=chain)
    local = [any(g in chain[:3] for g in h.geographies) for h in hits]
    assert any(local) and not all(local)
    assert local == sorted(local, reverse=True)
    # within each group: checked details before those to check, then research before data and policy
    first = [h for h, loc in zip(hits, local, strict=True) if loc]
    keys = [(not h.verified, h.kind != "research") for h in first]
    assert keys == sorted(keys)
