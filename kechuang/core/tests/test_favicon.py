"""The site icon: linked from every page, and /favicon.ico (asked for by browsers on their own)
redirects to it instead of answering 404."""

import pytest
from django.contrib.staticfiles import finders


def test_favicon_ico_redirects_to_the_svg_icon(client):
    resp = client.get("/favicon.ico")
    assert (resp.status_code, resp["Location"]) == (301, "/static/kechuang/favicon.svg")
    path = finders.find("kechuang/favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as fh:
        assert fh.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')


@pytest.mark.django_db
def test_pages_link_the_icon(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/kechuang/favicon.svg" type="image/svg+xml">' in body
