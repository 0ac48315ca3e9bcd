"""Tests for the Nomis API client: request building, paging, retries, cache, parsing.

No test touches the network: every client uses ``httpx.MockTransport`` and the
``no_network`` fixture makes any real socket use fail loudly. The recorded
responses in ``tests/data/nomis`` are hand-made fixtures in Nomis' CSV layout
(see the README there), not real figures.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters._schema import validate_observations
from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.errors import (
    DataSourceError,
    ImportFormatError,
    OfflineError,
    ParameterError,
)
from creative_clusters.sources import _http, _nomis_parse, nomis, nomis_request
from creative_clusters.sources._cache import ResponseCache, request_key
from tests.sources._helpers import NOMIS_FIXTURES, PAGE1, PAGE2, refuse_network

DATA = NOMIS_FIXTURES
UKBC = (DATA / "ukbc_enterprises_2024.csv").read_bytes()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any real DNS lookup or socket connection fails the test."""
    refuse_network(monkeypatch)


class Recorder:
    """A MockTransport handler that serves canned responses and records requests."""

    def __init__(self, responder):
        self.responder = responder
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responder(request, len(self.requests))

    def client(self) -> httpx.Client:
        return _http.make_client(transport=httpx.MockTransport(self))


def bres_pages(request: httpx.Request, n: int) -> httpx.Response:
    offset = request.url.params.get("RecordOffset")
    if offset is None:
        return httpx.Response(200, content=PAGE1, headers={"content-type": "text/csv"})
    if offset == "7":
        return httpx.Response(200, content=PAGE2, headers={"content-type": "text/csv"})
    return httpx.Response(400, text=f"unexpected offset {offset}")


# ------------------------------------------------------------- requests
def test_build_request_bres_creative_defaults():
    url, params = nomis_request.build_request("bres", geography="TYPE424")
    assert url == "https://www.nomisweb.co.uk/api/v01/dataset/NM_189_1.data.csv"
    ids = params["industry"].split(",")
    assert len(ids) == 31
    # 138412032 + class: 5911 -> 138417943, 9004 -> 138421036
    assert "138417943" in ids and "138421036" in ids
    assert params == {
        "geography": "TYPE424",
        "date": "latest",
        "industry": params["industry"],
        "employment_status": "1,4",
        "measure": "1",
        "measures": "20100",
    }


def test_build_request_dims_override_and_aliases():
    _, params = nomis_request.build_request(
        "NM_142_1",
        geography="lad",
        industry="5911,59",
        date="2023",
        employment_sizeband="0",
        legal_status=[0, 1],
    )
    assert params["geography"] == "TYPE424"
    assert params["industry"] == "138417943,146800699"
    assert params["employment_sizeband"] == "0"
    assert params["legal_status"] == "0,1"
    assert params["date"] == "2023"


@pytest.mark.parametrize(
    ("code", "expected"),
    # pairs seen in public Nomis query URLs (see tests/data/nomis/README.md)
    [
        ("5510", 138417542),
        ("4711", 138416743),
        ("47", 146800687),
        ("92", 146800732),
        ("A", 150994945),
        ("U", 150994965),
    ],
)
def test_industry_ids_match_published_nomis_urls(code, expected):
    assert nomis_request.nomis_industry_id(code) == expected


def test_industry_selection_creative_is_the_dcms_list():
    ids = [int(x) for x in nomis_request.industry_selection("creative").split(",")]
    assert sorted(f"{i - 138412032:04d}" for i in ids) == creative_classes()
    assert nomis_request.industry_selection("all") == "138412143...138421932"


def test_unknown_dataset_lists_known_aliases():
    with pytest.raises(ParameterError) as info:
        nomis_request.build_request("bres2", geography="TYPE424")
    for alias in nomis_request.DATASETS:
        assert alias in str(info.value)


@pytest.mark.parametrize(
    "geo", ["", "E09000033;drop", "TYPE424&uid=1", "lads of london", "1...2...3"]
)
def test_bad_geography_is_rejected(geo):
    with pytest.raises(ParameterError, match="geography"):
        nomis_request.build_request("bres", geography=geo)


def test_census_dataset_refuses_industry_codes():
    with pytest.raises(ParameterError, match="no industry dimension"):
        nomis_request.build_request("census2021_ts060", geography="TYPE432", industry="5911")
    url, params = nomis_request.build_request("census2021_occupation", geography="TYPE432")
    assert url.endswith("/NM_2080_1.data.csv") and "industry" not in params


def test_request_url_never_shows_uid():
    text = nomis_request.request_url(
        "https://x/y.data.csv", {"geography": "TYPE424", "uid": "0xSECRET"}
    )
    assert "SECRET" not in text and "geography=TYPE424" in text


# --------------------------------------------------------------- paging
def test_paging_concatenates_pages_until_record_count():
    rec = Recorder(bres_pages)
    content = nomis.fetch_table("bres", geography="TYPE424", client=rec.client())
    assert [r.url.params.get("RecordOffset") for r in rec.requests] == [None, "7"]
    assert content.count(b'"DATE","DATE_NAME"') == 1  # one header
    table = nomis.parse_table(content, dataset_id="t", nomis_dataset="bres")
    assert len(table) == 12  # RECORD_COUNT in the fixture
    assert table["geo_code"].value_counts().to_dict() == {
        "E09000033": 6,
        "E08000003": 6,
    }


def test_small_page_size_is_sent_as_record_limit():
    rec = Recorder(bres_pages)
    nomis.fetch_table("bres", geography="TYPE424", client=rec.client(), page_size=7)
    assert [r.url.params.get("RecordLimit") for r in rec.requests] == ["7", "7"]


def test_paging_detects_repeated_page():
    rec = Recorder(lambda req, n: httpx.Response(200, content=PAGE1))
    with pytest.raises(DataSourceError, match="expected 7"):
        nomis.fetch_table("bres", geography="TYPE424", client=rec.client())


def test_paging_detects_early_end_and_does_not_cache_the_bad_page(tmp_path):
    header_only = PAGE1.split(b"\n", 1)[0] + b"\n"
    rec = Recorder(
        lambda req, n: httpx.Response(200, content=PAGE1 if n == 1 else header_only)
    )
    cache = ResponseCache(tmp_path)
    with pytest.raises(DataSourceError, match="stopped after 7 of 12"):
        nomis.fetch_table("bres", geography="TYPE424", client=rec.client(), cache=cache)
    assert len(list(tmp_path.rglob("*.body"))) == 1  # page 1 only


def test_html_page_with_200_is_an_error_and_not_cached(tmp_path):
    rec = Recorder(lambda req, n: httpx.Response(200, text="<html>maintenance</html>"))
    cache = ResponseCache(tmp_path)
    with pytest.raises(DataSourceError, match="did not return a Nomis data CSV"):
        nomis.fetch_table("bres", geography="TYPE424", client=rec.client(), cache=cache)
    assert not list(tmp_path.rglob("*.body"))


# ---------------------------------------------------------------- retries
def test_503_then_success_backs_off_exponentially():
    rec = Recorder(
        lambda req, n: (
            httpx.Response(503) if n <= 2 else httpx.Response(200, content=UKBC)
        )
    )
    waits: list[float] = []
    resp = _http.get_with_retries(
        rec.client(), "https://n/x", sleep=waits.append, rng=lambda: 0.5
    )
    assert resp.content == UKBC
    assert waits == [1.5, 2.5]  # base*2**attempt + jitter*base
    assert len(rec.requests) == 3


def test_503_retries_exhausted():
    body = (DATA / "error_503.html").read_bytes()
    rec = Recorder(lambda req, n: httpx.Response(503, content=body))
    waits: list[float] = []
    with pytest.raises(DataSourceError, match=r"after 4 attempt\(s\).*HTTP 503"):
        _http.get_with_retries(
            rec.client(),
            "https://n/x",
            max_retries=3,
            sleep=waits.append,
            rng=lambda: 0.0,
        )
    assert len(rec.requests) == 4
    assert waits == [1.0, 2.0, 4.0]


def test_503_retry_after_is_honoured():
    rec = Recorder(
        lambda req, n: (
            httpx.Response(503, headers={"Retry-After": "5"})
            if n == 1
            else httpx.Response(200, content=b"ok")
        )
    )
    waits: list[float] = []
    _http.get_with_retries(rec.client(), "https://n/x", sleep=waits.append)
    assert waits == [5.0]


def test_retry_after_http_date():
    assert (
        _http.retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0)
        == 30.0
    )
    assert _http.retry_after_seconds("soon") is None
    assert _http.retry_after_seconds("-3") == 0.0


def test_backoff_is_capped():
    rec = Recorder(lambda req, n: httpx.Response(502))
    waits: list[float] = []
    with pytest.raises(DataSourceError):
        _http.get_with_retries(
            rec.client(),
            "https://n/x",
            max_retries=5,
            max_backoff=3.0,
            sleep=waits.append,
            rng=lambda: 0.0,
        )
    assert waits == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_429_honours_retry_after_then_succeeds():
    body = (DATA / "error_429.txt").read_bytes()
    rec = Recorder(
        lambda req, n: (
            httpx.Response(429, content=body, headers={"Retry-After": "7"})
            if n == 1
            else httpx.Response(200, content=UKBC)
        )
    )
    waits: list[float] = []
    content = nomis.fetch_table(
        "business_counts_enterprises",
        geography="TYPE424",
        client=rec.client(),
        sleep=waits.append,
    )
    assert waits == [7.0]
    assert len(rec.requests) == 2
    assert len(nomis.parse_table(content, dataset_id="t")) == 6


def test_429_with_huge_retry_after_gives_up_at_once():
    rec = Recorder(lambda req, n: httpx.Response(429, headers={"Retry-After": "86400"}))
    with pytest.raises(DataSourceError, match="wait 86400 s"):
        _http.get_with_retries(rec.client(), "https://n/x", sleep=lambda s: None)
    assert len(rec.requests) == 1


def test_404_is_not_retried():
    rec = Recorder(lambda req, n: httpx.Response(404, text="dataset not found"))
    with pytest.raises(DataSourceError, match=r"HTTP 404.*dataset not found"):
        _http.get_with_retries(rec.client(), "https://n/x", sleep=lambda s: None)
    assert len(rec.requests) == 1


def test_offline_fails_fast_with_the_alternative():
    def refuse(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    waits: list[float] = []
    with pytest.raises(OfflineError) as info:
        nomis.fetch_table(
            "bres",
            geography="TYPE424",
            client=_http.make_client(transport=httpx.MockTransport(refuse)),
            sleep=waits.append,
        )
    msg = str(info.value)
    assert "www.nomisweb.co.uk" in msg
    assert (
        "creative-clusters data import DIR" in msg and "data import-nomis FILE" in msg
    )
    assert "\n" not in msg
    assert waits == []  # no retries without a network


def test_read_timeouts_are_retried():
    calls = []

    def flaky(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow")
        return httpx.Response(200, content=b"ok")

    waits: list[float] = []
    c = _http.make_client(transport=httpx.MockTransport(flaky))
    assert (
        _http.get_with_retries(
            c, "https://n/x", sleep=waits.append, rng=lambda: 0.0
        ).content
        == b"ok"
    )
    assert waits == [1.0]


def test_user_agent_names_the_toolkit():
    rec = Recorder(lambda req, n: httpx.Response(200, content=UKBC))
    nomis.fetch_table(
        "business_counts_enterprises", geography="TYPE424", client=rec.client()
    )
    assert rec.requests[0].headers["User-Agent"].startswith("creative-clusters/")


# ------------------------------------------------------------------ cache
def test_cache_hit_avoids_second_request_and_is_keyed_by_params(tmp_path):
    rec = Recorder(bres_pages)
    cache = ResponseCache(tmp_path)
    first = nomis.fetch_table(
        "bres", geography="TYPE424", client=rec.client(), cache=cache
    )
    assert len(rec.requests) == 2
    again = nomis.fetch_table(
        "bres", geography="TYPE424", client=rec.client(), cache=cache
    )
    assert again == first and len(rec.requests) == 2  # served from disk
    nomis.fetch_table(
        "bres", geography="TYPE424", date="2022", client=rec.client(), cache=cache
    )
    assert len(rec.requests) == 4  # different params, different key
    refresh = ResponseCache(tmp_path, refresh=True)
    nomis.fetch_table("bres", geography="TYPE424", client=rec.client(), cache=refresh)
    assert len(rec.requests) == 6


def test_cache_key_ignores_uid_and_never_stores_it(tmp_path):
    rec = Recorder(lambda req, n: httpx.Response(200, content=UKBC))
    cache = ResponseCache(tmp_path)
    nomis.fetch_table(
        "business_counts_enterprises",
        geography="TYPE424",
        client=rec.client(),
        cache=cache,
        uid="0xSECRETKEY",
    )
    assert rec.requests[0].url.params["uid"] == "0xSECRETKEY"
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*.json"))
    assert b"SECRETKEY" not in stored
    nomis.fetch_table(
        "business_counts_enterprises",
        geography="TYPE424",
        client=rec.client(),
        cache=cache,
        uid="0xOTHER",
    )
    assert len(rec.requests) == 1


def test_request_key_is_order_independent():
    assert request_key("GET", "u", {"a": "1", "b": "2"}) == request_key(
        "get", "u", {"b": "2", "a": "1"}
    )
    assert request_key("GET", "u", {"a": "1"}) != request_key("GET", "u", {"a": "2"})


def test_cache_write_is_atomic(tmp_path, monkeypatch):
    import creative_clusters.sources._cache as cache_mod

    cache = ResponseCache(tmp_path)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(cache_mod.os, "replace", broken_replace)
    with pytest.raises(OSError):
        cache.put("GET", "u", {"a": "1"}, b"data")
    monkeypatch.undo()
    assert cache.get("GET", "u", {"a": "1"}) is None
    assert [
        p for p in tmp_path.rglob("*") if p.is_file()
    ] == []  # no temp file left behind


# ---------------------------------------------------------------- parsing
def bres_table() -> pd.DataFrame:
    return nomis.parse_table(
        nomis._concat_csv([PAGE1, PAGE2]),
        dataset_id="nomis_bres_2023",
        nomis_dataset="bres",
    )


def test_parse_bres_hand_worked_values():
    t = bres_table()
    validate_observations(t, source="test")  # idempotent on a valid table
    row = t[
        (t.geo_code == "E09000033")
        & (t.industry_code == "5911")
        & (t.measure == "employment")
    ]
    assert row["value"].tolist() == [4500.0]
    assert set(t["measure"]) == {"employees", "employment"}
    assert set(t["geo_type"]) == {"lad"} and set(t["geo_vintage"]) == {"2023"}
    assert set(t["industry_scheme"]) == {"SIC2007"}
    assert set(t["dataset_vintage"]) == {"2023"} and set(t["status"]) == {""}
    assert t.loc[t.value.notna(), "disclosure_flag"].eq("rounded").all()
    # Westminster employment over the three classes: 4500 + 10000 + 2500
    wm = t[(t.geo_code == "E09000033") & (t.measure == "employment")]["value"].sum()
    assert wm == 17000.0


def test_suppressed_cells_are_nan_never_zero():
    t = bres_table()
    man = t[(t.geo_code == "E08000003") & (t.industry_code == "5911")].set_index(
        "measure"
    )
    assert np.isnan(man.loc["employees", "value"])  # OBS_STATUS Q
    assert man.loc["employees", "disclosure_flag"] == "suppressed"
    assert man.loc["employment", "value"] == 0.0  # a published zero stays zero
    assert man.loc["employment", "disclosure_flag"] == "rounded"


def test_parse_business_counts_status_and_flags():
    t = nomis.parse_table(
        UKBC, dataset_id="x", nomis_dataset="business_counts_enterprises"
    )
    got = t.set_index(["industry_code", "status"])["value"]
    assert got[("5911", "_T")] == 1230.0
    assert got[("5911", "sizeband=micro_0_to_9")] == 1215.0
    assert np.isnan(got[("7111", "sizeband=small_10_to_49")])
    assert set(t["measure"]) == {"enterprises"}
    assert set(t["period"]) == {"2024"} and set(t["geo_vintage"]) == {"2023"}


def test_parse_census_industry_and_occupation():
    ind = nomis.parse_table(
        (DATA / "census2021_ts060_2021.csv").read_bytes(),
        dataset_id="x",
        nomis_dataset="census2021_ts060",
    )
    assert list(zip(ind.industry_scheme, ind.industry_code, strict=True)) == [
        ("SIC2007", "_T"),
        ("SIC2007_DIV", "01"),
        ("SIC2007_DIV", "59"),
        ("SIC2007_DIV", "62"),
    ]
    # the measure the Census industry figures read (round 19: 'persons' emptied the workforce section)
    assert set(ind["disclosure_flag"]) == {"as-published"} and set(ind["measure"]) == {
        "residents_in_employment"
    }
    assert set(ind["geo_vintage"]) == {"2021"}
    occ = nomis.parse_table(
        (DATA / "census2021_ts063_2021.csv").read_bytes(),
        dataset_id="x",
        nomis_dataset="census2021_occupation",
    )
    assert list(zip(occ.occupation_scheme, occ.occupation_code, strict=True)) == [
        ("SOC2020", "_T"),
        ("SOC2020_MAJOR", "1"),
        ("SOC2020_MAJOR", "2"),
    ]


def test_changed_layout_is_reported_with_the_columns():
    with pytest.raises(
        ImportFormatError, match=r"OBS_VALUE.*changed its CSV layout"
    ) as info:
        nomis.parse_table(
            (DATA / "changed_layout.csv").read_bytes(),
            dataset_id="x",
            source="changed_layout.csv",
        )
    assert info.value.file == "changed_layout.csv" and info.value.row == 1


def test_minimal_select_download_falls_back_to_gss_codes():
    csv = b"DATE,GEOGRAPHY_CODE,OBS_VALUE\n2024,E09000033,10\n2024,E12000007,\n"
    t = nomis.parse_table(
        csv, dataset_id="x", nomis_dataset="business_counts_enterprises"
    )
    assert t["geo_type"].tolist() == ["lad", "rgn"]
    assert t["disclosure_flag"].tolist() == ["rounded", "suppressed"]
    assert t["value"].iloc[0] == 10.0 and np.isnan(t["value"].iloc[1])


def test_text_in_obs_value_names_row_and_column():
    with pytest.raises(ImportFormatError) as info:
        nomis.parse_table((DATA / "malformed_value.csv").read_bytes(), dataset_id="x")
    assert info.value.row == 3 and info.value.column == "OBS_VALUE"
    assert "1,2l5" in str(info.value)


def test_truncated_csv_is_an_import_format_error():
    cut = UKBC.index(b"\n", 2000) + 1
    truncated = UKBC[:cut] + b'"2024","2024"'  # download stopped mid-row
    row = UKBC[:cut].count(b"\n") + 1
    with pytest.raises(ImportFormatError, match="truncated") as info:
        nomis.parse_table(truncated, dataset_id="x")
    # the row's first missing field (the row has DATE and DATE_NAME only)
    assert info.value.row == row and info.value.column == "DATE_CODE"


def test_partial_download_is_refused():
    with pytest.raises(ImportFormatError, match="has 7 of the 12 records"):
        nomis.parse_table(PAGE1, dataset_id="x", source="page1.csv")


def test_industry_id_name_disagreement_is_refused():
    bad = UKBC.replace(b'"138417943","5911 :', b'"138417944","5911 :')
    with pytest.raises(ImportFormatError, match="industry id scheme may have changed"):
        nomis.parse_table(bad, dataset_id="x")


def test_unknown_obs_status_warns_and_keeps_value():
    odd = UKBC.replace(b'"1230","A"', b'"1230","Z"')
    with pytest.warns(UserWarning, match=r"unknown OBS_STATUS code\(s\) \['Z'\]"):
        t = nomis.parse_table(odd, dataset_id="x")
    assert 1230.0 in t["value"].tolist()


@pytest.mark.parametrize(
    ("gtype", "code", "expected"),
    [
        (
            "local authorities: district / unitary (as of April 2023)",
            "E09000033",
            ("lad", "2023"),
        ),
        (
            "local authorities: county / unitary (as of April 2021)",
            "E10000002",
            ("utla", "2021"),
        ),
        (
            "local authorities: district / unitary (prior to April 2015)",
            "E07000001",
            ("lad", "2014"),
        ),
        ("countries", "K02000001", ("uk", "")),
        ("countries", "E92000001", ("ctry", "")),
        ("regions", "E12000007", ("rgn", "")),
        ("combined authorities", "E47000001", ("cauth", "")),
        ("2021 super output areas - lower layer", "E01000001", ("lsoa", "2021")),
        ("nuts 2013 level 2", "UKI3", ("nuts2", "")),
        ("nuts 2016 level 3", "UKI31", ("itl3", "")),
        ("something new", "E09000001", ("lad", "")),
    ],
)
def test_geography_types(gtype, code, expected):
    assert _nomis_parse._geo(gtype, code) == expected


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.just(""), st.integers(0, 10**6).map(str)),
            st.sampled_from(["A", "Q", "M", "E", "*"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_suppressed_iff_nan(cells):
    head = (
        b'"DATE","GEOGRAPHY_CODE","GEOGRAPHY_TYPE","CELL","CELL_NAME",'
        b'"OBS_VALUE","OBS_STATUS"\n'
    )
    body = b"".join(
        f'"2024","E09000033","regions","{i}","c{i}","{v}","{s}"\n'.encode()
        for i, (v, s) in enumerate(cells)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = nomis.parse_table(head + body, dataset_id="x")
    supp = t["disclosure_flag"].eq("suppressed")
    assert (supp == t["value"].isna()).all()
    for (v, s), (_, row) in zip(cells, t.iterrows(), strict=True):
        if v and s not in ("Q", "M"):
            assert row["value"] == float(v)
        else:
            assert np.isnan(row["value"])


def test_dataset_spec_reader_returns_the_table():
    t = bres_table()
    spec = nomis.dataset_spec(
        t,
        dataset_id="nomis_bres_2023",
        nomis_dataset="bres",
        source_url="https://example.org/q",
    )
    assert spec.files == () and spec.vintage == "2023" and "NM_189_1" in spec.title
    res = spec.reader(Path("."))
    assert res.observations is t
    assert "2 lad areas" in res.coverage and "1 suppressed" in res.coverage
    assert json.dumps(spec.caveats)
