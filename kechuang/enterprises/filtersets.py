"""One FilterSet per model, shared by the list page, the API and exports."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from kechuang.core.filtering import SearchFilter, text_variants
from kechuang.regions.models import Region

from . import industry
from .choices import CertificationKind, CertificationStatus
from .models import AnnualIndicator, Certification, Enterprise

_SELECT = {"class": "form-select form-select-sm"}
_TEXT = {"class": "form-control form-control-sm"}


_region_options: dict = {}


def region_options() -> dict[str, tuple[str, str]]:
    """``{str(id): (name, path)}`` of the home district and its 街道/园区, in tree order.

    Read on every list request (choices and the filter), so kept per process and keyed by
    the list version, which every write to ``regions_region`` moves (migration 0003); read
    afresh inside a transaction, where that counter may not have moved yet.
    """
    from .views import list_version

    if connection.in_atomic_block:
        return _load_region_options()
    version = list_version()
    cached = _region_options.get("value")
    if cached is None or cached[0] != version:
        cached = (version, _load_region_options())
        _region_options["value"] = cached
    return cached[1]


def _load_region_options() -> dict[str, tuple[str, str]]:
    home = Region.objects.filter(is_home=True).order_by("path").values_list("path", flat=True)
    prefix = next(iter(home), "")
    rows = Region.objects.filter(kind__in=["district", "subdistrict", "park"],
                                 path__startswith=prefix).order_by("path")
    return {str(pk): (name, path) for pk, name, path in rows.values_list("pk", "name", "path")}


def _region_choices():
    return [(pk, name) for pk, (name, _path) in region_options().items()]


def search_q(text: str) -> Q:
    """Name, pinyin, initials or 统一社会信用代码, as typed or in its simplified-character,
    half-width form (``text_variants``: "東湖" or "ＤＯＮＧＨＵ" finds 东湖…)."""
    text = text.strip()
    if not text:
        return Q()
    q = Q()
    for variant in text_variants(text):
        q |= _variant_q(variant)
    return q


def _variant_q(text: str) -> Q:
    lowered = text.lower().replace(" ", "")
    q = Q(name__icontains=text) | Q(uscc__startswith=text.upper())
    ascii_terms = lowered.isascii() and lowered.isalnum()
    if ascii_terms:
        q |= Q(name_pinyin__contains=lowered) | Q(name_initials__startswith=lowered)
    candidates = _fts_candidates(text, lowered if ascii_terms else None)
    return q if candidates is None else Q(pk__in=candidates) & q


_FTS_SQL = "SELECT rowid FROM enterprises_enterprise_search WHERE {} LIKE %s"


def _fts_candidates(text: str, lowered: str | None):
    """SQLite: the ids the FTS5 trigram index (migration 0004) finds for the same LIKE
    patterns — a superset of the matches (its case folding is wider), narrowed by the exact
    conditions above. None (scan) where the index cannot serve the pattern: other databases
    (PostgreSQL has trigram indexes), fewer than 3 characters, or LIKE wildcards in the text;
    also all-digit text, a code prefix that can match most of the district (the index would
    then verify every row; the scan is cheaper).
    """
    if (connection.vendor != "sqlite" or len(text) < 3 or text.isdigit()
            or any(c in text for c in "%_\\")):
        return None
    parts = [(_FTS_SQL.format("name"), f"%{text}%"),
             (_FTS_SQL.format("uscc"), f"{text.upper()}%")]
    if lowered is not None:
        if len(lowered) < 3:
            return None
        parts += [(_FTS_SQL.format("name_pinyin"), f"%{lowered}%"),
                  (_FTS_SQL.format("name_initials"), f"{lowered}%")]
    return RawSQL(" UNION ".join(sql for sql, _ in parts), [p for _, p in parts])


class EnterpriseFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        method="filter_search", label="搜索",
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": "名称/拼音/首字母/代码"}))
    region = django_filters.ChoiceFilter(
        choices=_region_choices, method="filter_region", label="区域",
        widget=forms.Select(attrs=_SELECT),
    )
    industry = django_filters.ChoiceFilter(
        choices=sorted(industry.SECTIONS.items()), method="filter_industry", label="行业门类",
        widget=forms.Select(attrs=_SELECT),
    )
    industry_code = django_filters.CharFilter("industry_code", "startswith", label="行业代码",
                                              widget=forms.TextInput(attrs=_TEXT))
    certification = django_filters.ChoiceFilter(
        choices=CertificationKind.choices, method="filter_certification", label="资质",
        widget=forms.Select(attrs=_SELECT),
    )
    year = django_filters.NumberFilter(method="filter_noop", label="年度",
                                       widget=forms.NumberInput(attrs=_TEXT))
    above_scale = django_filters.BooleanFilter(
        method="filter_above_scale", label="规上工业",
        widget=forms.Select(attrs=_SELECT, choices=[("", "全部"), ("true", "是"),
                                                    ("false", "否")]),
    )
    is_active = django_filters.BooleanFilter(
        label="存续", widget=forms.Select(attrs=_SELECT, choices=[("", "全部"), ("true", "是"),
                                                                  ("false", "否")]))

    class Meta:
        model = Enterprise
        fields = ()

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_region(self, queryset, name, value):
        option = region_options().get(str(value))
        return queryset.filter(region__path__startswith=option[1]) if option else queryset.none()

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry_code__startswith=value)

    def filter_noop(self, queryset, name, value):
        return queryset  # used by certification / above_scale

    def _year(self):
        value = self.form.cleaned_data.get("year") if hasattr(self.form, "cleaned_data") else None
        return int(value) if value else None

    # The certification and 规上 filters are uncorrelated ``pk IN (SELECT enterprise_id …)``
    # subqueries over covering indexes (migration 0002), computed once per query rather than
    # probed once per enterprise as a correlated EXISTS; the rows are the same.
    def filter_certification(self, queryset, name, value):
        certs = Certification.objects.filter(kind=value, status=CertificationStatus.GRANTED)
        year = self._year()
        if year:
            certs = certs.filter(year__lte=year).filter(
                Q(valid_until__isnull=True) | Q(valid_until__year__gte=year))
        return queryset.filter(pk__in=certs.values("enterprise_id"))

    def filter_above_scale(self, queryset, name, value):
        rows = AnnualIndicator.objects.filter(is_above_scale_industrial=True)
        year = self._year()
        if year:
            rows = rows.filter(year=year)
        ids = rows.values("enterprise_id")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class AnnualIndicatorFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="企业", widget=forms.TextInput(attrs=_TEXT))
    year = django_filters.NumberFilter(label="年度", widget=forms.NumberInput(attrs=_TEXT))
    above_scale = django_filters.BooleanFilter(
        "is_above_scale_industrial", label="规上工业",
        widget=forms.Select(attrs=_SELECT, choices=[("", "全部"), ("true", "是"),
                                                    ("false", "否")]))

    class Meta:
        model = AnnualIndicator
        fields = ()

    def filter_search(self, queryset, name, value):
        ids = Enterprise.objects.filter(search_q(value)).values("pk")
        return queryset.filter(enterprise__in=ids)


class CertificationFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="企业", widget=forms.TextInput(attrs=_TEXT))
    kind = django_filters.ChoiceFilter(choices=CertificationKind.choices, label="类别",
                                       widget=forms.Select(attrs=_SELECT))
    status = django_filters.ChoiceFilter(choices=CertificationStatus.choices, label="状态",
                                         widget=forms.Select(attrs=_SELECT))
    year = django_filters.NumberFilter(label="年度", widget=forms.NumberInput(attrs=_TEXT))

    class Meta:
        model = Certification
        fields = ()

    def filter_search(self, queryset, name, value):
        ids = Enterprise.objects.filter(search_q(value)).values("pk")
        return queryset.filter(enterprise__in=ids)
