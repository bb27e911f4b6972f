"""The free-text box of the registry lists takes whatever is pasted into it."""

import datetime as dt

import pytest

from kechuang.brokerage.models import Broker
from kechuang.carriers.services import create_carrier
from kechuang.core.filtering import SEARCH_MAX_CHARS
from kechuang.demands.models import TechDemand
from kechuang.matching.tests.factories import make_achievements, make_demand, make_expert

pytestmark = pytest.mark.django_db

# a pasted document: 50,000 characters (150,000 bytes; SQLite refuses a LIKE pattern longer
# than 50,000 bytes, and evaluates it only when the table has a row)
PASTED = ("我公司生产锂电池正极材料，烧结工序能耗高、一致性差。" * 2000)[:50_000]


@pytest.fixture
def one_of_each(bureau_admin, regions, ent_east, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    demand = make_demand(bureau_admin, ent_east, "锂电池正极材料烧结能耗高",
                         "烧结工序能耗高、一致性差，希望降低能耗。")
    make_achievements(bureau_admin, regions.east)
    make_expert(bureau_admin, regions.east, "王示例", "锂电池正极材料")
    create_carrier(actor=bureau_admin, data={
        "name": "示例产业创新综合体", "kind": "innovation_complex", "level": "provincial",
        "region": regions.east, "recognized_on": dt.date(2020, 6, 1)})
    Broker.objects.create(user=bureau_admin, name="王经纪", organisation="示范技术转移中心",
                          region=regions.district, grade="senior")
    return demand


@pytest.mark.parametrize(("url", "row"), [
    ("/demands/", "锂电池正极材料烧结能耗高"), ("/achievements/", "高镍三元锂电池正极材料制备技术"),
    ("/experts/", "王示例"), ("/carriers/", "示例产业创新综合体"),
    ("/brokerage/brokers/", "王经纪"),
])
def test_a_pasted_document_in_the_list_search_is_not_a_server_error(bureau_admin, client_for,
                                                                     one_of_each, url, row):
    client = client_for(bureau_admin)
    assert row in client.get(url).content.decode()  # the table has a row to test LIKE on
    resp = client.get(url, {"q": PASTED})
    assert resp.status_code == 200


def test_a_pasted_document_still_filters_the_list(bureau_admin, client_for, one_of_each):
    demand = one_of_each
    client = client_for(bureau_admin)
    assert f"/demands/{demand.pk}/" in client.get("/demands/", {"q": "锂电池"}).content.decode()
    resp = client.get("/demands/", {"q": PASTED})
    assert resp.status_code == 200
    assert f"/demands/{demand.pk}/" not in resp.content.decode()  # searched, not ignored
    assert len(PASTED) > SEARCH_MAX_CHARS
    assert TechDemand.objects.count() == 1


@pytest.mark.parametrize("year", ["-5", "0", "99999999999999999999"])
@pytest.mark.parametrize(("url", "row"), [
    ("/demands/", "锂电池正极材料烧结能耗高"), ("/carriers/", "示例产业创新综合体"),
])
def test_a_year_no_date_can_have_finds_nothing_instead_of_failing(bureau_admin, client_for,
                                                                  one_of_each, url, row, year):
    client = client_for(bureau_admin)
    resp = client.get(url, {"year": year})
    assert resp.status_code == 200
    assert row not in resp.content.decode()
    api = client.get(f"/api{url}{url.strip('/')}/", {"year": year})
    assert (api.status_code, api.json()["count"]) == (200, 0)


def test_the_standards_year_box_takes_any_number(bureau_admin, client_for):
    resp = client_for(bureau_admin).get("/enterprises/standards/", {"year": "-5"})
    assert resp.status_code == 200


@pytest.mark.parametrize(("url", "typed", "row"), [
    ("/demands/", "鋰電池正極材料", "锂电池正极材料烧结能耗高"),
    ("/achievements/", "高鎳三元鋰電池", "高镍三元锂电池正极材料制备技术"),
    ("/experts/", "鋰電池正極", "王示例"),
    ("/carriers/", "產業創新綜合體", "示例产业创新综合体"),
])
def test_traditional_characters_in_the_search_box_find_simplified_records(
        bureau_admin, client_for, one_of_each, url, typed, row):
    client = client_for(bureau_admin)
    assert row in client.get(url, {"q": typed}).content.decode()
    assert row not in client.get(url, {"q": "電動汽車"}).content.decode()


def test_text_variants():
    from kechuang.core.filtering import text_variants

    assert text_variants("锂电池") == ["锂电池"]
    assert text_variants("鋰電池") == ["鋰電池", "锂电池"]
    assert text_variants("ＰＣＢ板") == ["ＰＣＢ板", "PCB板"]


# --- a NUL character (\x00) in the search text ------------------------------------------------
# It cannot be typed: it comes with text pasted from a binary file, or from a client's bug. No
# record holds one, so it is dropped and the rest is searched (like the cut to 200 characters).
# It used to show Django's "不允许是用空字符串" (wrong and misspelt) next to an unfiltered list,
# answer the API with that message (400), and fail on PostgreSQL (a server error).

def test_search_text_drops_nul_characters():
    from kechuang.core.filtering import search_text

    assert search_text(" 锂电\x00池\x00 ") == "锂电池"
    assert search_text("\x00") == ""
    assert search_text("锂" * 300) == "锂" * SEARCH_MAX_CHARS
    assert search_text("锂电池正极", limit=3) == "锂电池"


@pytest.mark.parametrize(("url", "row"), [
    ("/demands/", "锂电池正极材料烧结能耗高"), ("/achievements/", "高镍三元锂电池正极材料制备技术"),
    ("/experts/", "王示例"), ("/carriers/", "示例产业创新综合体"),
    ("/brokerage/brokers/", "王经纪"), ("/enterprises/", "东湖智能装备有限公司"),
])
def test_a_nul_in_the_list_search_is_dropped_and_the_rest_searched(bureau_admin, client_for,
                                                                   one_of_each, ent_west,
                                                                   url, row):
    client = client_for(bureau_admin)
    typed = f"{row[:2]}\x00{row[2:4]}"

    response = client.get(url, {"q": typed})

    assert response.status_code == 200
    html = response.content.decode()
    assert row in html
    assert "西山光电科技有限公司" not in html  # filtered, not ignored
    assert "空字符" not in html
    assert "\x00" not in html


@pytest.mark.parametrize(("url", "field", "value"), [
    ("/api/demands/demands/", "title", "锂电池正极材料烧结能耗高"),
    ("/api/achievements/achievements/", "title", "高镍三元锂电池正极材料制备技术"),
    ("/api/experts/experts/", "name", "王示例"),
    ("/api/carriers/carriers/", "name", "示例产业创新综合体"),
    ("/api/brokerage/brokers/", "name", "王经纪"),
    ("/api/enterprises/enterprises/", "name", "东湖智能装备有限公司"),
])
def test_a_nul_in_the_api_search_is_dropped_and_the_rest_searched(bureau_admin, client_for,
                                                                  one_of_each, ent_west, url,
                                                                  field, value):
    client = client_for(bureau_admin)

    response = client.get(url, {"q": f"{value[:2]}\x00{value[2:4]}"})

    assert response.status_code == 200, response.content.decode()
    assert [r[field] for r in response.json()["results"]] == [value]


def test_a_nul_in_the_other_search_boxes_is_dropped(bureau_admin, client_for, ent_east):
    client = client_for(bureau_admin)

    picker = client.get("/autocomplete/enterprises/", {"q": "东湖\x00智能"})
    assessment = client.get("/cultivation/assessment/", {"q": "东湖\x00智能"})

    assert (picker.status_code, assessment.status_code) == (200, 200)
    assert "东湖智能装备有限公司" in picker.content.decode()
    assert "东湖智能装备有限公司" in assessment.content.decode()


@pytest.mark.parametrize("who", ["bureau_admin", "security_admin"])
def test_no_page_or_api_list_fails_or_misleads_on_a_nul_in_the_search(who, request,
                                                                       client_for, ent_east):
    """Every page and API address without a path argument, as a user who may see it."""
    from kechuang.core.testing.urls import url_paths

    client = client_for(request.getfixturevalue(who))
    client.raise_request_exception = False
    answers = {}
    for path in url_paths():
        if "{" in path:
            continue
        response = client.get(path, {"q": "东湖\x00智能"})
        body = response.content.decode(errors="replace")
        if response.status_code >= 500 or "空字符" in body or response.status_code == 400:
            answers[path] = (response.status_code, body[:200])
    assert answers == {}
