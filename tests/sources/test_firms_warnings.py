"""The South Yorkshire firm importer silences only the unlocated-firms warning (it counts them itself)."""

from __future__ import annotations

import gzip
import warnings

import pytest

from creative_clusters.sources import firms as firms_source
from creative_clusters.sources.firm_files import UnlocatedFirmsWarning

# SYNTHETIC rows in the extract's layout: two creative firms with X/Y, one creative firm with neither X/Y nor a
# postcode the directory knows (not located), one retailer (not creative)
_HEADER = ('"CompanyName","CompanyNumber","Postcode","RegAddress.PostTown","CompanyCategory","CompanyStatus",'
           '"CountryOfOrigin","IncorporationDate","SICCode.SicText_1","SICCode.SicText_2","SICCode.SicText_3",'
           '"SICCode.SicText_4","URI","localauthority_code","localauthority_name","X","Y"\n')
_ROWS = [
    '"A LTD","00000001","S1 2BX","SHEFFIELD","Private Limited Company","Active","United Kingdom","01/01/2020",'
    '"59111 - Motion picture production",NA,NA,NA,"","E08000019","Sheffield",435000,387000\n',
    '"B LTD","00000002","S1 2BX","SHEFFIELD","Private Limited Company","Active","United Kingdom","01/01/2020",'
    '"62012 - Business and domestic software development",NA,NA,NA,"","E08000019","Sheffield",435100,387100\n',
    '"C LTD","00000003","ZZ1 1ZZ","NOWHERE","Private Limited Company","Active","United Kingdom","01/01/2020",'
    '"90030 - Artistic creation",NA,NA,NA,"",NA,NA,NA,NA\n',
    '"D LTD","00000004","S1 2BX","SHEFFIELD","Private Limited Company","Active","United Kingdom","01/01/2020",'
    '"47110 - Retail",NA,NA,NA,"","E08000019","Sheffield",435200,387200\n',
]


@pytest.fixture
def root(tmp_path):
    path = tmp_path / firms_source.CH_SOUTH_YORKSHIRE
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(_HEADER + "".join(_ROWS))
    return tmp_path


def test_unlocated_firms_are_counted_not_warned(root):
    from creative_clusters.sources.firm_files import prepare_firms, read_firm_file

    # prepare_firms itself warns, with its own category
    with pytest.warns(UnlocatedFirmsWarning, match="1 of 3 creative firms could not be located"):
        prepare_firms(read_firm_file(root / firms_source.CH_SOUTH_YORKSHIRE), status="all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that got through would fail here
        res = firms_source.read_companies_house_south_yorkshire(root)
    assert len(res.tables["firms_companies_house"]) == 2
    assert res.coverage.startswith("2 creative firms (of 4 companies)")


def test_other_warnings_from_prepare_firms_reach_the_caller(root, monkeypatch):
    real = firms_source.prepare_firms

    def prepare_and_warn(*args, **kwargs):
        warnings.warn("something else the caller must see", UserWarning, stacklevel=2)
        warnings.warn("a deprecated option", DeprecationWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(firms_source, "prepare_firms", prepare_and_warn)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms_source.read_companies_house_south_yorkshire(root)
    got = {(w.category, str(w.message)) for w in caught}
    assert (UserWarning, "something else the caller must see") in got
    assert (DeprecationWarning, "a deprecated option") in got
    assert not any(issubclass(w.category, UnlocatedFirmsWarning) for w in caught)
