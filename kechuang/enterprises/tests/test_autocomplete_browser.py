"""Browser test of the enterprise autocomplete (Playwright + Debian's Chromium; skipped with
the reason printed when Chromium is missing)."""

import pytest
from playwright.sync_api import expect

from kechuang.core.testing import EnterpriseFactory
from kechuang.core.testing.browser import login
from kechuang.core.testing.factories import TEST_PASSWORD
from kechuang.demands.models import TechDemand

pytestmark = pytest.mark.browser


def test_pick_an_enterprise_by_initials_and_save_a_demand(page, transactional_db, regions,
                                                          staff, ent_east, ent_west):
    EnterpriseFactory(name="东湖智慧能源有限公司", region=regions.east, industry_code="D4411")
    login(page, "keyuan", TEST_PASSWORD)
    page.goto("/demands/add/")
    search = page.locator("#id_enterprise")
    options = page.locator("[data-kc-ac-option]")
    search.focus()  # focusing lists the first matches of the user's scope
    expect(options).to_have_count(3)
    search.fill("dhzn")
    expect(options).to_have_text([f"东湖智能装备有限公司（{ent_east.uscc}）"])
    options.first.click()
    assert page.locator("input[name=enterprise]").input_value() == str(ent_east.pk)
    assert search.input_value() == f"东湖智能装备有限公司（{ent_east.uscc}）"
    expect(options).to_have_count(0)  # the list closed

    search.fill("dhz")  # typing again clears the choice until an option is picked
    expect(options).to_have_count(2)
    assert page.locator("input[name=enterprise]").input_value() == ""
    options.filter(has_text="东湖智能装备").click()
    assert page.locator("input[name=enterprise]").input_value() == str(ent_east.pk)

    page.fill("#id_title", "印染废水处理")
    page.fill("#id_description", "印染废水化学需氧量超标，需要处理工艺和设备。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/demands/*/")
    assert TechDemand.objects.get().enterprise_id == ent_east.pk
