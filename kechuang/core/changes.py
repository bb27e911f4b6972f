"""Change notifications: services announce "record X of kind K changed" after commit.

Domain apps do not import the apps that react to their records (search indexing, caches);
they call ``notify_on_commit(kind, pk)`` and the reacting app subscribes in its ``ready``.
Subscribers must not raise into the caller; failures are theirs to log.
"""

from collections.abc import Callable

from django.db import transaction

Subscriber = Callable[[str, int], None]
_subscribers: list[Subscriber] = []


def subscribe(fn: Subscriber) -> None:
    if fn not in _subscribers:
        _subscribers.append(fn)


def notify(kind: str, pk: int) -> None:
    for fn in _subscribers.copy():  # a snapshot: a subscriber may subscribe another
        fn(kind, pk)


def notify_on_commit(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: notify(kind, pk))
