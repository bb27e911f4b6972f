"""A kechuang command run before ``migrate`` says so in Chinese instead of a traceback, and
leaves the (empty) database as it found it."""

import os
import sqlite3
import subprocess
import sys

import pytest

from kechuang.core.management.base import unapplied_migrations


def _kechuang(tmp_path, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
           "KECHUANG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kechuang.settings"}
    return subprocess.run(
        [sys.executable, "-m", "kechuang", *args], env=env, capture_output=True, text=True,
        timeout=120, check=False, cwd=tmp_path,
    )


def _tables(path):
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("select name from sqlite_master where type = 'table'")]


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("stats", "--year", "2020"),
    ("rebuild_index",),
    ("export", "enterprises", "x.xlsx"),
    ("assess", "--uscc", "91350100M000100Y43", "--scheme", "tech-sme"),
])
def test_command_on_an_unmigrated_database_asks_for_migrate(tmp_path, args):
    result = _kechuang(tmp_path, *args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "数据库尚未初始化或需要升级" in result.stderr
    assert "请先运行 kechuang migrate" in result.stderr
    assert _tables(tmp_path / "empty.sqlite3") == []
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.django_db
def test_a_migrated_test_database_has_nothing_pending():
    assert unapplied_migrations() == 0
