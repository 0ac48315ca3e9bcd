

def test_city_suffix_in_either_order(areas):
    from creative_clusters.geography.resolver import resolve_place

    assert resolve_place("bristol city", areas).code == "E06000023"
    assert resolve_place("City of Bristol", areas).code == "E06000023"
