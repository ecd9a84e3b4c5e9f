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
