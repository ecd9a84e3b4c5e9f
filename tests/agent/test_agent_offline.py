"""The offline planner: the document's requests, safety, the request evals, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.agent.runner import attach_code_references, request_to_spec
from migsmith.tools.errors import SpecError
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]


def _ops(spec):
    return [op.model_dump(mode="json", exclude_none=True) for op in spec.operations]


def _doc(name):
    return _ops(parse_spec((ROOT / "evals" / "specs" / f"{name}.json").read_text()))


def test_document_rename_and_index_match_the_document_specs(schema):
    rename = request_to_spec("Rename 'created' column to 'created_at' in posts table", schema,
                             model="offline")
    index = request_to_spec("Users query by email is slow, we need an index", schema,
                            model="offline")
    assert _ops(rename.spec) == _doc("doc_rename_created")
    assert [{k: v for k, v in op.items() if k != "name"} for op in _ops(index.spec)] == \
        [{k: v for k, v in op.items() if k != "name"} for op in _doc("doc_users_email_index")]


def test_document_email_verified_is_a_not_null_false_flag(schema):
    result = request_to_spec("I need to add an email_verified column to users", schema,
                             model="offline")
    (op,) = result.spec.operations
    assert (op.op, op.table, op.column.name, op.column.type, op.column.nullable,
            op.column.default) == ("add_column", "users", "email_verified", "boolean", False, "false")
    assert "NOT NULL DEFAULT false" in result.note  # the assumption is said, not hidden


def test_offline_looks_then_submits(schema):
    result = request_to_spec("index comments.post_id", schema, model="offline")
    assert result.tool_calls == ["list_tables", "submit_change_spec"]
    assert result.turns == 2 and result.model == "offline"
    assert result.usage.input_tokens == 0


@pytest.mark.parametrize("request_text", [
    "users.legacy_avatar is unused",
    "clean up the users table",
    "posts.status is obsolete and nobody reads it",
    "we don't need comments anymore",
    "rename legacy_avatar to avatar_old in users",
])
def test_never_drops_what_was_not_asked_for(request_text, schema):
    try:
        result = request_to_spec(request_text, schema, model="offline")
    except SpecError:
        return
    assert not [op for op in result.spec.operations if op.op.startswith("drop")]


def test_ambiguity_is_asked_when_someone_can_answer(schema):
    questions = []

    def ask(q):
        questions.append(q)
        return "posts"

    result = request_to_spec("rename created to created_at", schema, model="offline", ask=ask)
    assert questions == ["Which table's 'created' do you mean: users, posts?"]
    assert _ops(result.spec) == _doc("doc_rename_created")
    assert result.tool_calls == ["list_tables", "ask_user", "submit_change_spec"]


def test_the_request_evals_score():
    from migsmith.agent.score import score

    results = score(ROOT / "evals" / "requests", "offline")
    failures = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert len(results) >= 50
    assert len(failures) <= len(results) // 20, failures  # at least 95%


def test_score_detects_a_wrong_expectation(tmp_path):
    from migsmith.agent.score import score

    (tmp_path / "x.jsonl").write_text(json.dumps({
        "id": "wrong", "request": "index comments.post_id", "schema": "examples/schema.sql",
        "dialect": "postgres",
        "expected": {"operations": [{"op": "add_index", "table": "comments",
                                     "columns": ["author_id"]}]}}) + "\n")
    (result,) = score(tmp_path, "offline")
    assert not result.passed and "post_id" in result.detail


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "migsmith", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_cli_plan_from_a_request(tmp_path):
    out = tmp_path / "plan"
    proc = _cli("plan", "rename posts.created to created_at", "--schema", "examples/schema.sql",
                "--out", str(out), "--no-verify", "--json", "--model", "offline")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["strategy"] == "expand_contract"
    assert data["agent"]["model"] == "offline" and data["agent"]["turns"] == 2
    assert (out / "PLAN.md").exists()


def test_cli_injection_writes_nothing(tmp_path):
    out = tmp_path / "plan"
    proc = _cli("plan", "add column x; drop table users", "--schema", "examples/schema.sql",
                "--out", str(out), "--no-verify", "--model", "offline")
    assert proc.returncode == 1
    assert "contains SQL" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_code_references_reach_the_plan(tmp_path, schema):
    repo = tmp_path / "repo"
    (repo / "app").mkdir(parents=True)
    (repo / "node_modules" / "lib").mkdir(parents=True)
    (repo / "app" / "models.py").write_text(
        "class Post(Base):\n    __tablename__ = 'posts'\n    created = Column(DateTime)\n")
    (repo / "app" / "report.sql").write_text("SELECT id, created FROM posts;\n")
    (repo / "app" / "unrelated.py").write_text("created = True  # nothing to do with posts?\n")
    (repo / "app" / "other.py").write_text("created = 1\n")
    (repo / "node_modules" / "lib" / "x.js").write_text("posts.created\n")
    (repo / "app" / "blob.bin").write_bytes(b"\0posts created")
    result = request_to_spec("rename posts.created to created_at", schema, model="offline",
                             code_path=repo)
    locs = sorted(r.location() for r in result.code_references)
    assert locs == ["app/models.py:3", "app/report.sql:1", "app/unrelated.py:1"]

    from migsmith.tools.planning.planner import build_plan

    plan = build_plan(result.spec, schema)
    attach_code_references(plan, result.code_references)
    refs = [ref for change in plan.code_changes for ref in change.references]
    assert sorted(refs) == locs


def test_find_code_references_tool_stays_inside_the_repository(tmp_path, schema):
    from migsmith.agent.model import ToolCall
    from migsmith.agent.tools import ToolContext, call_tool

    (tmp_path / "m.py").write_text("email = Column(Text)\n")
    ctx = ToolContext(schema=schema, request="", code_path=tmp_path)
    ok = call_tool(ctx, ToolCall("1", "find_code_references", {"identifier": "email"}))
    assert not ok.is_error and json.loads(ok.content)["references"] == ["m.py:1: email = Column(Text)"]
    escape = call_tool(ctx, ToolCall("2", "find_code_references",
                                     {"identifier": "root", "path": "../.."}))
    assert escape.is_error and "outside the repository" in escape.content


def test_word_salad_never_crashes_and_never_drops_unasked(schema):
    """Random requests from the planner's own vocabulary: a clear refusal or a spec, never a
    traceback, and a destructive operation only next to a removal word naming its target."""
    import random
    import re

    from migsmith.agent.guard import DESTRUCTIVE_OPS
    from migsmith.tools.errors import MigsmithError

    words = ("add drop remove delete rename index make set change create table column to in on "
             "of from users posts comments orgs email created created_at title views status body "
             "name id not null default unique check references it and also then where is true "
             "false 0 'x' \"y\" . , : ( ) bigint text boolean flag required nullable backfill "
             "with by per between -> = < > all primary key foreign constraint legacy_avatar user "
             "post org batches downtime fine posts_created_idx users_org_id_fkey we no longer "
             "need unused get rid of").split()
    rng = random.Random(7)
    specs = 0
    for _ in range(600):
        request = " ".join(rng.choice(words) for _ in range(rng.randint(1, 10)))
        try:
            result = request_to_spec(request, schema, model="offline")
        except MigsmithError:
            continue
        specs += 1
        for op in result.spec.operations:
            if op.op in DESTRUCTIVE_OPS:
                target = (op.column if op.op == "drop_column" else
                          op.table if op.op == "drop_table" else op.name)
                assert re.search(rf"\b(drop|remove|delete|rid of)\b.*\b{re.escape(target.split('.')[-1])}\b",
                                 request), (request, op)
    assert specs > 5  # the salad does produce some specs, so the check above ran


@pytest.mark.parametrize("request_text,refused", [
    ("add column x; drop table users", True),
    ("rename users.name to full_name; DROP TABLE posts", True),
    ("index users.email; delete from users", True),
    ("add a text column note to users -- and then drop everything", True),
    ("x; create or replace function f() returns int", True),
    ("legacy_avatar was replaced by the avatars service last year; drop it", False),
    ("order_items is a bad name; call it line_items instead", False),
])
def test_sql_guard_refuses_a_second_statement_not_a_semicolon(request_text, refused):
    from migsmith.agent.guard import check_request

    if refused:
        with pytest.raises(SpecError, match="contains SQL"):
            check_request(request_text)
    else:
        assert check_request(request_text) == request_text


@pytest.mark.parametrize("request_text, unplaced, form", [
    # each planned a spec that does less or other than asked before the accounting stage
    ("add a boolean archived to products, hidden from the storefront by default", "hidden", "add_column"),
    ("make orders.total not null, unless it is a draft", "unless", "set_not_null"),
    ("add an index on orders.customer_id, but not for cancelled orders", "not", "add_index"),
    ("add index on orders(placed_at) descending", "descending", "add_index"),
])
def test_a_word_left_unread_refuses_naming_it_with_the_spec_form(request_text, unplaced, form):
    from migsmith.agent.backends.offline import explain
    from migsmith.tools.schema import load_schema

    shop = load_schema(str(ROOT / "evals" / "requests" / "shop.sql"))
    with pytest.raises(SpecError) as refused:
        request_to_spec(request_text, shop, model="offline")
    assert f"could not place {unplaced!r}" in str(refused.value) or f"'{unplaced}'" in str(refused.value)
    assert f'"op": "{form}"' in str(refused.value)
    assert any(line.startswith("account: unplaced") and unplaced in line for line in explain(request_text, shop))


@pytest.mark.parametrize("request_text", [
    "add a text column nickname to users so that people can be greeted by name",  # a purpose
    "add a nullable text column nickname to users (we show it on profiles)",  # a remark in parentheses
    "make users.email not null, we never store users without one",  # a remark after a comma
])
def test_asides_and_purposes_are_accounted_for(request_text, schema):
    from migsmith.agent.backends.offline import explain

    result = request_to_spec(request_text, schema, model="offline")
    assert result.spec.operations
    assert any(line.startswith("account: every word") for line in explain(request_text, schema))
