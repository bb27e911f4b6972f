"""API base classes: permission by model action, restricted querysets, service-backed writes."""

import operator
import re
from functools import reduce

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, routers, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .api_permissions import ModelActionPermission, model_action
from .masking import MAX_REASON, REASON_PARAM, UNMASK_PARAM, reason_missing, reveal_personal


class RestrictedModelViewSet(viewsets.ModelViewSet):
    """Lists and objects through ``restrict``; writes through the subclass's services."""

    model = None
    # ``@action(..., model_action="change")`` for a custom action that is not the method's
    # default (POST → add); the permission check and ``restrict`` both use it.
    model_action: str | None = None

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        # DRF authenticates API clients itself and answers 401/403 instead of a login redirect.
        view.login_required = False
        return view

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user,
                                           model_action(self.request, self))


# The Chinese name of every API view: OPTIONS answers it as ``name`` and the browsable API
# shows it as the page title and in the breadcrumbs (DRF's ``VIEW_NAME_FUNCTION``; DRF's own
# derives "Tech Demand List" from the class name). A viewset's list and objects are named
# after its model ("技术需求列表", "技术需求详情"); an extra ``@action`` by its ``name``
# argument, which must be Chinese (``core/tests/test_api_names.py`` walks every view).
_SUFFIXES = {"List": "列表", "Instance": "详情"}


def view_name(view) -> str:
    model = getattr(view, "model", None)
    suffix = getattr(view, "suffix", None)
    if model is not None and suffix in _SUFFIXES:
        return f"{model._meta.verbose_name}{_SUFFIXES[suffix]}"
    if isinstance(view, routers.APIRootView):
        return _root_name(view)
    if isinstance(view, SpectacularAPIView):
        return "接口描述文档"
    name = getattr(view, "name", None)
    if name:
        return str(name)
    if model is not None:
        return str(model._meta.verbose_name)
    return "接口"


def _root_name(view) -> str:
    """An app's router root ("企业库接口目录"), named after the app of its first viewset."""
    for url_name in (getattr(view, "api_root_dict", None) or {}).values():
        try:
            model = getattr(resolve(reverse(url_name)).func.cls, "model", None)
        except (NoReverseMatch, Resolver404, AttributeError):
            continue
        if model is not None:
            return f"{model._meta.app_config.verbose_name}接口目录"
    return "接口目录"


# A reference to a row the requesting user may see (``restrict(user, scope_action)``), by
# primary key (``ScopedPrimaryKeyRelatedField``) or by natural key (``ScopedSlugRelatedField``,
# an enterprise by 统一社会信用代码). A key that names no row and one that names a row outside
# the user's scope get the same answer — 400 with ``not_found`` — so a write cannot probe which
# rows exist (it used to be 400 for one and 404/403 for the other). ``public`` is a ``Q`` of
# rows anyone may name (published achievements); the value the edited object already holds
# is accepted too (the user was shown it). ``key_error(value)`` returns a precise message for
# a malformed key (a wrong check character), which tells nothing about stored rows. The
# browsable API's form lists only the rows the user may name.
# (Comments, not docstrings: drf-spectacular would publish a docstring.)
class ScopedRelatedFieldMixin:

    def __init__(self, *, not_found: str, key_error=None, scope_action: str = "view",
                 public: Q | None = None, **kwargs):
        kwargs["error_messages"] = {"does_not_exist": not_found,
                                    **kwargs.get("error_messages", {})}
        self.key_error = key_error
        self.scope_action = scope_action
        self.public = public
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        allowed = queryset.restrict(user, self.scope_action)
        current = self._current_pk()
        extra = [q for q in (self.public, None if current is None else Q(pk=current))
                 if q is not None]
        if not extra:
            return allowed
        return queryset.filter(reduce(operator.or_, extra, Q(pk__in=allowed.values("pk"))))

    def _current_pk(self):
        instance = getattr(self.parent, "instance", None)
        if not isinstance(instance, models.Model) or len(self.source_attrs) != 1:
            return None
        try:
            field = instance._meta.get_field(self.source_attrs[0])
        except FieldDoesNotExist:
            return None
        return getattr(instance, field.attname, None) if field.many_to_one else None

    def to_internal_value(self, data):
        if self.key_error is not None and isinstance(data, str):
            message = self.key_error(data)
            if message:
                raise exceptions.ValidationError(message)
        return super().to_internal_value(data)


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    pass


PK_NOT_FOUND = "编号为{pk_value}的{noun}不存在或不在您的数据权限范围内"


# ``noun`` names the row in the message (default: the model's verbose name); a value of the
# wrong type (not a number) gets a Chinese message that says nothing about stored rows either.
class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin,
                                   serializers.PrimaryKeyRelatedField):

    def __init__(self, *, queryset, noun: str = "", **kwargs):
        noun = noun or str(queryset.model._meta.verbose_name)
        kwargs.setdefault("not_found", PK_NOT_FOUND.replace("{noun}", noun))
        kwargs["error_messages"] = {
            "incorrect_type": f"{noun}应填写记录编号（整数），收到的是{{data_type}}类型",
            **kwargs.get("error_messages", {})}
        super().__init__(queryset=queryset, **kwargs)


UNMASK_PARAMETER = OpenApiParameter(
    UNMASK_PARAM, OpenApiTypes.INT, OpenApiParameter.QUERY, required=False, enum=[1],
    description="传 1 时返回个人信息明文（手机号、证件号、电子邮箱、联系人姓名等）：仅限具有"
                "“查看个人信息明文”权限的用户，须同时以 reason 参数说明查看事由，每次调用都会"
                "记录访问日志（含事由）；无此权限时仍返回脱敏值（不报错）。列表和写操作的响应"
                "始终脱敏。",
)
REASON_PARAMETER = OpenApiParameter(
    REASON_PARAM, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
    description=f"查看个人信息明文的事由（与 unmask=1 同时使用时必填，最多{MAX_REASON}字），"
                "记入访问日志。",
)


# Masks ``personal_fields`` (``{field: mask function}``) in every representation unless the
# view put ``unmask_personal=True`` in the context (``PersonalDataViewSetMixin``). (Comments,
# not docstrings: drf-spectacular would publish a docstring as the API description.)
class PersonalDataSerializerMixin:

    personal_fields: dict = {}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("unmask_personal"):
            for name, mask in self.personal_fields.items():
                data[name] = mask(getattr(instance, name))
        return data


# Clear personal data only on a single-object GET with ``?unmask=1`` by a user holding
# ``personal_permission``; that response writes one ``view_personal`` record. Lists and write
# responses stay masked (the serializer's default).
class PersonalDataViewSetMixin:

    personal_permission = ""
    personal_message = "查看个人信息明文（接口）"

    @extend_schema(parameters=[UNMASK_PARAMETER, REASON_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if reason_missing(request, self.personal_permission):
            raise exceptions.ValidationError(
                {REASON_PARAM: ["查看个人信息明文须说明查看事由（reason 参数）"]})
        clear = reveal_personal(request, instance, self.personal_permission,
                                message=self.personal_message)
        context = {**self.get_serializer_context(), "unmask_personal": clear}
        return Response(self.get_serializer_class()(instance, context=context).data)


# DRF's JSON parser answers "JSON parse error - <Python's message>" in English; integrators get
# a Chinese message instead, with the position when Python's message gives one.
_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")


def _parse_error(exc: exceptions.ParseError) -> exceptions.ParseError:
    detail = str(exc.detail)
    if "JSON" not in detail:
        return exc
    where = _JSON_POSITION.search(detail)
    at = f"（第{where.group(1)}行第{where.group(2)}列附近）" if where else ""
    return exceptions.ParseError(f"请求内容不是合法的 JSON{at}，请检查格式与编码（UTF-8）")


def exception_handler(exc, context):
    if isinstance(exc, exceptions.ParseError):
        exc = _parse_error(exc)
    elif isinstance(exc, DjangoValidationError):
        # a service's record-level error (``__all__``) under the key DRF uses for its own
        detail = ({(api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): value
                   for key, value in exc.message_dict.items()} if hasattr(exc, "error_dict")
                  else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您没有此操作的权限")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("记录不存在或不在您的数据权限范围内")
    return drf_exception_handler(exc, context)


__all__ = ["PK_NOT_FOUND", "REASON_PARAMETER", "UNMASK_PARAMETER", "ModelActionPermission",
           "PersonalDataSerializerMixin", "PersonalDataViewSetMixin", "RestrictedModelViewSet",
           "ScopedPrimaryKeyRelatedField", "ScopedRelatedFieldMixin", "ScopedSlugRelatedField",
           "exception_handler", "view_name"]
