"""Every workflow's table of moves agrees with its services, read from the source.

Each listed move names a service that exists; each move() call in a services module sits in a
listed service (or a helper only listed services call) and moves to a target the table gives that
service. A service that starts making a new move fails here until the table lists it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import cegah
from cegah.workflow.transitions import InvalidTransition, Workflow, move


def _workflows() -> list[Workflow]:  # type: ignore[type-arg]
    found = []
    for info in pkgutil.iter_modules(cegah.__path__):
        try:
            module = importlib.import_module(f"cegah.{info.name}.workflows")
        except ModuleNotFoundError:
            continue
        found += [v for v in vars(module).values() if isinstance(v, Workflow)]
    return found


WORKFLOWS = _workflows()


def test_the_workflows_of_mcp_and_wbs_are_found() -> None:
    assert {w.name for w in WORKFLOWS} >= {"mcp.answer", "wbs.report"}


def _calls_to_move(module: ModuleType) -> list[tuple[str, ast.Call]]:
    """(enclosing top-level function, call) for each move(...) in the module."""
    tree = ast.parse(inspect.getsource(module))
    found = []
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "move":
                found.append((function.name, node))
    return found


def _callers(module: ModuleType, helper: str) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    return {
        function.name
        for function in tree.body
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == helper
    }


def _targets(node: ast.expr, module: ModuleType) -> set[str] | None:
    """The states a `to=` expression can name, or None when only known at run time."""
    if isinstance(node, ast.IfExp):
        body, orelse = _targets(node.body, module), _targets(node.orelse, module)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.Attribute | ast.Constant):
        return {str(eval(compile(ast.Expression(node), "<to>", "eval"), vars(module)))}  # noqa: S307
    return None


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_listed_move_has_its_service(workflow) -> None:
    module = importlib.import_module(workflow.services_module)
    for m in workflow.moves:
        assert callable(getattr(module, m.service, None)), (m, workflow.services_module)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_move_a_service_makes_is_listed_for_it(workflow) -> None:
    module = importlib.import_module(workflow.services_module)
    listed = {m.service for m in workflow.moves}
    calls = [
        (function, call)
        for function, call in _calls_to_move(module)
        if any(
            k.arg == "workflow" and getattr(k.value, "id", "") == _name_in(module, workflow)
            for k in call.keywords
        )
    ]
    assert calls, f"{workflow.services_module} never calls move() with {workflow.name}"
    for function, call in calls:
        services = {function} if function in listed else _callers(module, function)
        assert services and services <= listed, (function, services - listed)
        to = next(k.value for k in call.keywords if k.arg == "to")
        targets = _targets(to, module)
        for service in services:
            allowed = {m.target for m in workflow.moves if m.service == service}
            if targets is not None:
                assert targets <= allowed, (service, targets - allowed)


def _name_in(module: ModuleType, workflow: Workflow) -> str:  # type: ignore[type-arg]
    return next(name for name, value in vars(module).items() if value is workflow)


@pytest.mark.django_db
def test_a_move_outside_its_listed_service_is_refused(world) -> None:
    from django.db import transaction

    from cegah.wbs.models import Report
    from cegah.wbs.workflows import REPORT

    report = Report(state="received")
    with pytest.raises(InvalidTransition), transaction.atomic():
        # This test is not report_transition: the table gives it no move.
        move(workflow=REPORT, obj=report, to="verifying", actor=None, locked=True)


def test_move_runs_only_inside_a_transaction() -> None:
    from cegah.wbs.models import Report
    from cegah.wbs.workflows import REPORT

    with pytest.raises(RuntimeError, match="transaction"):
        move(workflow=REPORT, obj=Report(state="received"), to="verifying", actor=None)


def test_a_table_naming_a_state_the_model_does_not_have_is_refused() -> None:
    from cegah.wbs.models import Report
    from cegah.workflow.transitions import Move

    with pytest.raises(ValueError, match="not choices"):
        Workflow(
            name="x", model=Report, services_module="x", moves=(Move("received", "lost", "f"),)
        )
