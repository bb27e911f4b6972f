"""Portal flows: post → review → browse (anonymous hides identity) → recommendations."""

import pytest

from kechuang.demands.models import TechDemand
from kechuang.enterprises.models import Enterprise
from kechuang.matching import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    search.forget()
    yield
    search.forget()


def test_enterprise_posts_staff_publishes_public_sees_anonymous(
        ent_user, ent_east, staff, client_for, django_capture_on_commit_callbacks):
    ent = client_for(ent_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = ent.post("/portal/post/demand/", {
            "title": "印染废水处理", "description": "印染废水化学需氧量超标，需要处理工艺。",
            "is_anonymous": "on"})
    assert resp.status_code == 302
    demand = TechDemand.objects.get()
    assert demand.status == "pending"
    anon = client_for(None)
    assert anon.get(f"/portal/demands/{demand.pk}/").status_code == 404
    review = client_for(staff).get("/portal/review/")
    assert demand.title in review.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(f"/demands/{demand.pk}/review/", {"decision": "approve"})
    page = anon.get(f"/portal/demands/{demand.pk}/").content.decode()
    assert "匿名企业" in page
    assert ent_east.name not in page
    listing = anon.get("/portal/demands/?q=印染废水").content.decode()
    assert "印染废水处理" in listing
    assert ent_east.name not in listing


@pytest.mark.parametrize(("_case", "q", "expect"), [
    ("empty", "", 200), ("one_char", "电", 200), ("script", "<script>x</script>", 200),
    ("traditional", "廢水處理", 200), ("long", "废水" * 5000, 200),
])
def test_portal_search_never_errors(client_for, regions, _case, q, expect):
    resp = client_for(None).get("/portal/achievements/", {"q": q})
    assert resp.status_code == expect
    assert "<script>x</script>" not in resp.content.decode()


def test_bad_demand_post_shows_message_not_error(ent_user, ent_east, client_for):
    resp = client_for(ent_user).post("/portal/post/demand/", {"title": "电", "description": "电"})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "需求名称至少2个字" in body or "至少" in body
    assert TechDemand.objects.count() == 0


def test_claim_enterprise_requires_matching_phone(regions, client_for):
    from kechuang.accounts.choices import RoleCode
    from kechuang.core.testing.factories import EnterpriseFactory, make_user

    ent = EnterpriseFactory(name="认领测试有限公司", region=regions.east,
                            contact_phone="057112345678")
    user = make_user(RoleCode.ENTERPRISE, username="claimer")
    c = client_for(user)
    bad = c.post("/portal/claim/", {"kind": "enterprise", "uscc": ent.uscc,
                                    "contact_phone": "000"})
    assert bad.status_code == 400
    assert not Enterprise.objects.filter(members=user).exists()
    ok = c.post("/portal/claim/", {"kind": "enterprise", "uscc": ent.uscc,
                                   "contact_phone": "057112345678"})
    assert ok.status_code == 302
    assert Enterprise.objects.filter(members=user).get() == ent


def test_review_queue_forbidden_for_enterprises(ent_user, client_for):
    assert client_for(ent_user).get("/portal/review/").status_code == 403


def test_an_expert_does_not_review_its_own_registration(expert, regions, client_for):
    from kechuang.experts.models import Expert

    c = client_for(expert)
    resp = c.post("/portal/claim/", {"kind": "register", "name": "王示例", "country": "中国",
                                     "fields": ["01"], "specialties": "工业视觉缺陷检测算法",
                                     "service_mode": "both"})
    assert resp.status_code == 302
    own = Expert.objects.get(user=expert)
    assert own.status == "pending"
    assert c.get("/portal/review/").status_code == 403
    assert c.post("/portal/review/", {"expert": own.pk, "decision": "approve"}).status_code == 403
    own.refresh_from_db()
    assert own.status == "pending"


@pytest.mark.parametrize(("_case", "expert_id"), [("letters", "abc"), ("missing", "")])
def test_review_of_a_malformed_expert_id_is_not_found(staff, client_for, _case, expert_id):
    resp = client_for(staff).post("/portal/review/", {"expert": expert_id, "decision": "approve"})
    assert resp.status_code == 404


def test_my_space_links_my_records_and_what_is_recommended(
        ent_user, ent_east, staff, regions, client_for, django_capture_on_commit_callbacks):
    from kechuang.demands import services as demand_services
    from kechuang.matching.tests.factories import make_achievements

    with django_capture_on_commit_callbacks(execute=True):
        achievement = make_achievements(staff, regions.east)[1]  # 印染废水膜生物反应器处理工艺
        demand = demand_services.create_demand(actor=ent_user, enterprise=ent_east, data={
            "title": "印染废水处理",
            "description": "印染废水化学需氧量超标，需要膜生物反应器处理工艺。"})
        demand_services.review_demand(actor=staff, demand=demand, approve=True)
    c = client_for(ent_user)
    page = c.get("/portal/mine/").content.decode()
    assert f'href="/demands/{demand.pk}/"' in page
    assert f'href="/matching/demand/{demand.pk}/"' in page
    assert f'href="/portal/achievements/{achievement.pk}/"' in page
    for url in (f"/demands/{demand.pk}/", f"/matching/demand/{demand.pk}/",
                f"/portal/achievements/{achievement.pk}/"):
        assert c.get(url).status_code == 200
