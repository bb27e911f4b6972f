"""Browser test of the 安全管理员's role assignment and lock pages (Playwright + Debian's
Chromium; skipped with the reason printed when Chromium is missing)."""

import pytest
from playwright.sync_api import expect

from kechuang.accounts.choices import RoleCode
from kechuang.accounts.models import Role, User
from kechuang.core.testing import make_user
from kechuang.core.testing.browser import login
from kechuang.core.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_security_admin_assigns_roles_and_locks(page, transactional_db, regions,
                                                security_admin):
    target = make_user(RoleCode.BROKER, region=regions.east, username="mubiao")
    login(page, "anquan", TEST_PASSWORD)
    page.get_by_role("button", name="安全管理").click()
    page.locator("#topnav").get_by_role("link", name="角色分配与账号锁定").click()
    page.get_by_role("link", name="mubiao").click()
    page.get_by_test_id("assign-roles").click()

    page.get_by_label("审计管理员").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-field=roles]")).to_have_text(
        "三员分立：审计管理员账号不能兼任其他角色（科技经纪人）")
    assert set(Role.objects.filter(group__user=target).values_list("code", flat=True)) == {
        "broker"}

    page.get_by_label("审计管理员").uncheck()
    page.get_by_label("科员").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/accounts/users/{target.pk}/")
    expect(page.get_by_role("alert")).to_have_text("角色已保存")
    assert set(Role.objects.filter(group__user=target).values_list("code", flat=True)) == {
        "broker", "staff"}

    page.get_by_label("锁定原因").fill("离岗")
    page.get_by_test_id("lock").click()
    expect(page.get_by_test_id("lock-status")).to_have_text("已锁定（安全管理员）")
    assert User.objects.get(pk=target.pk).is_locked is True
    page.get_by_test_id("unlock").click()
    expect(page.get_by_test_id("lock-status")).to_have_text("未锁定")
    assert User.objects.get(pk=target.pk).is_locked is False
