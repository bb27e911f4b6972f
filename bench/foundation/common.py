"""Shared set-up for the foundation benchmarks: a throw-away database and the region tree."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out" / "foundation"
KECHUANG = ROOT / ".venv" / "bin" / "kechuang"
STREETS = [(f"3399010{i:02d}", f"基准街道{i}") for i in range(1, 13)]


def env_for(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["KECHUANG_VAR_DIR"] = str(OUT)
    env["DJANGO_SETTINGS_MODULE"] = "kechuang.settings"
    return env


def kechuang(env: dict, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(KECHUANG), *args], env=env, check=check, **kwargs)


def setup_django(database_url: str) -> None:
    os.environ.update(env_for(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_regions():
    """示例市 → 基准区 (home) → 12 streets; returns the street regions."""
    from kechuang.regions.models import Region

    city, _ = Region.objects.get_or_create(code="339900", defaults={"name": "示例市",
                                                                   "kind": "city"})
    district, _ = Region.objects.get_or_create(
        code="339901", defaults={"name": "基准区", "kind": "district", "parent": city,
                                 "is_home": True})
    streets = []
    for code, name in STREETS:
        region, _ = Region.objects.get_or_create(code=code, defaults={
            "name": name, "kind": "subdistrict", "parent": district})
        streets.append(region)
    return streets


NAME_WORDS = ["智能", "精密", "华创", "云帆", "星河", "恒远", "新材", "光电", "数联", "绿源",
              "博瑞", "致远", "天工", "海纳", "科睿", "中研", "微芯", "晶合", "青禾", "磐石"]
SUFFIXES = ["科技有限公司", "装备制造有限公司", "信息技术有限公司", "新材料股份有限公司",
            "生物医药有限公司", "电子有限公司"]
INDUSTRIES = ["C3511", "C3921", "C2710", "I6510", "I6520", "M7320", "C3841", "D4411",
              "B0610", "F5191", "C2929", "M7520"]


def company_name(i: int) -> str:
    a = NAME_WORDS[i % 20]
    b = NAME_WORDS[(i // 20) % 20]
    c = NAME_WORDS[(i // 400) % 20]
    return f"{a}{b}{c}{SUFFIXES[i % 6]}{i}"


def uscc(i: int) -> str:
    from kechuang.core.uscc import make_uscc

    return make_uscc(f"91339901{i:09d}")
