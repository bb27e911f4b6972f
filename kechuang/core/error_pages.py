"""Error pages: Chinese HTML for pages (templates ``400/403/404/500.html``), Chinese JSON for
the API (an unknown ``/api/…`` address answered the HTML page)."""

from django.http import JsonResponse
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "接口地址不存在"}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "您没有此操作的权限"}, status=403,
                            json_dumps_params={"ensure_ascii": False})
    return defaults.permission_denied(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "服务器内部错误，已记录日志"}, status=500,
                            json_dumps_params={"ensure_ascii": False})
    return defaults.server_error(request)
