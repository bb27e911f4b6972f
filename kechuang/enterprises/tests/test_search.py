"""The enterprise search (list, API, autocomplete) folds traditional and full-width text like
the other registries' search boxes."""

import pytest

pytestmark = pytest.mark.django_db

API = "/api/enterprises/enterprises/"


@pytest.mark.parametrize(("_case", "typed", "found"), [
    ("simplified name", "东湖智能", ["东湖智能装备有限公司"]),
    ("traditional name", "東湖智能", ["东湖智能装备有限公司"]),
    ("traditional, short (no index)", "東湖", ["东湖智能装备有限公司"]),
    ("full-width pinyin", "ＤＯＮＧＨＵ", ["东湖智能装备有限公司"]),
    ("full-width credit code prefix", "９１３３", ["东湖智能装备有限公司", "西山光电科技有限公司"]),
    ("traditional, other company", "西山光電", ["西山光电科技有限公司"]),
    ("traditional, no such company", "電動汽車", []),
])
def test_search_folds_traditional_and_full_width_text(_case, typed, found, staff, ent_east,
                                                      ent_west, client_for):
    response = client_for(staff).get(API, {"q": typed})

    assert response.status_code == 200
    assert sorted(row["name"] for row in response.json()["results"]) == found


def test_folded_search_stays_within_the_scope(sub_west, ent_east, ent_west, client_for):
    response = client_for(sub_west).get(API, {"q": "東湖智能"})

    assert response.status_code == 200
    assert response.json()["results"] == []
