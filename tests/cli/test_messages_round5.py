"""CLI messages a reviewer found untrue or not actionable (round 5).

Each message must say what was expected, what came and how to fix it, naming
only commands, options and columns that exist. No test touches the network
(``tests/conftest.py`` refuses sockets; the Companies House tests also replace
the HTTP transport). Input files are hand-made here, not copied reference data.
"""

from __future__ import annotations

import re
import socket

import httpx
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.sources import _http
from creative_clusters.sources.companies_house_fetch import BASE_URL, PRODUCT_PAGE

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def _commands(text: str) -> list[list[str]]:
    """Every backticked ``creative-clusters ...`` command in ``text``, as argument lists."""
    return [c.split()[1:] for c in re.findall(r"`(creative-clusters [^`]+)`", text)]


def _assert_command_exists(args: list[str], home) -> None:
    """The command path exists (its --help works) and a ``data fetch`` dataset id is a real one."""
    words = [a for a in args if not a.startswith("-") and not a.isupper()]
    if words[:2] == ["data", "fetch"]:  # a dry run resolves the dataset id and builds the URL, offline
        geo = args[args.index("-g") + 1] if "-g" in args else None
        assert geo is not None, f"`data fetch {words[2]}` needs -g/--geography: {args}"
        r = run("data", "fetch", words[2], "-g", geo, "--dry-run", "--home", str(home))
        assert r.exit_code == 0, (args, r.output)
        return
    sub = words[:2] if words[0] == "data" else words[:1]
    r = run(*sub, "--help")
    assert r.exit_code == 0, (args, r.output)


# ----------------------------------------------------------------------------- 1. workforce


def test_workforce_names_only_commands_that_exist(full_home):
    r = run("workforce", "Sheffield", "--home", str(full_home))
    assert r.exit_code == 0, r.output
    missing = "\n".join(line for line in r.output.splitlines() if "(missing)" in line)
    assert "`creative-clusters fetch`" not in missing
    cmds = _commands(missing)
    assert ["data", "fetch", "census2021_occupation", "-g", "lad"] in cmds
    assert ["data", "fetch", "census2021_economic_activity", "-g", "lad"] in cmds
    for cmd in cmds:
        _assert_command_exists(cmd, full_home)
    # TS063 from Nomis is 9 major groups: the message must not promise that fetching it fills the gap
    assert "major groups only" in missing and "minor-group (3-digit)" in missing


def test_pack_workforce_commands_exist_and_carry_the_geography(full_warehouse, full_home):
    from creative_clusters.workflows.workforce_report import evidence_workforce

    wf = evidence_workforce(full_warehouse, ["E08000019"], code="E08000019", name="Sheffield", geo_type="lad")
    text = "\n".join(wf["missing"])
    cmds = _commands(text)
    assert cmds, text
    for cmd in cmds:
        _assert_command_exists(cmd, full_home)


# ----------------------------------------------------------------------------- 2. createch


def test_createch_without_sic_columns_names_them_and_the_fix(tmp_path):
    f = tmp_path / "wrong.csv"
    f.write_text("name,sic\nA,59111\nB,62012\n")
    r = run("createch", str(f))
    assert r.exit_code == 1
    out = r.output
    assert "sic_columns" not in out and "createch_flag()" not in out  # no Python internals
    assert "SICCode.SicText_1" in out and "['name', 'sic']" in out and "Rename" in out
    assert "wrong.csv" in out


def test_createch_without_local_authority_column_says_so(tmp_path):
    f = tmp_path / "firms.csv"
    f.write_text("CompanyName,SICCode.SicText_1\nA,58210 - Publishing of computer games\n")
    r = run("createch", str(f))
    assert r.exit_code == 1
    assert "createch_counts()" not in r.output and "createch_flag" not in r.output
    assert "localauthority_code" in r.output and "['CompanyName', 'SICCode.SicText_1']" in r.output


# ----------------------------------------------------------------------------- 3. --method


@pytest.mark.parametrize("command", ["clusters", "corridors"])
def test_unknown_method_lists_every_valid_method(full_home, command):
    from creative_clusters.workflows.detection import METHODS

    r = run(command, "--method", "bogus", "--home", str(full_home))
    assert r.exit_code == 1
    for m in (*METHODS, "trajectory"):
        assert m in r.output
    assert "'bogus'" in r.output


# ----------------------------------------------------------------------------- 4. companies-house


def _refuse_http(monkeypatch, seen: list[str]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        raise httpx.ConnectError("no network in tests", request=request)

    def boom(*args, **kwargs):
        raise AssertionError("a test tried to resolve a host name")

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(handler))
    monkeypatch.setattr(socket, "getaddrinfo", boom)


def test_companies_house_dry_run_prints_the_plan_without_network(tmp_path, monkeypatch):
    seen: list[str] = []
    _refuse_http(monkeypatch, seen)
    r = run("data", "fetch", "companies-house", "--dry-run", "--out", str(tmp_path / "ch"))
    assert r.exit_code == 0, r.output
    assert seen == []
    assert PRODUCT_PAGE in r.output and f"{BASE_URL}BasicCompanyDataAsOneFile-" in r.output
    assert str((tmp_path / "ch").resolve()) in r.output
    assert not (tmp_path / "ch").exists()  # nothing written either
    r = run("data", "fetch", "companies-house", "--dry-run", "--parts", "--month", "2024-11",
            "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "BasicCompanyData-2024-11-DD-partN_M.zip" in r.output and seen == []
    r = run("data", "fetch", "companies-house", "--dry-run", "--month", "2024-13")
    assert r.exit_code == 1 and "YYYY-MM" in r.output


def test_companies_house_offline_advice_is_about_companies_house(tmp_path, monkeypatch):
    seen: list[str] = []
    _refuse_http(monkeypatch, seen)
    r = run("data", "fetch", "companies-house", "--out", str(tmp_path))
    assert r.exit_code == 1
    assert seen == [PRODUCT_PAGE]
    out = r.output
    assert "import-nomis" not in out and "Nomis" not in out
    assert "BasicCompanyData" in out and PRODUCT_PAGE in out and "microclusters" in out


def test_companies_house_download_offline_gives_the_same_advice(tmp_path):
    from creative_clusters.errors import OfflineError
    from creative_clusters.sources.companies_house_fetch import OFFLINE_HINT, fetch_companies_house

    page = '<a href="BasicCompanyDataAsOneFile-2024-11-01.zip">whole file</a>'

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == PRODUCT_PAGE:
            return httpx.Response(200, text=page)
        raise httpx.ConnectError("network gone", request=request)

    client = _http.make_client(transport=httpx.MockTransport(handler))
    with pytest.raises(OfflineError) as err:
        fetch_companies_house(tmp_path, client=client)
    assert OFFLINE_HINT in str(err.value) and "import-nomis" not in str(err.value)


# ----------------------------------------------------------------------------- 5. --scheduler coordinates


def test_scheduler_on_a_firm_file_reads_it_as_the_single_machine_run_does(tmp_path):
    # was: a refusal naming easting/northing (the Dask path read point files only); since round 16 the firm
    # file is read and located here and clustered on Dask (tests/distributed/test_unlocated_firms_dask.py)
    f = tmp_path / "pts.csv"  # a hand-made Companies House-like file: postcodes, no easting/northing
    f.write_text('"CompanyName","CompanyNumber","Postcode","SICCode.SicText_1"\n'
                 '"A LTD","00000001","S1 2HE","59111 - Motion picture production activities"\n')
    r = run("microclusters", str(f), "--scheduler", "local", "--method", "dbscan", "--out", str(tmp_path / "o"))
    assert r.exit_code == 0, r.output
    assert "--x" not in r.output and "--y" not in r.output  # the command has no such options
    assert (tmp_path / "o").is_dir()


def test_point_reader_message_names_no_cli_options(tmp_path):
    from creative_clusters.distributed.points import read_point_partitions
    from creative_clusters.errors import SchemaError

    f = tmp_path / "p.csv"
    f.write_text("x,y\n1,2\n")
    with pytest.raises(SchemaError) as err:
        read_point_partitions(f)
    msg = str(err.value)
    assert "--x" not in msg and "'easting' and 'northing'" in msg and "['x', 'y']" in msg


# ----------------------------------------------------------------------------- 6. profile / corridors


def test_unknown_ttwa_suggests_a_ttwa_code(full_home):
    r = run("profile", "ttwa:Nowhere", "--home", str(full_home))
    assert r.exit_code == 1
    assert "E30000261" in r.output and "E08000019" not in r.output
    r = run("profile", "region:Nowherezzq", "--home", str(full_home))
    assert r.exit_code == 1 and "E12000003" in r.output and "E08000019" not in r.output


def test_example_codes_are_real_codes_of_their_level(full_warehouse):
    from creative_clusters.geography.resolver import _EXAMPLE_CODES, find_area

    areas = full_warehouse.table("areas")
    for level, (code, name) in _EXAMPLE_CODES.items():
        a = find_area(code, areas, level=level)
        assert (a.code, a.level, a.name) == (code, level, name), level


def test_missing_travel_time_file_is_the_users_path(full_home, tmp_path):
    missing = tmp_path / "nonexist.csv"
    r = run("corridors", "--travel-time", str(missing), "--home", str(full_home))
    assert r.exit_code == 1
    assert "data directory" not in r.output
    assert f"not found at {missing.resolve()}" in r.output and "origin, destination, minutes" in r.output
