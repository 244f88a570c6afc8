"""One write path (issue 6): no service writes a document's fields with a raw queryset ``.update()``
beside the kernel, nor those of a flow-driven row without a number (a ``workflow.FlowRecord``: the
support requests, the contract register). Fields that go with a state change go through ``transition(..., values=...)``,
edits through ``document_update`` / ``versioned_write``: one write, one audit event.

A ``save()`` of an existing document or flow record outside the kernel is refused when it runs
(``workflow.models.kernel_write``; ``workflow/tests/test_write_path.py``). The scan reads every
app's services (``services.py`` and ``services/*.py``) with ``ast``, follows
each ``<receiver>.update(...)`` call back to the name its receiver starts from (through plain
assignments in the same function), and fails when that name is a ``workflow.Document`` or
``workflow.FlowRecord`` subclass.
"""

import ast
import importlib
import inspect
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps

from salesops.workflow.models import Document, FlowRecord

# Modules allowed to update documents' rows directly, each with its reason.
ALLOWED = {
    # The kernel itself: versioned_write is the one versioned writer every edit goes through.
    "salesops.workflow.services": "the kernel's own writer",
}


def service_modules() -> list[str]:
    names = []
    for config in apps.get_app_configs():
        if not config.name.startswith("salesops."):
            continue
        root = Path(config.path)
        if (root / "services.py").exists():
            names.append(f"{config.name}.services")
        if (root / "services").is_dir():
            names += [
                f"{config.name}.services.{path.stem}"
                for path in sorted((root / "services").glob("*.py"))
                if path.stem != "__init__"
            ]
    return names


def _base_name(node: ast.AST) -> str | None:
    """The name a chain such as ``Quotation.objects.filter(pk=1)`` starts from."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def _assignments(function: ast.AST) -> dict[str, ast.AST]:
    found: dict[str, ast.AST] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
    return found


def document_updates(source: str, namespace: dict) -> list[tuple[int, str]]:
    """``(line, model name)`` of every ``.update(...)`` or ``.bulk_update(...)`` on a queryset of a
    Document or FlowRecord subclass."""
    tree = ast.parse(source)
    hits = []
    scopes: list[ast.AST] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    scopes = scopes or [tree]
    seen: set[int] = set()
    for scope in scopes:
        assigned = _assignments(scope)
        for node in ast.walk(scope):
            if id(node) in seen:
                continue
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("update", "bulk_update")
            ):
                continue
            seen.add(id(node))
            name = _base_name(node.func.value)
            hops = 0
            while name in assigned and hops < 10:  # ``rows = Model.objects.filter(...)``; ``rows.update(...)``
                name = _base_name(assigned.pop(name))
                hops += 1
            target = namespace.get(name or "")
            if inspect.isclass(target) and issubclass(target, Document | FlowRecord):
                hits.append((node.lineno, target.__name__))
    return hits


def _scan(module: ModuleType) -> list[tuple[int, str]]:
    return document_updates(inspect.getsource(module), vars(module))


@pytest.mark.parametrize("name", service_modules())
def test_no_service_updates_a_document_beside_the_kernel(name):
    if name in ALLOWED:
        pytest.skip(ALLOWED[name])
    module = importlib.import_module(name)
    assert _scan(module) == [], f"{name} writes documents with a raw .update(): use transition(values=...)"


def test_the_scan_finds_services_in_every_app_with_documents():
    names = service_modules()
    assert "salesops.deals.services.quotations" in names
    assert "salesops.expenses.services" in names


def test_the_scan_catches_a_raw_update_directly_and_through_a_variable():
    from salesops.deals.models import ContractRegister, Quotation, SupportRequest
    from salesops.workflow.models import Notification

    source = """
def bad(pk):
    Quotation.objects.filter(pk=pk).update(issued_at=None)

def also_bad(pk):
    rows = Quotation.objects.filter(pk=pk)
    rows.update(outcome_note="x")

def bad_too(pk):
    SupportRequest.objects.filter(pk=pk).update(state="answered")
    registers = ContractRegister.objects.filter(pk=pk)
    registers.update(submitted_at=None)

def bulk(rows):
    Quotation.objects.bulk_update(rows, ["outcome_note"])

def fine(pk, values):
    Notification.objects.filter(pk=pk).update(read_at=None)
    values.update({"a": 1})
"""
    namespace = {
        "Quotation": Quotation,
        "SupportRequest": SupportRequest,
        "ContractRegister": ContractRegister,
        "Notification": Notification,
    }

    assert document_updates(source, namespace) == [
        (3, "Quotation"),
        (7, "Quotation"),
        (10, "SupportRequest"),
        (12, "ContractRegister"),
        (15, "Quotation"),
    ]
