"""core.changes: notifications after commit, one call per batch."""

from django.db import transaction

from kechuang.core import changes


def test_batch_is_delivered_once_after_commit(transactional_db, monkeypatch):
    seen = []
    monkeypatch.setattr(changes, "_subscribers", [lambda kind, pks: seen.append((kind, pks))])
    with transaction.atomic():
        changes.notify_many_on_commit("enterprise_data", [3, 1, 2])
        changes.notify_on_commit("enterprise", 7)
        changes.notify_many_on_commit("enterprise_data", [])  # nothing to say
        assert seen == []  # not before the commit
    assert seen == [("enterprise_data", [3, 1, 2]), ("enterprise", [7])]


def test_rolled_back_changes_are_not_announced(transactional_db, monkeypatch):
    seen = []
    monkeypatch.setattr(changes, "_subscribers", [lambda kind, pks: seen.append((kind, pks))])
    try:
        with transaction.atomic():
            changes.notify_many_on_commit("enterprise_data", [1])
            raise RuntimeError
    except RuntimeError:
        pass
    assert seen == []
