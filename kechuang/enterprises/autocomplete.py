"""Autocomplete source for enterprise pickers (demand, visit, contract, carrier forms)."""

from kechuang.core.autocomplete import Source, register

from .filtersets import search_q
from .models import Enterprise

ENTERPRISES = register(Source(
    name="enterprises",
    permission="enterprises.view_enterprise",
    queryset=lambda user: Enterprise.objects.restrict(user, "view"),
    search=search_q,
    label=lambda e: f"{e.name}（{e.uscc}）",
    ordering=("name", "pk"),
    only=("pk", "name", "uscc"),
    placeholder="输入企业名称、拼音、首字母或信用代码",
))
