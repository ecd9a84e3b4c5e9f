"""The MCP server: typed, described tools that run like the CLI, paths kept inside its root."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path):
    """A project folder to serve: the example schema in db/."""
    (tmp_path / "db").mkdir()
    shutil.copy(ROOT / "examples" / "schema.sql", tmp_path / "db" / "schema.sql")
    return tmp_path


def test_mcp_tools_plan_and_errors(app):
    pytest.importorskip("mcp")
    from mcp.server.mcpserver.exceptions import ToolError

    from migsmith.commands.mcp import build_server

    server = build_server(app)
    names = {t.name for t in asyncio.run(server.list_tools())}
    assert names == {"plan", "verify", "lint", "inspect_schema"}
    result = asyncio.run(server.call_tool("plan", {
        "schema": "db/schema.sql", "out": "p", "model": "offline",
        "request": "Users query by email is slow, we need an index", "verify": False}))
    data = json.loads(result.content[0].text)
    assert data["strategy"] == "additive" and data["steps"][0]["phase"] == "expand"
    assert data["out"] == str(app / "p") and (app / "p" / "PLAN.md").is_file()
    with pytest.raises(ToolError, match="contains SQL"):
        asyncio.run(server.call_tool("plan", {
            "schema": "db/schema.sql", "out": "q", "model": "offline",
            "request": "add column x; drop table users", "verify": False}))
    assert not (app / "q").exists()


def _resolve(schema: dict, node: dict) -> dict:
    """Follow local $refs (and a nullable anyOf) to the definition they name."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        else:
            return node


def test_mcp_session_spec_schema_then_a_spec_object_comes_back_as_a_verified_plan(app):
    """Over stdio with the mcp client: the plan tool's spec input is the ChangeSpec schema that
    `migsmith spec-schema` prints; an example spec from it, submitted as an object, returns a
    plan that went up, down and up again on a shadow database."""
    pytest.importorskip("mcp")
    import subprocess
    import sys

    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    printed = json.loads(subprocess.run(
        [sys.executable, "-m", "migsmith", "spec-schema"], cwd=ROOT, capture_output=True,
        text=True, check=True).stdout)
    spec = next(e for e in printed["examples"] if e["operations"][0]["op"] == "add_column")

    async def session():
        params = StdioServerParameters(command=sys.executable, args=["-m", "migsmith", "mcp"],
                                       cwd=str(app))
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            tools = {t.name: t for t in (await client.list_tools()).tools}
            result = await client.call_tool("plan", {
                "schema": "db/schema.sql", "out": "plan", "spec": spec})
            return tools["plan"].input_schema, result

    input_schema, result = asyncio.run(session())
    offered = _resolve(input_schema, input_schema["properties"]["spec"])
    assert offered["properties"].keys() == printed["properties"].keys()
    assert offered["required"] == printed["required"] == ["operations"]
    assert input_schema["$defs"]["AddColumn"] == printed["$defs"]["AddColumn"]
    assert not result.is_error, result.content[0].text
    data = json.loads(result.content[0].text)
    assert [s["title"] for s in data["steps"]] == ["add column users.email_verified"]
    assert data["verified"] is True, data["verification"]
    assert (app / "plan" / "PLAN.md").is_file()


def test_mcp_plan_takes_exactly_one_of_request_spec_and_spec_file(app):
    pytest.importorskip("mcp")
    from mcp.server.mcpserver.exceptions import ToolError

    from migsmith.commands.mcp import build_server

    with pytest.raises(ToolError, match="exactly one of request, spec or spec_file"):
        asyncio.run(build_server(app).call_tool("plan", {
            "schema": "db/schema.sql", "out": "p",
            "request": "index users.email",
            "spec": {"operations": [{"op": "add_index", "table": "users", "columns": ["email"]}]}}))


def test_a_whole_conversation_through_the_mcp_client(app, tmp_path_factory):
    """initialize, list the tools, inspect the schema, plan (short result, files inside the
    root, then the SQL on request), verify the plan, lint it, and the errors an assistant
    meets: an unknown table, a path outside the root, an existing plan, a missing file."""
    pytest.importorskip("mcp")
    import sys

    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    from migsmith import __version__

    outside = tmp_path_factory.mktemp("elsewhere")
    calls = [
        ("inspect_schema", {"schema": "db/schema.sql"}),
        ("inspect_schema", {"schema": "db/schema.sql", "table": "posts"}),
        ("inspect_schema", {"schema": "db/schema.sql", "table": "postz"}),
        ("plan", {"schema": "db/schema.sql", "out": "migrations/rename", "model": "offline",
                  "request": "rename created to created_at in posts"}),
        ("plan", {"schema": "db/schema.sql", "out": "migrations/index", "model": "offline",
                  "request": "index users.email", "verify": False, "include_sql": True}),
        ("verify", {"plan_dir": "migrations/rename", "schema": "db/schema.sql"}),
        ("lint", {"files": ["migrations/rename"]}),
        ("plan", {"schema": "db/schema.sql", "out": str(outside / "p"), "model": "offline",
                  "request": "index users.email", "verify": False}),
        ("plan", {"schema": "../db/schema.sql", "out": "p", "request": "index users.email"}),
        ("plan", {"schema": "db/schema.sql", "out": "migrations/index", "model": "offline",
                  "request": "index users.email", "verify": False}),
        ("plan", {"schema": "db/schema.sql", "out": "p", "spec_file": "specs/nope.json"}),
    ]

    async def conversation():
        params = StdioServerParameters(command=sys.executable, cwd=str(ROOT),
                                       args=["-m", "migsmith", "mcp", "--root", str(app)])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            init = await client.initialize()
            tools = (await client.list_tools()).tools
            return init, tools, [await client.call_tool(name, args) for name, args in calls]

    init, tools, results = asyncio.run(conversation())
    assert init.server_info.name == "migsmith" and init.server_info.version == __version__
    assert str(app) in init.instructions
    by_name = {t.name: t for t in tools}
    assert set(by_name) == {"plan", "verify", "lint", "inspect_schema"}
    for tool in tools:
        assert tool.description and tool.output_schema, tool.name
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), (tool.name, name)
    plan_props = by_name["plan"].input_schema["properties"]
    assert _resolve(by_name["plan"].input_schema, plan_props["dialect"])["enum"] == [
        "postgres", "mysql", "sqlite"]
    assert plan_props["model"]["enum"] == ["auto", "offline", "anthropic"]

    tables, posts, unknown, planned, with_sql, verified, linted, *errors = results
    listed = json.loads(tables.content[0].text)
    assert {t["name"] for t in listed["tables"]} >= {"users", "posts", "comments"}
    detail = json.loads(posts.content[0].text)["tables"][0]
    assert {"name": "created", "type": "timestamp without time zone", "nullable": False,
            "default": "now()"} in detail["columns"]
    assert unknown.is_error and "did you mean 'posts'" in unknown.content[0].text

    assert not planned.is_error, planned.content[0].text
    assert len(planned.content[0].text) < 12_000  # the summary, the steps, the paths: not the SQL
    plan = json.loads(planned.content[0].text)
    assert plan["verified"] is True and "verified" in plan["summary"]
    assert plan["out"] == str(app / "migrations" / "rename")
    assert Path(plan["plan_md"]).is_file()
    for step in plan["steps"]:
        assert step["up_sql"] is None and Path(step["up_file"]).is_file()
        assert Path(step["up_file"]).parent == app / "migrations" / "rename"
    assert any(lock.startswith("AccessExclusiveLock on posts") for lock in plan["steps"][0]["locks"])
    sql = json.loads(with_sql.content[0].text)["steps"][0]
    assert "CREATE INDEX CONCURRENTLY" in sql["up_sql"] and "DROP INDEX" in sql["down_sql"]

    check = json.loads(verified.content[0].text)
    assert check["ok"] is True and check["server"].startswith("PostgreSQL ") and not check["problems"]
    lint = json.loads(linted.content[0].text)
    assert lint["summary"] and all(f["file"].startswith("migrations/rename/") for f in lint["results"])

    outside_out, outside_schema, existing, missing = errors
    for result in errors:
        assert result.is_error
        text = result.content[0].text
        assert "\n" not in text.strip() and "│" not in text and "╰" not in text, text
    assert "is outside the server's root" in outside_out.content[0].text
    assert not (outside / "p").exists()
    assert "'../db/schema.sql' is outside the server's root" in outside_schema.content[0].text
    assert "refusing to overwrite existing file" in existing.content[0].text
    assert "specs/nope.json" in missing.content[0].text
