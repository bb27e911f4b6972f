"""``next`` parameters never send a user off the site."""

import pytest
from django.test import RequestFactory

from kechuang.core.redirects import redirect_next


@pytest.mark.parametrize(("_case", "target", "expected"), [
    ("same site path", "/portal/review/", "/portal/review/"),
    ("other host", "https://evil.example/", "/fallback/"),
    ("scheme-relative", "//evil.example/x", "/fallback/"),
    ("javascript", "javascript:alert(1)", "/fallback/"),
    ("empty", "", "/fallback/"),
])
def test_redirect_next(_case, target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert redirect_next(request, "/fallback/")["Location"] == expected
