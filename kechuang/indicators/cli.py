"""Shared argument handling for the catalogue's commands (``stats``, ``report``)."""

import datetime as dt

from django.core.management.base import CommandError

from kechuang.regions.models import Region


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为YYYY-MM-DD：{text}") from exc


def resolve_region(code: str | None):
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(f"区划代码“{code}”不存在")
    return region


def resolve_user(username: str | None):
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    return user


def add_scope_arguments(parser) -> None:
    parser.add_argument("--region", help="区划代码（默认全区）")
    parser.add_argument("--as-user", dest="as_user",
                        help="按该用户的数据权限统计（默认不限，即全区）")
