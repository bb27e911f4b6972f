"""Root URLs: each kechuang app's ``urls`` and ``api.urls`` modules are included if present."""

import importlib.util

from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

handler404 = "kechuang.core.error_pages.page_not_found"
handler403 = "kechuang.core.error_pages.permission_denied"
handler500 = "kechuang.core.error_pages.server_error"

urlpatterns = [
    # browsers ask for /favicon.ico by themselves (pages link the SVG icon)
    path("favicon.ico", login_not_required(
        RedirectView.as_view(url=static("kechuang/favicon.svg"), permanent=True))),
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
