"""The MCP server's lint tool, through a real MCP client over stdio: a broken file comes back as
a syntax-error finding, a missing path as a tool error, a directory is walked."""

import json
import sys

import anyio
import pytest


async def _session_calls(cwd, calls):
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "migsmith", "mcp"], cwd=str(cwd))
    results = []
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for arguments in calls:
                results.append(await session.call_tool("lint", arguments))
    return results


def _findings(result):
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)["results"]


def test_lint_tool_reports_broken_missing_and_directory_inputs(tmp_path):
    pytest.importorskip("mcp")
    (tmp_path / "db" / "2024").mkdir(parents=True)
    (tmp_path / "db" / "2024" / "001_broken.sql").write_text("CREATE TABLE t (id bigint;\n")
    (tmp_path / "db" / "002_drop.sql").write_text("DROP TABLE users;\n")
    broken, missing, folder = anyio.run(_session_calls, tmp_path, [
        {"files": ["db/2024/001_broken.sql"]},
        {"files": ["db/002_drop.sql", "db/nope.sql"]},
        {"files": ["db"]},
    ])
    (finding,) = _findings(broken)
    assert (finding["rule_id"], finding["line"], finding["column"]) == ("syntax-error", 1, 26)
    assert "> 1 | CREATE TABLE t (id bigint;" in finding["frame"]
    assert missing.is_error and missing.content[0].text.strip().endswith(": db/nope.sql: no such file or directory")
    found = {(f["file"], f["rule_id"]) for f in _findings(folder)}
    assert ("db/2024/001_broken.sql", "syntax-error") in found
    assert ("db/002_drop.sql", "ban-drop-table") in found
