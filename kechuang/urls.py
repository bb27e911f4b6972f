"""Root URLs: each kechuang app's ``urls`` and ``api.urls`` modules are included if present."""

import importlib.util

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("kechuang.core.urls")),
    path("accounts/", include("kechuang.accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

for _config in apps.get_app_configs():
    if not _config.name.startswith("kechuang.") or _config.label in {"core", "accounts"}:
        continue
    if importlib.util.find_spec(f"{_config.name}.urls") is not None:
        urlpatterns.append(path(f"{_config.label}/", include(f"{_config.name}.urls")))
    if importlib.util.find_spec(f"{_config.name}.api") is not None and importlib.util.find_spec(
        f"{_config.name}.api.urls"
    ) is not None:
        urlpatterns.append(path(f"api/{_config.label}/", include(f"{_config.name}.api.urls")))
