"""Browser tests: Playwright driving Debian's headless Chromium against the live server.

Skipped, with the reason printed, when /usr/bin/chromium is missing.
"""

import re

import pytest

from kechuang.core.testing import EnterpriseFactory, uscc_for
from kechuang.core.testing.browser import login
from kechuang.core.testing.excel import xlsx_bytes
from kechuang.core.testing.factories import TEST_PASSWORD
from kechuang.enterprises.models import Enterprise

pytestmark = pytest.mark.browser

HEADERS = ["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期"]


@pytest.fixture
def people(transactional_db, regions, ent_east, ent_west, staff, sub_east, ent_user):
    EnterpriseFactory(name="东湖智慧能源有限公司", region=regions.east, industry_code="D4411")
    return {"staff": staff, "sub_east": sub_east, "ent_user": ent_user}


def test_roles_see_their_own_worlds(page, people, ent_east, ent_west):
    # 科员: whole district
    login(page, "keyuan", TEST_PASSWORD)
    page.get_by_role("link", name="企业列表").first.click()
    page.wait_for_url("**/enterprises/")
    body = page.locator("#object-list")
    assert ent_east.name in body.inner_text()
    assert ent_west.name in body.inner_text()
    page.context.clear_cookies()
    # 街道人员: only 东湖街道
    login(page, "donghu", TEST_PASSWORD)
    page.goto("/enterprises/")
    text = page.locator("#object-list").inner_text()
    assert ent_east.name in text
    assert ent_west.name not in text
    assert page.goto(f"/enterprises/{ent_west.pk}/").status == 404
    page.context.clear_cookies()
    # 企业用户: its own enterprise only
    login(page, "qiye", TEST_PASSWORD)
    page.get_by_role("link", name="本企业").first.click()
    page.wait_for_url(f"**/enterprises/{ent_east.pk}/")
    assert page.get_by_test_id("enterprise-name").inner_text() == ent_east.name
    assert page.goto(f"/enterprises/{ent_west.pk}/").status == 404


def test_search_by_pinyin_initials(page, people, ent_east, ent_west):
    login(page, "keyuan", TEST_PASSWORD)
    page.goto("/enterprises/")
    page.fill("#id_q", "dhz")  # 东湖智能… (dhzn…) and 东湖智慧… (dhzh…)
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r".*q=dhz.*"))
    rows = page.locator("#object-list tbody tr")
    rows.first.wait_for()
    texts = sorted(rows.all_inner_texts())
    assert len(texts) == 2
    assert ent_east.name in texts[0] or ent_east.name in texts[1]
    assert "东湖智慧能源有限公司" in " ".join(texts)
    assert ent_west.name not in " ".join(texts)


def test_edit_enterprise_shows_field_error_then_saves(page, people, ent_east):
    login(page, "keyuan", TEST_PASSWORD)
    page.goto(f"/enterprises/{ent_east.pk}/edit/")
    bad = uscc_for(31337)[:17] + ("0" if uscc_for(31337)[17] != "0" else "1")
    page.fill("#id_uscc", bad)
    page.fill("#id_name", "东湖智能装备集团有限公司")
    page.get_by_role("button", name="保存").click()
    error = page.locator('[data-field="uscc"]')
    assert error.inner_text() == f"统一社会信用代码校验位错误：第18位应为“{uscc_for(31337)[17]}”"
    ent_east.refresh_from_db()
    assert ent_east.name == "东湖智能装备有限公司"
    page.fill("#id_uscc", uscc_for(31337))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/enterprises/{ent_east.pk}/")
    assert page.get_by_test_id("enterprise-name").inner_text() == "东湖智能装备集团有限公司"
    ent_east.refresh_from_db()
    assert (ent_east.uscc, ent_east.name) == (uscc_for(31337), "东湖智能装备集团有限公司")


@pytest.fixture
def jobs_inline(monkeypatch):
    """Run page jobs in the request thread: the in-memory shared-cache SQLite used by the
    live server locks whole tables, so a background writer thread would fail there."""
    from kechuang.core import views
    from kechuang.core.models import Job

    def run_now(job, target):
        result = target(lambda done, total: None)
        Job.objects.filter(pk=job.pk).update(status="done", result=result)

    monkeypatch.setattr(views, "run_in_background", run_now)


def test_import_page_dry_run_shows_errors_then_good_file_imports(page, people, tmp_path,
                                                                 jobs_inline):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_bytes(HEADERS, [
        [uscc_for(880001), "浏览器导入科技有限公司", "东湖街道", "C3511", "2018-01-01"],
        [uscc_for(880002), "浏览器导入二号有限公司", "东湖街道", "C99", "2018-01-01"],
    ]))
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes(HEADERS, [
        [uscc_for(880001), "浏览器导入科技有限公司", "东湖街道", "C3511", "2018-01-01"],
        [uscc_for(880002), "浏览器导入二号有限公司", "西山街道", "I6510", "2019-02-03"],
    ]))
    login(page, "keyuan", TEST_PASSWORD)
    page.goto("/enterprises/import/")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="预检（不写入）").click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for(timeout=60_000)
    assert "发现 1 处错误，未写入任何数据" in errors.inner_text()
    cells = page.locator("table").first.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["3", "行业代码", "行业代码“C99”不存在：大类99不属于门类C"]
    assert not Enterprise.objects.filter(name__startswith="浏览器导入").exists()
    page.goto("/enterprises/import/")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="导入", exact=True).click()
    ok = page.get_by_test_id("import-ok")
    ok.wait_for(timeout=60_000)
    assert "导入完成：共 2 行，新增 2 条，更新 0 条。" in ok.inner_text()
    assert Enterprise.objects.filter(name__startswith="浏览器导入").count() == 2


def test_portal_demand_form_takes_a_suggested_field_with_one_click(page, people, regions, staff,
                                                                    settings, tmp_path):
    """推荐技术领域 lists fields from the text typed so far; clicking one selects it."""
    from kechuang.matching import classifier
    from kechuang.matching.tests.factories import field_training_items, make_achievements

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    classifier._cache.clear()
    make_achievements(staff, regions.east, field_training_items())
    classifier.train_from_records()
    try:
        login(page, "qiye", TEST_PASSWORD)
        page.goto("/portal/post/demand/")
        page.fill("[name=title]", "印染废水处理工艺")
        page.fill("[name=description]", "我厂印染废水化学需氧量超标，想找膜生物反应器处理工艺。")
        assert page.locator("select[name=field]").input_value() == ""
        page.get_by_role("button", name="推荐技术领域").click()
        first = page.locator("#field-suggestion [data-kc-field]").first
        assert first.get_attribute("data-kc-field") == "07"
        first.click()
        assert page.locator("select[name=field]").input_value() == "07"
        assert first.get_attribute("aria-pressed") == "true"
    finally:
        classifier._cache.clear()
