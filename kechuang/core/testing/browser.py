"""Playwright fixtures for browser tests (Debian's headless Chromium at /usr/bin/chromium).

Tests marked ``@pytest.mark.browser`` use ``page`` together with pytest-django's
``live_server`` and ``transactional_db``. Without Chromium they are skipped with a clear
reason; ``.ci/run`` installs it so CI always runs them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KECHUANG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SKIP_REASON = (f"浏览器测试已跳过：未找到 {CHROMIUM}（apt-get install -y chromium 后即可运行）")


def chromium_available() -> bool:
    return CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)


@pytest.fixture
def browser(monkeypatch):
    if not chromium_available():
        pytest.skip(SKIP_REASON)
    # Playwright's sync API runs an event loop in this thread; the test still uses the ORM.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                      headless=True)
        try:
            yield instance
        finally:
            instance.close()
            # ORM calls made while Playwright runs open their own connection (its sync API
            # switches greenlets, and Django keeps connections per context); close it here, or
            # on PostgreSQL the test database cannot be dropped at the end of the session
            # ("being accessed by other users")
            from django.db import connections

            connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def login(page, username: str, password: str) -> None:
    """Log in through the real login form and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
