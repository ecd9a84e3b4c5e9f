"""The MCP server lists plan/verify/lint and runs plan like the CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_mcp_tools_plan_and_errors(tmp_path, monkeypatch):
    pytest.importorskip("mcp")
    from mcp.server.mcpserver.exceptions import ToolError

    from migsmith.commands.mcp import build_server

    monkeypatch.chdir(ROOT)
    server = build_server()
    names = {t.name for t in asyncio.run(server.list_tools())}
    assert names == {"plan", "verify", "lint"}
    result = asyncio.run(server.call_tool("plan", {
        "schema": "examples/schema.sql", "out": str(tmp_path / "p"), "model": "offline",
        "request": "Users query by email is slow, we need an index", "verify": False}))
    data = json.loads(result.content[0].text)
    assert data["strategy"] == "additive" and data["steps"][0]["phase"] == "expand"
    with pytest.raises(ToolError, match="contains SQL"):
        asyncio.run(server.call_tool("plan", {
            "schema": "examples/schema.sql", "out": str(tmp_path / "q"), "model": "offline",
            "request": "add column x; drop table users", "verify": False}))
    assert not (tmp_path / "q").exists()


def _resolve(schema: dict, node: dict) -> dict:
    """Follow local $refs (and a nullable anyOf) to the definition they name."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        else:
            return node


def test_mcp_session_spec_schema_then_a_spec_object_comes_back_as_a_verified_plan(tmp_path):
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
                                       cwd=str(ROOT))
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            tools = {t.name: t for t in (await client.list_tools()).tools}
            result = await client.call_tool("plan", {
                "schema": "examples/schema.sql", "out": str(tmp_path / "plan"), "spec": spec})
            return tools["plan"].input_schema, result

    input_schema, result = asyncio.run(session())
    offered = _resolve(input_schema, input_schema["properties"]["spec"])
    assert offered["properties"].keys() == printed["properties"].keys()
    assert offered["required"] == printed["required"] == ["operations"]
    assert input_schema["$defs"]["AddColumn"] == printed["$defs"]["AddColumn"]
    assert not result.is_error, result.content[0].text
    data = json.loads(result.content[0].text)
    assert [op["op"] for op in data["spec"]["operations"]] == ["add_column"]
    assert data["verification"]["ok"] is True, data["verification"]
    assert (tmp_path / "plan" / "PLAN.md").is_file()


def test_mcp_plan_takes_exactly_one_of_request_spec_and_spec_file(tmp_path, monkeypatch):
    pytest.importorskip("mcp")
    from mcp.server.mcpserver.exceptions import ToolError

    from migsmith.commands.mcp import build_server

    monkeypatch.chdir(ROOT)
    with pytest.raises(ToolError, match="exactly one of request, spec or spec_file"):
        asyncio.run(build_server().call_tool("plan", {
            "schema": "examples/schema.sql", "out": str(tmp_path / "p"),
            "request": "index users.email",
            "spec": {"operations": [{"op": "add_index", "table": "users", "columns": ["email"]}]}}))
