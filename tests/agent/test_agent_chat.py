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
