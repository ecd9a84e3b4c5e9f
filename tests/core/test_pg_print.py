"""``pg_print.deparse`` prints exactly what ``pglast.stream.RawStream(special_functions=True)``
prints, for pglast's
trees and for pg_tree's, on every statement of the committed schema fixtures and of the
pinned PostgreSQL schema corpus files this machine has, and on the expression fragments in
them (what the DDL loader prints)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pglast import ast, parse_sql
from pglast.stream import RawStream

from migsmith.tools.lint.pg_tree import parse_sql as tree_parse_sql
from migsmith.tools.spec.expressions import _walk
from migsmith.tools.spec.pg_print import deparse

ROOT = Path(__file__).resolve().parents[2]
FRAGMENTS = (ast.A_Expr, ast.FuncCall, ast.TypeCast, ast.BoolExpr, ast.NullTest, ast.IndexElem,
             ast.PartitionBoundSpec, ast.A_Const, ast.SubLink, ast.CaseExpr)


def _files() -> list[Path]:
    files = [ROOT / "examples" / "schema.sql",
             ROOT / "tests" / "fixtures" / "realworld" / "pg_dump_style.sql"]
    try:
        from migsmith.evals.realworld import entries, locate

        files += [p for e in entries("schemas") if e["dialect"] == "postgres"
                  for p in [locate(e)] if p is not None]
    except (OSError, ValueError):
        pass
    return files


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_deparse_prints_what_rawstream_prints(path):
    text = path.read_text(encoding="utf-8")
    try:
        ours, theirs = parse_sql(text), tree_parse_sql(text)
    except Exception:  # noqa: BLE001 - a file pglast cannot read (PostgreSQL 18 syntax)
        pytest.skip(f"{path.name}: pglast does not parse it")
    compared = 0
    for raw, tree in zip(ours, theirs):
        expected = RawStream(special_functions=True)(raw.stmt)
        assert deparse(raw.stmt) == expected
        assert deparse(tree.stmt) == expected
        for node in _walk(raw.stmt):
            if isinstance(node, FRAGMENTS):
                assert deparse(node) == RawStream(special_functions=True)(node)
                compared += 1
    assert compared or len(ours) < 5
