"""`migsmith chat` with piped input: a plan kept and refined across turns, then written."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from migsmith.agent.chat import ChatSession

ROOT = Path(__file__).resolve().parents[2]


def _session(schema, **kw):
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False)
    kw.setdefault("model", "offline")
    return ChatSession(schema=schema, console=console, **kw), buf


def test_amendments_keep_the_plan(schema, tmp_path):
    s, buf = _session(schema)
    s.handle("add a text column nickname to users")
    s.handle("also make it not null default ''")
    s.handle("use batches of 5000")
    s.handle("and index it")
    ops = s.spec.operations
    assert [op.op for op in ops] == ["add_column", "add_index"]
    assert (ops[0].column.nullable, ops[0].column.default) == (False, "''")
    assert s.spec.options.batch_size == 5000
    assert s.spec.description == "add a text column nickname to users"
    s.handle("undo")
    assert [op.op for op in s.spec.operations] == ["add_column"]
    s.handle("show me the down")
    assert 'DROP COLUMN IF EXISTS "nickname"' in buf.getvalue() or 'DROP COLUMN "nickname"' in buf.getvalue()
    s.handle(f"write it to {tmp_path / 'out'}")
    assert (tmp_path / "out" / "PLAN.md").exists()


def test_errors_keep_the_session_and_the_plan(schema):
    s, buf = _session(schema)
    s.handle("index comments.post_id")
    s.handle("frobnicate the widgets")
    s.handle("drop legacy_avatar from users")  # asked by name, but data loss is not allowed
    assert "does not read as a schema change" in buf.getvalue()
    assert "destroys data; refused" in buf.getvalue()
    assert [op.op for op in s.spec.operations] == ["add_index"]
    assert s.handle("quit") is False


def test_piped_chat_end_to_end(tmp_path):
    out = tmp_path / "plan"
    script = ("rename created to created_at\n"  # ambiguous: the next line answers
              "posts\n"
              "show me the down\n"
              "downtime is fine\n"
              f"write it to {out}\n"
              "quit\n")
    proc = subprocess.run([sys.executable, "-m", "migsmith", "chat", "--schema",
                           "examples/schema.sql", "--model", "offline"], input=script, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "? Which table's 'created' do you mean: users, posts?" in text
    assert "strategy: expand_contract" in text and "strategy: downtime" in text
    assert 'RENAME COLUMN "created_at" TO "created"' in text or "DROP TRIGGER" in text
    assert (out / "plan.json").exists() and "Traceback" not in proc.stderr


def test_chat_history_keeps_roles_alternating(schema):
    """The Messages API wants user and assistant turns to alternate, also across chat turns."""
    s, _ = _session(schema)
    s.handle("add a text column nickname to users")
    s.handle("and index it")
    roles = [m["role"] for m in s.history]
    assert all(a != b for a, b in zip(roles, roles[1:])), roles
    texts = [b["text"] for m in s.history if m["role"] == "user" and isinstance(m["content"], list)
             for b in m["content"] if b.get("type") == "text"]
    assert texts == ["and index it"]


def test_chat_with_the_anthropic_backend_sends_alternating_turns(schema):
    from agent_stand_in import StandIn, tool_use

    from migsmith.agent.backends.anthropic import AnthropicModel

    add = {"op": "add_column", "table": "users",
           "column": {"name": "nickname", "type": "text", "nullable": True}}
    script = [
        [tool_use("t1", "list_tables", {})],
        [tool_use("t2", "submit_change_spec", {"operations": [add]})],
        [tool_use("t3", "submit_change_spec", {"operations": [
            add, {"op": "add_index", "table": "users", "columns": ["nickname"]}]})],
    ]
    with StandIn(script) as stand_in:
        model = AnthropicModel("claude-sonnet-5-5", api_key="k", base_url=stand_in.url,
                               max_retries=0)
        s, _ = _session(schema, model=model)
        s.handle("add a text column nickname to users")
        s.handle("and index it")
    assert [op.op for op in s.spec.operations] == ["add_column", "add_index"]
    last = stand_in.requests[-1]["messages"]
    roles = [m["role"] for m in last]
    assert roles == ["user", "assistant", "user", "assistant", "user"]
    assert [b["type"] for b in last[-1]["content"]] == ["tool_result", "text"]


def test_questions_about_the_plan_are_answered_from_it(schema):
    s, buf = _session(schema)
    s.handle("rename created to created_at in posts")
    s.handle("what locks does step 8 take?")
    s.handle("the down of step 2")
    s.handle("deploy order")
    s.handle("show step 12")
    text = buf.getvalue()
    assert "Step 8 takes AccessExclusiveLock on posts: blocks reads and writes" in text
    assert "-- 2. backfill posts.created_at" in text and "(down)" in text
    order = text[text.index("1. add posts.created_at"):]
    assert order.index("deploy first: deploy code that reads and writes only created_at") < \
        order.index("8. drop the sync trigger")
    assert "the plan has no step 12 (steps 1-8)" in text and s.failed


def test_sql_is_printed_whole_at_any_width(schema):
    buf = io.StringIO()
    s = ChatSession(schema=schema, model="offline",
                    console=Console(file=buf, width=40, force_terminal=True, color_system=None))
    s.handle("rename created to created_at in posts")
    s.handle("show step 1")
    long_line = next(line for line in s.plan.steps[0].up_sql.splitlines() if len(line) > 40)
    assert long_line in buf.getvalue().splitlines()


def test_clear_keeps_the_undo_history_and_write_says_it_is_unverified(schema, tmp_path):
    s, buf = _session(schema)
    s.handle("index comments.post_id")
    s.handle("clear")
    assert s.plan is None and "undo brings the plan back" in buf.getvalue()
    s.handle("undo")
    assert [op.op for op in s.spec.operations] == ["add_index"]
    s.handle(f"write it to {tmp_path / 'p'}")  # no verify function: written, and said so
    assert "not verified: run `migsmith verify" in buf.getvalue()


def test_write_verifies_and_refuses_a_failed_plan(schema, tmp_path):
    failing = {"ok": False, "summary": "plan: FAILED (1 problem(s)): up step 1 failed"}
    s, buf = _session(schema, verify=lambda plan: failing)
    s.handle("index comments.post_id")
    s.handle(f"write it to {tmp_path / 'p'}")
    assert s.failed and not (tmp_path / "p").exists()
    assert "verification failed, nothing written" in buf.getvalue()
    s.handle(f"write it to {tmp_path / 'p'} anyway")
    assert not s.failed and "UNVERIFIED" in (tmp_path / "p" / "PLAN.md").read_text()


def test_piped_session_that_ends_in_an_error_exits_1(tmp_path):
    def run(script):
        return subprocess.run([sys.executable, "-m", "migsmith", "chat", "--schema",
                               "examples/schema.sql", "--model", "offline", "--no-verify"],
                              input=script, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert run("index comments.post_id\nfrobnicate the widgets\n").returncode == 1
    ok = run(f"frobnicate the widgets\nindex comments.post_id\nwrite it to {tmp_path / 'p'}\n")
    assert ok.returncode == 0, ok.stdout
