"""Error pages speak Chinese (Django's built-in ones are English), and the API answers JSON."""

import json

import pytest
from django.test import RequestFactory

from kechuang.core import error_pages

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_chinese_404(staff, client_for):
    resp = client_for(staff).get("/no-such-page/")
    body = resp.content.decode()
    assert resp.status_code == 404
    assert "<h1 class=\"h4\">页面不存在</h1>" in body
    assert "Not Found" not in body


def test_unknown_api_address_is_json(staff, client_for):
    resp = client_for(staff).get("/api/no-such-endpoint/")
    assert (resp.status_code, resp["Content-Type"]) == (404, "application/json")
    assert json.loads(resp.content) == {"detail": "接口地址不存在"}


def test_a_denied_page_is_a_chinese_403(ent_user, client_for):
    resp = client_for(ent_user).get("/matching/rebuild/")
    body = resp.content.decode()
    assert resp.status_code == 403
    assert "<h1 class=\"h4\">没有权限</h1>" in body
    assert "Forbidden" not in body


@pytest.mark.parametrize(("path", "expected"), [
    ("/enterprises/", "系统错误"),
    ("/api/enterprises/enterprises/", '{"detail": "服务器内部错误，已记录日志"}'),
])
def test_server_error_page(path, expected):
    resp = error_pages.server_error(RequestFactory().get(path))
    assert resp.status_code == 500
    assert expected in resp.content.decode()
    assert "Server Error" not in resp.content.decode()
