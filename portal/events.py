"""Domain events: what happened in one app, for the apps that react to it, without naming them.

A service calls `emit(NeedPublished(need_id=need.pk))` inside its transaction, once the change is
saved. The apps that react subscribe when they start (their AppConfig.ready), in one of two ways:

- `subscribe_task(EventType, task_name=..., dedup_key=..., delay_seconds=...)`, the usual way:
  `emit` writes one outbox message per subscriber in the emitting transaction, and the outbox runs
  the task after commit (never if the change rolls back; later if the broker is down). The task
  receives the event's fields as keyword arguments; `dedup_key` (formatted with them) debounces.
- `subscribe(EventType, handler)`: `handler(event)` runs at once, inside the emitting transaction.
  Only for a subscriber whose own rows must commit or roll back with the change, decided on the
  state the change produced — partners' webhook deliveries (who may hear of it is what each token
  can read through the API at that moment). A handler does no I/O: anything leaving the database
  goes through the outbox.

Events carry ids only (decision 0008: nothing personal in queued messages). docs/architecture.md
lists who emits and who subscribes; docs/decisions/0014 says why this shape.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from .outbox import outbox_enqueue


@dataclass(frozen=True)
class DomainEvent:
    name: ClassVar[str]

    @property
    def object_id(self) -> int | None:
        """The id of the object the event is about (its first field), None for an event about a set."""
        values = dataclasses.astuple(self)
        return values[0] if values else None


@dataclass(frozen=True)
class NeedChanged(DomainEvent):
    """A need's matching inputs changed (created, edited, published, closed, someone offered help)."""

    name: ClassVar[str] = "need.changed"
    need_id: int


@dataclass(frozen=True)
class NeedPublished(DomainEvent):
    name: ClassVar[str] = "need.published"
    need_id: int


@dataclass(frozen=True)
class NeedClosed(DomainEvent):
    """Closed, fulfilled or expired."""

    name: ClassVar[str] = "need.closed"
    need_id: int


@dataclass(frozen=True)
class ExpertChanged(DomainEvent):
    """An expert profile's matching inputs or consents changed (or it was erased)."""

    name: ClassVar[str] = "expert.changed"
    profile_id: int


@dataclass(frozen=True)
class InvestmentChanged(DomainEvent):
    """A diaspora project or a published investment opportunity changed."""

    name: ClassVar[str] = "investment.changed"


@dataclass(frozen=True)
class ProjectStatusChanged(DomainEvent):
    name: ClassVar[str] = "project.status_changed"
    project_id: int


@dataclass(frozen=True)
class MatchAccepted(DomainEvent):
    name: ClassVar[str] = "match.accepted"
    match_id: int


@dataclass(frozen=True)
class EngagementCompleted(DomainEvent):
    name: ClassVar[str] = "engagement.completed"
    engagement_id: int


@dataclass(frozen=True)
class _TaskSubscriber:
    task_name: str
    dedup_key: str
    delay_seconds: int

    def __call__(self, event: DomainEvent) -> None:
        kwargs = dataclasses.asdict(event)
        outbox_enqueue(
            task_name=self.task_name,
            kwargs=kwargs,
            dedup_key=self.dedup_key.format(**kwargs),
            delay_seconds=self.delay_seconds,
        )


_subscribers: dict[type[DomainEvent], list[Callable[[DomainEvent], object]]] = {}


def subscribe(event_type: type[DomainEvent], handler: Callable[[DomainEvent], object]) -> None:
    """Run `handler(event)` inside the emitting transaction (see the module's docstring: rare)."""
    handlers = _subscribers.setdefault(event_type, [])
    if handler not in handlers:  # ready() may run twice (tests that reload apps)
        handlers.append(handler)


def subscribe_task(
    event_type: type[DomainEvent], *, task_name: str, dedup_key: str = "", delay_seconds: int = 0
) -> None:
    """Run the task `task_name(**event fields)` through the outbox after the emitting transaction commits."""
    subscribe(event_type, _TaskSubscriber(task_name=task_name, dedup_key=dedup_key, delay_seconds=delay_seconds))


def subscribers(event_type: type[DomainEvent]) -> list[Callable[[DomainEvent], object]]:
    return list(_subscribers.get(event_type, ()))


def emit(event: DomainEvent) -> None:
    """Hand `event` to its subscribers, in the order they subscribed. Call it inside the service's
    transaction, after the change is saved: their outbox messages and rows commit with it."""
    if not isinstance(event, DomainEvent):
        raise TypeError(f"not a domain event: {event!r}")
    for handler in _subscribers.get(type(event), ()):
        handler(event)
