"""`migsmith mcp`: an MCP server (stdio) exposing plan, verify and lint as tools.

Each tool runs the CLI command with --json in a child process, so a tool call behaves exactly
like the command line (same checks, same files) and a crash in one call cannot take the
server down. A failing command becomes a tool error carrying its one-line message.
"""

from __future__ import annotations

import json
import subprocess
import sys

import typer

from migsmith.commands._common import handle_errors
from migsmith.tools.spec.changespec import ChangeSpec  # the plan tool's typed spec input

TIMEOUT_S = 600


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp_command)


@handle_errors
def mcp_command() -> None:
    """Serve plan, verify and lint to an MCP client over stdio."""
    build_server().run("stdio")


def run_cli(args: list[str], *, findings_ok: bool = False, stdin: str | None = None) -> dict:
    from mcp.server.mcpserver.exceptions import ToolError

    proc = subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, timeout=TIMEOUT_S, input=stdin)
    if proc.stdout.strip().startswith(("{", "[")):
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError:
            data = None
        if data is not None and (proc.returncode == 0 or findings_ok or isinstance(data, dict)):
            return data if isinstance(data, dict) else {"results": data}
    message = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
    raise ToolError(message.removeprefix("error: "))


def build_server():
    from mcp.server import MCPServer

    server = MCPServer("migsmith", instructions=(
        "Plan schema changes as safe, reversible migrations and prove them on a throwaway "
        "database. Call plan with a plain-language request (or a spec file) and the schema; "
        "read strategy, steps (in order, with deploy notes) and verification."))

    @server.tool()
    def plan(schema: str, out: str, request: str | None = None, spec: ChangeSpec | None = None,
             spec_file: str | None = None, dialect: str | None = None, verify: bool = True,
             downtime: bool = False, allow_data_loss: bool = False, code: str | None = None,
             model: str = "auto") -> dict:
        """Plan a schema change from a plain-language request, a ChangeSpec object, or a
        ChangeSpec JSON file (give exactly one).

        Write the spec yourself when you know exactly what to change or when the request
        is refused as not understood: spec is a ChangeSpec (operations, in order; the
        schema of each is in this tool's input schema). schema is a DDL file path or a
        database URL; out is the plan directory to write. Returns the plan: strategy, steps
        with up/down SQL, locks and deploy notes, code changes and, unless verify is false,
        the shadow-database verification; or nothing_to_do with notes when every operation
        is already in effect.
        """
        given = [x for x in (request, spec, spec_file) if x is not None]
        if len(given) != 1:
            from mcp.server.mcpserver.exceptions import ToolError

            raise ToolError("give exactly one of request, spec or spec_file")
        args = ["plan"] + ([request] if request else [])
        args += ["--spec", "-"] if spec is not None else ["--spec", spec_file] if spec_file else []
        args += ["--db" if "://" in schema else "--schema", schema, "--out", out, "--json",
                 "--model", model]
        args += ["--dialect", dialect] if dialect else []
        args += ["--code", code] if code else []
        args += [flag for flag, on in (("--no-verify", not verify), ("--downtime", downtime),
                                       ("--allow-data-loss", allow_data_loss)) if on]
        return run_cli(args, stdin=spec.model_dump_json(exclude_unset=True) if spec else None)

    @server.tool()
    def verify(plan_dir: str, schema: str) -> dict:
        """Apply a plan directory up, down and up again on a shadow database and check schema,
        data and locks. schema is the DDL file or database URL the plan starts from."""
        return run_cli(["verify", plan_dir, "--db" if "://" in schema else "--schema", schema,
                        "--json"], findings_ok=True)

    @server.tool()
    def lint(files: list[str], dialect: str = "postgres") -> dict:
        """Lint migration SQL files or directories (walked for *.sql) for unsafe operations
        (locks, rewrites, missing CONCURRENTLY or NOT VALID ...), as each file's migration
        runner will run it. Returns the findings; a file that does not parse is a
        syntax-error finding, a path that does not exist is an error."""
        return run_cli(["lint", *files, "--dialect", dialect, "--format", "json"],
                       findings_ok=True)

    return server
