"""Every API view has a Chinese name (OPTIONS ``name``, the browsable API's title)."""

import re

import pytest

from kechuang.core.testing.urls import api_views

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def test_the_walk_finds_every_kind_of_api_view():
    paths = {path for path, _view in api_views()}
    assert {"/api/demands/demands/", "/api/demands/demands/{pk}/", "/api/demands/",
            "/api/brokerage/candidates/{pk}/respond/", "/api/schema/"} <= paths
    assert len(paths) > 40


def test_options_names_every_api_view_in_chinese(bureau_admin, client_for):
    client = client_for(bureau_admin)
    names = {}
    for path, _view in api_views():
        response = client.options(path.replace("{pk}", "0"),
                                  HTTP_ACCEPT="application/json, application/vnd.oai."
                                              "openapi+json")
        assert response.status_code == 200, path
        names[path] = response.json()["name"]

    not_chinese = {path: name for path, name in names.items()
                   if not CJK.search(name) or LATIN.search(name)}
    assert not_chinese == {}


@pytest.mark.parametrize(("path", "name"), [
    ("/api/demands/demands/", "技术需求列表"),
    ("/api/demands/demands/0/", "技术需求详情"),
    ("/api/enterprises/indicators/", "年度指标列表"),
    ("/api/brokerage/candidates/0/respond/", "推送候选反馈"),
    ("/api/enterprises/", "企业库接口目录"),
    ("/api/schema/", "接口描述文档"),
], ids=lambda v: v if v.startswith("/") else "")
def test_options_name_examples(path, name, bureau_admin, client_for):
    response = client_for(bureau_admin).options(
        path, HTTP_ACCEPT="application/json, application/vnd.oai.openapi+json")
    assert response.json()["name"] == name


def test_the_browsable_api_shows_the_chinese_name(bureau_admin, client_for):
    response = client_for(bureau_admin).get("/api/demands/demands/", HTTP_ACCEPT="text/html")
    assert "技术需求列表" in response.content.decode()
