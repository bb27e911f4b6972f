"""Test settings: ``from .settings import *`` plus overrides for speed and isolation."""

import os

from .settings import *  # noqa: F403
from .settings import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One search-index directory per pytest-xdist worker, so parallel tests never share one.
SEARCH_INDEX_DIR = VAR_DIR / f"test-search-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
AXES_ENABLED = True
