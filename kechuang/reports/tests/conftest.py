import pytest
from django.core.cache import cache

from kechuang.indicators.tests.conftest import data, other_districts  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_dashboard_cache():
    """Chart data is cached for five minutes; each test starts from its own records."""
    cache.clear()
    yield
    cache.clear()
