"""Case files: the shipped ones load, and bad ones are reported with file, case and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from migsmith.evals.case import CaseFileError, load_case_file, load_cases
from migsmith.evals.runner import RunConfig, run_suite


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_cases_load_and_cover_the_brief():
    cases = load_cases()
    assert len(cases) >= 80
    dialects = {c.dialect for c in cases}
    assert dialects == {"postgres", "mysql", "sqlite"}
    kinds = {k for c in cases for k in c.kinds()}
    # every kind of change the seed document's strategy section lists
    for kind in ("create_table", "add_column", "add_index", "add_check_constraint",
                 "add_foreign_key", "drop_column", "drop_table", "alter_column_type",
                 "set_not_null", "rename_column", "rename_table", "refused"):
        assert kind in kinds, kind
    assert sum("doc" in c.tags for c in cases) >= 7


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "cases:\n  - id: a\n    request: [unclosed\n")
    with pytest.raises(CaseFileError) as exc:
        load_case_file(path)
    assert str(path) in str(exc.value) and "line" in str(exc.value)


def test_missing_field_names_file_case_and_field(tmp_path):
    path = write(tmp_path, """
cases:
  - id: fine
    request: "add a text column bio to users"
    schema: examples/schema.sql
    expect: {properties: {strategy: additive}}
  - id: no-schema
    request: "add a text column bio to users"
    expect: {properties: {strategy: additive}}
""")
    with pytest.raises(CaseFileError) as exc:
        load_case_file(path)
    msg = str(exc.value)
    assert str(path) in msg and "case 2 (no-schema)" in msg and "schema" in msg


def test_unknown_field_and_unknown_property_are_named(tmp_path):
    path = write(tmp_path, """
cases:
  - id: typo
    request: "x"
    schema: examples/schema.sql
    expcet: {}
""")
    with pytest.raises(CaseFileError, match=r"case 1 \(typo\): field 'expcet'"):
        load_case_file(path)
    path = write(tmp_path, """
cases:
  - id: prop
    request: "x"
    schema: examples/schema.sql
    expect: {properties: {index_concurent_own_step: true}}
""", "b.yaml")
    with pytest.raises(CaseFileError, match=r"expect.properties.index_concurent_own_step"):
        load_case_file(path)


def test_duplicate_ids_across_files(tmp_path):
    body = """
cases:
  - id: same
    spec: evals/specs/doc_users_email_index.json
    schema: examples/schema.sql
    expect: {properties: {strategy: additive}}
"""
    write(tmp_path, body, "a.yaml")
    write(tmp_path, body, "b.yaml")
    with pytest.raises(CaseFileError, match="used twice"):
        load_cases("*.yaml", base=tmp_path)


def test_missing_schema_file_is_that_cases_error_and_others_still_run(tmp_path):
    write(tmp_path, """
defaults:
  schema: examples/schema.sql
cases:
  - id: missing-schema
    spec: evals/specs/doc_users_email_index.json
    schema: evals/schemas/does_not_exist.sql
    expect: {properties: {strategy: additive}}
  - id: good
    spec: evals/specs/doc_users_email_index.json
    expect: {properties: {strategy: additive, index_concurrent_own_step: true}}
""")
    cases = load_cases("*.yaml", base=tmp_path)
    suite = run_suite(cases, RunConfig(), jobs=2)
    by_id = {c.id: c for c in suite.cases}
    assert by_id["missing-schema"].status == "error"
    assert "schema file not found: evals/schemas/does_not_exist.sql" in by_id["missing-schema"].error
    assert by_id["good"].status == "pass"
    assert suite.score == 50.0


def test_a_crashing_case_does_not_stop_the_others(tmp_path, monkeypatch):
    import migsmith.tools.planning.planner as planner

    real = planner.build_plan

    def build_plan(spec, schema, **kw):
        if spec.name == "add_users_email_index":
            raise RuntimeError("boom")
        return real(spec, schema, **kw)

    monkeypatch.setattr(planner, "build_plan", build_plan)
    write(tmp_path, """
defaults:
  schema: examples/schema.sql
cases:
  - id: crashes
    spec: evals/specs/doc_users_email_index.json
    expect: {properties: {strategy: additive}}
  - id: survives
    spec: evals/specs/doc_rename_created.json
    expect: {properties: {strategy: expand_contract}}
""")
    suite = run_suite(load_cases("*.yaml", base=tmp_path), RunConfig(), jobs=1)
    by_id = {c.id: c for c in suite.cases}
    assert by_id["crashes"].status == "error" and "RuntimeError: boom" in by_id["crashes"].error
    assert by_id["survives"].status == "pass", by_id["survives"].error


def test_unavailable_dialect_is_an_error_not_a_crash(tmp_path, monkeypatch):
    from migsmith.tools import dialects

    monkeypatch.setitem(dialects.REGISTRY, "sqlite", "migsmith.tools.dialects.nowhere:X")
    dialects.get_dialect.cache_clear()  # dialect objects are cached per process
    write(tmp_path, """
cases:
  - id: sqlite-missing
    dialect: sqlite
    spec: evals/specs/doc_users_email_index.json
    schema_ddl: "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);"
    expect: {properties: {strategy: additive}}
""")
    suite = run_suite(load_cases("*.yaml", base=tmp_path), RunConfig(), jobs=1)
    case = suite.cases[0]
    dialects.get_dialect.cache_clear()  # do not leave the broken registry's result cached
    assert case.status == "error"
    assert "not available yet" in case.error


def test_the_agents_request_set_loads_as_spec_only_cases(tmp_path):
    from migsmith.evals.case import load_request_cases

    cases = load_request_cases()
    assert len(cases) >= 50
    assert all(c.id.startswith("req-") and not c.plan and "requests" in c.tags for c in cases)
    assert any(c.expect.refused for c in cases) and any(c.expect.operations for c in cases)
    (tmp_path / "x.jsonl").write_text(
        '{"id": "a", "request": "add a text column b to users", "schema": "examples/schema.sql",'
        ' "expected": {"operations": [{"op": "add_column", "table": "users"}]}}\n'
        '{"id": "b", "request": "x", "schema": "examples/schema.sql"}\n')
    with pytest.raises(CaseFileError, match=r"x.jsonl:2: field 'expected'"):
        load_request_cases(base=tmp_path)
    (tmp_path / "x.jsonl").write_text(
        '{"id": "a", "request": "add a text column b to users", "schema": "examples/schema.sql",'
        ' "expected": {"operations": [{"op": "add_column", "table": "users"}]}}\n')
    suite = run_suite(load_request_cases(base=tmp_path), RunConfig(), jobs=1)
    result = suite.cases[0]
    assert result.status == "pass" and result.steps is None  # judged at the spec, no plan
    assert [g["name"] for g in result.grades] == ["spec_match"]


def test_a_hanging_case_times_out_and_the_others_finish(tmp_path, monkeypatch):
    import time as _time

    import migsmith.tools.planning.planner as planner

    real = planner.build_plan

    def build_plan(spec, schema, **kw):
        if spec.name == "add_users_email_index":
            _time.sleep(30)
        return real(spec, schema, **kw)

    monkeypatch.setattr(planner, "build_plan", build_plan)
    write(tmp_path, """
defaults:
  schema: examples/schema.sql
cases:
  - id: hangs
    spec: evals/specs/doc_users_email_index.json
    expect: {properties: {strategy: additive}}
  - id: finishes
    spec: evals/specs/doc_rename_created.json
    expect: {properties: {strategy: expand_contract}}
""")
    started = _time.perf_counter()
    suite = run_suite(load_cases("*.yaml", base=tmp_path), RunConfig(timeout_s=1.0), jobs=1)
    assert _time.perf_counter() - started < 20
    by_id = {c.id: c for c in suite.cases}
    assert by_id["hangs"].status == "error" and "timed out after 1 s" in by_id["hangs"].error
    assert by_id["finishes"].status == "pass"
