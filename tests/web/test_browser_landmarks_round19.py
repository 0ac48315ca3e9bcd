"""The map page's landmarks, in a real browser (axe-core's landmark-unique and region rules).

Was: the section around the map was a region named "Map", the name MapLibre gives its canvas region, so
a screen reader's landmark list showed two "Map" regions; the subtitle saying what the map shows sat
outside every landmark, and was missed by landmark navigation.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

#: Landmark roles, explicit or from the element (a section or form counts only when it is named).
_LANDMARKS_JS = """() => {
  const implicit = {HEADER: 'banner', FOOTER: 'contentinfo', MAIN: 'main', NAV: 'navigation', ASIDE: 'complementary'};
  const named = el => el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') &&
      document.getElementById(el.getAttribute('aria-labelledby'))?.textContent.trim()) || '';
  const sectioning = {SECTION: 'region', FORM: 'form'};
  const role = el => el.getAttribute('role') || implicit[el.tagName] || (named(el) && sectioning[el.tagName]) || '';
  const all = [...document.querySelectorAll('*')].filter(el => ['banner', 'contentinfo', 'main', 'navigation',
      'complementary', 'region', 'form', 'search'].includes(role(el)));
  const visible = el => !el.closest('[hidden]');
  const subtitle = document.getElementById('subtitle');
  return {pairs: all.filter(visible).map(el => role(el) + '|' + named(el)),
          subtitleIn: all.some(el => el.contains(subtitle))};
}"""


def test_landmarks_have_distinct_names_and_hold_the_subtitle(open_page):
    pg = open_page()
    got = pg.evaluate(_LANDMARKS_JS)
    regions = [p for p in got["pairs"] if p.startswith("region|")]
    assert "region|Map" in regions, "the premise: MapLibre names its canvas region 'Map'"
    assert len(regions) == len(set(regions)), regions
    assert got["subtitleIn"]
