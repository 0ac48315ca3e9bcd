

def test_city_suffix_in_either_order(areas):
    from creative_clusters.geography.resolver import find_area

    assert find_area("bristol city", areas).code == "E06000023"
    assert find_area("City of Bristol", areas).code == "E06000023"
