"""The demo district framework behind ``kechuang demo [--reset]``.

Each app may ship ``<app>/demo.py`` with ``DEMO_ORDER = <int>`` and ``def build(ctx) -> None``.
``build_demo`` discovers them, runs them in ``DEMO_ORDER`` inside one transaction with one
deterministic random generator (``random.Random(2020)``), bound to a request context whose
channel is ``"demo"`` so every audit row written says where it came from. Builders write
through services (or their bulk paths, which keep audit rows); the actor is the system (None).

The demo is fictional (no real enterprise or person names) and its records end on
``DEMO_TODAY`` (2020-09-30, the day the seed's figures were taken).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import transaction

from kechuang.core import context

SEED = 2020
DEMO_TODAY = dt.date(2020, 9, 30)
FIRST_YEAR = 2016
LAST_YEAR = 2020
FULL_ENTERPRISES = 3000


@dataclass(frozen=True)
class DemoLogin:
    """A demo account, printed by ``make run`` and listed in the README."""

    role: str
    username: str
    password: str
    note: str = ""


@dataclass
class DemoContext:
    """What builders share: the random generator, scale, regions, users, and free data."""

    rng: random.Random
    scale: float = 1.0
    actor: Any = None  # the system
    today: dt.date = DEMO_TODAY
    regions: dict[str, Any] = field(default_factory=dict)  # code → Region
    users: dict[str, Any] = field(default_factory=dict)  # username → User
    data: dict[str, Any] = field(default_factory=dict)  # free-form hand-over between builders
    log: Callable[[str], None] = print

    @property
    def home(self):
        """The home district (区) the platform serves."""
        return self.data["home_district"]


def demo_modules() -> list[ModuleType]:
    """``<app>.demo`` modules of kechuang's apps, in ``DEMO_ORDER`` (then app order)."""
    found: list[tuple[int, int, ModuleType]] = []
    for index, config in enumerate(apps.get_app_configs()):
        if not config.name.startswith("kechuang.") or config.label == "core":
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "build"):
            found.append((getattr(module, "DEMO_ORDER", 1000), index, module))
    return [m for _, _, m in sorted(found, key=lambda t: (t[0], t[1]))]


def demo_logins() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    for module in demo_modules():
        logins.extend(getattr(module, "LOGINS", ()))
    return logins


def is_loaded() -> bool:
    from kechuang.regions.models import Region

    return Region.objects.filter(is_home=True).exists()


def build_demo(*, scale: float = 1.0, log: Callable[[str], None] = print,
               only: Iterable[str] | None = None) -> DemoContext:
    """Build the demo district in one transaction; returns the context used.

    ``only`` limits the builders to those apps (labels), e.g. for a test of one app's builder
    (its dependencies must be listed too: ``regions``, ``accounts``, ``enterprises``…).
    """
    ctx = DemoContext(rng=random.Random(SEED), scale=scale, log=log)
    modules = demo_modules()
    if only is not None:
        wanted = set(only)
        modules = [m for m in modules if m.__name__.rsplit(".", 2)[-2] in wanted]
    request = context.RequestContext(request_id=context.new_request_id(), channel="demo")
    with context.bind(request), transaction.atomic():
        for module in modules:
            started = time.monotonic()
            module.build(ctx)
            label = module.__name__.rsplit(".", 2)[-2]
            log(f"  {label}: {time.monotonic() - started:.1f}秒")
    return ctx
