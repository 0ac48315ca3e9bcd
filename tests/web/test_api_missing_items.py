"""The profile API says what a place lacks in plain words (``missing_items``), keeping ``missing`` as lines.

Was: ``missing`` alone, sentences for CLI users ("... its coverage is stated in `creative-clusters data status`",
"creative enterprises by sub-sector exist for England only; ... (business_counts_series)"), which the web showed.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata

FIELDS = {"topic", "reason", "status", "dataset", "dataset_title", "fix", "detail", "text"}


@pytest.mark.parametrize("code", ["E47000001", "S12000049", "W06000015"])  # Greater Manchester, Glasgow, Cardiff
def test_missing_items_are_plain_words_and_missing_stays_a_list_of_lines(client, web_app, code):
    prof = client.get(f"/api/places/{code}/profile").json()
    items = prof["missing_items"]
    assert items, prof["place"]
    titles = dict(web_app.state.service.current.snap.warehouse().query(
        "SELECT id, title FROM catalogue").itertuples(index=False, name=None))
    for m in items:
        assert set(m) == FIELDS
        if m["topic"] == "Creative workplace employment and employment LQ (BRES by local authority)":
            # round 21: the one dataset the reference data lacks (fetched from Nomis); the command is the fix
            assert m["status"] == "not_imported" and m["fix"].startswith("creative-clusters data fetch bres")
            continue
        words = f"{m['topic']} {m['reason']}"
        assert "`" not in words and "creative-clusters" not in words and "import" not in words, m
        assert "_" not in words, m  # no dataset id or field name in the headline
        assert m["status"] == "not_applicable" and m["fix"] == ""  # of what the reference data holds, nothing is left
        if m["dataset"]:
            assert m["dataset_title"] == titles[m["dataset"]]  # the catalogue's title, not one written in code
    assert prof["missing"] == [m["text"] for m in items]
    assert all(isinstance(s, str) for s in prof["missing"])


def test_a_combined_authority_says_not_published_for_combined_authorities(client):
    prof = client.get("/api/places/E47000001/profile").json()
    reasons = {m["topic"]: m["reason"] for m in prof["missing_items"]}
    # its business demography is shown (members' rates weighted by active enterprises), so not missing
    assert "Business births, deaths and survival" not in reasons and prof["business_demography"]
    assert reasons["Deprivation rank"] == "not published for combined authorities"
