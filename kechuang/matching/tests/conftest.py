import pytest

from kechuang.matching import classifier, search


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    """Each test gets its own empty search index directory."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    search.forget()
    classifier._cache.clear()
    yield settings.SEARCH_INDEX_DIR
    search.forget()
