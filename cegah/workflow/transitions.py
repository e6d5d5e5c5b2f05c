"""Written-down state machines: one table of allowed moves per workflow, one helper to make one.

A workflow's table lists every move as (from, to, the service that makes it). `move()` is the only
way a service changes a workflow's state: it checks the table (the calling service included),
locks the row, records the history row, audits, and hands notifications to after the commit.
A test reads every table and checks it against the services (cegah/workflow/tests).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from cegah.audit import services as audit
from cegah.core.errors import DomainError

M = TypeVar("M", bound=models.Model)


class InvalidTransition(DomainError):
    """The object is not in a state from which this act is allowed (said in the reader's words)."""


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    service: str  # the function, in the workflow's services module, that makes this move


@dataclass(frozen=True)
class Workflow(Generic[M]):
    name: str  # "mcp.answer"
    model: type[M]
    services_module: str  # where every listed service lives
    moves: tuple[Move, ...]
    state_field: str = "state"

    def __post_init__(self) -> None:
        states = set(self._choices())
        unknown = {s for m in self.moves for s in (m.source, m.target)} - states
        if unknown:
            raise ValueError(f"{self.name}: states {sorted(unknown)} are not choices of the model")

    def allowed(self, source: str, target: str, *, service: str | None = None) -> bool:
        return any(
            m.source == source and m.target == target and service in (None, m.service)
            for m in self.moves
        )

    def targets(self, source: str) -> set[str]:
        return {m.target for m in self.moves if m.source == source}

    def sources(self, target: str, *, service: str | None = None) -> set[str]:
        return {m.source for m in self.moves if m.target == target and service in (None, m.service)}

    def _choices(self) -> dict[str, Any]:
        field = self.model._meta.get_field(self.state_field)
        if not isinstance(field, models.Field):
            raise TypeError(f"{self.name}: {self.state_field} is not a field")
        return dict(field.choices or ())

    def label(self, state: str) -> str:
        return str(self._choices().get(state, state))

    def check(self, source: str, target: str, *, service: str) -> None:
        if not self.allowed(source, target, service=service):
            raise InvalidTransition(
                _("Tidak bisa dari status “%(from)s” ke “%(to)s”.")
                % {"from": self.label(source), "to": self.label(target)},
                code="state",
            )


def _calling_service(workflow: Workflow[Any]) -> str:
    """The listed service this move() runs in: the nearest caller in the workflow's services
    module whose name the table lists (private helpers between them are passed over). Read from
    the stack, not passed in, so a service cannot claim a move the table gives to another."""
    listed = {m.service for m in workflow.moves}
    frame = inspect.currentframe()
    while frame is not None:
        code = frame.f_code
        if frame.f_globals.get("__name__") == workflow.services_module and code.co_name in listed:
            return code.co_name
        frame = frame.f_back
    return ""


@dataclass(frozen=True)
class Moved(Generic[M]):
    obj: M
    source: str
    target: str


def move(
    *,
    workflow: Workflow[M],
    obj: M,
    to: str,
    actor: Any | None,
    history: Callable[[M, str], object] | None = None,
    audit_action: str | None = None,
    audit_data: dict[str, Any] | None = None,
    notify: Callable[[], None] | None = None,
    update_fields: Iterable[str] = (),
    locked: bool = False,
) -> Moved[M]:
    """Moves obj to `to`, saving `update_fields` with the state, inside the caller's transaction.

    `locked`: the caller already holds the row lock (select_for_update) and the state it read
    is current. `history(obj, source)` writes the workflow's history row. Without `audit_action`
    the caller audits itself (a bulk act writes its entries last, to hold the chain's head
    briefly: docs/subsystems/audit-chain.md).
    """
    service = _calling_service(workflow)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{workflow.name}: move() runs inside the service's transaction")
    name = workflow.state_field
    if not locked:
        current = (
            type(obj)
            ._default_manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list(name, flat=True)
            .get()
        )
        setattr(obj, name, current)
    source = str(getattr(obj, name))
    workflow.check(source, to, service=service)
    setattr(obj, name, to)
    obj.save(update_fields=[name, *update_fields])
    if history is not None:
        history(obj, source)
    if audit_action is not None:
        audit.record(
            actor=actor,
            action=audit_action,
            obj=obj,
            data={"from": source, "to": to, **(audit_data or {})},
        )
    if notify is not None:
        transaction.on_commit(notify)
    return Moved(obj, source, to)
