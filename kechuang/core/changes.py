"""Change notifications: services announce "records of kind K changed" after commit.

Domain apps do not import the apps that react to their records (search indexing, caches);
they call ``notify_on_commit(kind, pk)`` — or ``notify_many_on_commit(kind, pks)`` for a
batch such as an import, so a subscriber can answer a batch with one statement — and the
reacting app subscribes in its ``ready``. A subscriber receives ``(kind, pks)``, a list.
Subscribers must not raise into the caller; failures are theirs to log.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

Subscriber = Callable[[str, list[int]], None]
_subscribers: list[Subscriber] = []


def subscribe(fn: Subscriber) -> None:
    if fn not in _subscribers:
        _subscribers.append(fn)


def notify(kind: str, pks: Iterable[int]) -> None:
    pks = list(pks)
    if not pks:
        return
    for fn in _subscribers.copy():  # a snapshot: a subscriber may subscribe another
        fn(kind, pks)


def notify_on_commit(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: notify(kind, [pk]))


def notify_many_on_commit(kind: str, pks: Iterable[int]) -> None:
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: notify(kind, pks))
