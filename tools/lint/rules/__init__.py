"""Rule registry: every module in this package is one rule.

A rule module defines

* ``id``: kebab-case, stable (used in directives, ``--rule``/``--exclude`` and reports);
* ``severity``: ``"error"`` for locking, rewrite, data-loss and transaction mistakes,
  ``"warning"`` for type taste and robustness advice;
* ``category``: ``locking`` | ``rewrite`` | ``breaking`` | ``transaction`` | ``destructive`` |
  ``data`` | ``taste`` (``destructive`` rules are expected on a plan's down steps, ``taste`` rules
  are advice; see plan.py);
* ``message``: the one-line finding; ``why``: why it is dangerous; ``safe_rewrite``: the safe pattern;
* ``dialects``: the dialects it applies to (default: PostgreSQL only);
* optionally ``statements``: the parse-tree node class names it looks at (``{"AlterTableStmt"}``);
  the engine then calls it only for those, which is most of the linter's speed on big files;
* ``check(ctx)``: yields ``ctx.hit(...)`` for the statement in ``ctx.stmt``;
* optionally ``check_end(ctx)``: called once after the last statement (``ctx.stmt`` is None).

Modules are discovered, not listed, so adding a rule is adding a file (plus its test).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from migsmith.tools.lint.model import DIALECTS

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CATEGORIES = ("locking", "rewrite", "breaking", "transaction", "destructive", "data", "taste")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    category: str
    message: str
    why: str
    safe_rewrite: str
    dialects: frozenset[str]
    check: Callable[[Any], Iterator[Any]]
    check_end: Callable[[Any], Iterator[Any]] | None
    module: str
    statements: frozenset[str] | None = None  # node class names; None = every statement


def _load(module: ModuleType) -> Rule:
    name = module.__name__
    try:
        rule = Rule(
            id=module.id,
            severity=module.severity,
            category=module.category,
            message=module.message,
            why=" ".join(module.why.split()),
            safe_rewrite=module.safe_rewrite.strip("\n"),
            dialects=frozenset(getattr(module, "dialects", {"postgres"})),
            check=module.check,
            check_end=getattr(module, "check_end", None),
            module=name,
            statements=frozenset(module.statements) if hasattr(module, "statements") else None,
        )
    except AttributeError as exc:  # a half-written rule module must not pass silently
        raise RuntimeError(f"lint rule module {name} is missing {exc.name!r}") from None
    problems = []
    if not _ID.match(rule.id):
        problems.append(f"id {rule.id!r} is not kebab-case")
    if rule.severity not in ("error", "warning"):
        problems.append(f"severity {rule.severity!r}")
    if rule.category not in CATEGORIES:
        problems.append(f"category {rule.category!r}")
    if not rule.dialects <= set(DIALECTS):
        problems.append(f"dialects {sorted(rule.dialects)}")
    if "\n" in rule.message.strip():
        problems.append("message is not one line")
    if problems:
        raise RuntimeError(f"lint rule module {name}: " + ", ".join(problems))
    return rule


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, keyed by id, in a stable order (module name)."""
    rules: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        rule = _load(importlib.import_module(f"{__name__}.{info.name}"))
        if rule.id in rules:
            raise RuntimeError(f"duplicate lint rule id {rule.id!r} ({rules[rule.id].module}, {rule.module})")
        rules[rule.id] = rule
    return rules


def ids_in(category: str) -> frozenset[str]:
    return frozenset(r.id for r in all_rules().values() if r.category == category)


def rules_for(dialect: str) -> list[Rule]:
    return [r for r in all_rules().values() if dialect in r.dialects]
