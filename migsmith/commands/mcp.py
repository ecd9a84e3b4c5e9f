"""`migsmith mcp`: an MCP server (stdio) for an AI assistant: plan, verify, lint, inspect_schema.

Paths are taken from the server's root (``--root``, by default the directory it starts in): a
relative path is read from there, and a path outside it is refused with one clear line, so a
plan is never written somewhere the user did not expect. Each tool but inspect_schema runs the
CLI command with --json in a child process started in the root, so a tool call behaves exactly
like the command line (same checks, same files) and a crash in one call cannot take the server
down; a failing command becomes a tool error carrying its one-line message. Results are typed
(the tools' output schemas) and short: a plan's summary, steps and file paths, its SQL only
when asked for.
"""

# No `from __future__ import annotations`: the MCP server reads the tools' annotations as
# objects, and the models are imported inside build_server (pydantic stays off the start-up
# path of every other command, whose help lists this one).
import json
import subprocess
import sys
from pathlib import Path

from migsmith.commands import _args

TIMEOUT_S = 600
SUMMARY = "Serve plan, verify, lint and the schema to an AI assistant (MCP)."
EXAMPLES = """\
  migsmith mcp --root ~/src/app
  claude mcp add migsmith -- migsmith mcp --root ~/src/app"""
DETAILS = """\
Relative paths in tool calls are taken from --root (default: the current directory); a path
outside it is refused."""


def build_parser():
    p = _args.command_parser("mcp", SUMMARY, EXAMPLES, DETAILS)
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                   help="the directory the tools' paths are taken from and kept inside "
                        "(default: the current directory)")
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), mcp_command, argv)


def mcp_command(args) -> int:
    """Serve the tools to an MCP client over stdio."""
    from migsmith.tools.errors import UsageError

    if not args.root.is_dir():
        raise UsageError(f"--root {args.root}: no such directory")
    build_server(args.root).run("stdio")
    return 0


def run_cli(args: list, root: Path, *, findings_ok: bool = False, stdin=None) -> dict:
    from mcp.server.mcpserver.exceptions import ToolError

    proc = subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, timeout=TIMEOUT_S, input=stdin, cwd=root)
    if proc.stdout.strip().startswith(("{", "[")):
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError:
            data = None
        if data is not None and (proc.returncode == 0 or findings_ok or isinstance(data, dict)):
            return data if isinstance(data, dict) else {"results": data}
    raise ToolError(error_message(proc.stderr, proc.returncode))


def error_message(stderr: str, code: int) -> str:
    """The command's one-line error (its last ``error:`` line), without the prefix."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    return (errors or lines or [f"exit code {code}"])[-1].removeprefix("error:").strip()


class Root:
    """The server's root: every path a tool is given is taken from it and must stay inside."""

    def __init__(self, path: Path):
        self.path = path.resolve()

    def path_arg(self, value: str, what: str) -> str:
        """``value`` checked to lie inside the root; returned as given (the child process runs
        in the root, so a relative path means the same there and messages keep its spelling)."""
        from mcp.server.mcpserver.exceptions import ToolError

        resolved = (self.path / Path(value).expanduser()).resolve()
        if resolved != self.path and self.path not in resolved.parents:
            raise ToolError(f"{what} {value!r} is outside the server's root {self.path} "
                            "(relative paths are taken from the root; start the server with "
                            "migsmith mcp --root DIR to serve another directory)")
        return value

    def schema_args(self, schema: str) -> list[str]:
        """--db URL (a database is not a path) or --schema FILE inside the root."""
        if "://" in schema:
            return ["--db", schema]
        return ["--schema", self.path_arg(schema, "schema")]


def build_server(root: Path = Path(".")):
    from typing import Annotated, Literal

    from mcp.server import MCPServer
    from pydantic import Field

    from migsmith import __version__
    from migsmith.commands import mcp_results as R
    from migsmith.tools.spec.changespec import ChangeSpec  # the plan tool's typed spec input

    root = Root(root)
    Dialect = Literal["postgres", "mysql", "sqlite"]
    Schema = Annotated[str, Field(description=(
        "the schema the change starts from: a DDL file (.sql, or a SQLite database file) or a "
        "database URL (postgresql://, mysql://, sqlite:///), read only"))]

    server = MCPServer("migsmith", version=__version__, instructions=(
        "Plan schema changes as safe, reversible migrations and prove them on a throwaway "
        "database. inspect_schema shows the tables; plan takes a plain-language request (or "
        "a ChangeSpec) and the schema, and returns the strategy, the steps in order with "
        "their locks and deploy notes, the verification, and the paths of the files "
        "(PLAN.md for the person reviewing it); verify and lint check plans and migration "
        f"files. Relative paths are taken from {root.path}; paths outside it are refused."))

    @server.tool()
    def plan(
        schema: Schema,
        out: Annotated[str, Field(description="the plan directory to write (it must not "
                                              "hold a plan already)")],
        request: Annotated[str | None, Field(description=(
            "the change in plain words, e.g. 'rename created to created_at in posts'"))] = None,
        spec: Annotated[ChangeSpec | None, Field(description=(
            "the change as a ChangeSpec object: write it yourself when you know exactly what "
            "to change, or when a request is refused as not understood"))] = None,
        spec_file: Annotated[str | None, Field(description="a ChangeSpec JSON file")] = None,
        dialect: Annotated[Dialect | None, Field(description=(
            "the database; by default what the schema is"))] = None,
        verify: Annotated[bool, Field(description=(
            "prove the plan up, down and up again on a throwaway database before writing it "
            "(a plan that fails is not written)"))] = True,
        downtime: Annotated[bool, Field(description=(
            "plan the simple statements for a maintenance window instead of online steps"))] = False,
        allow_data_loss: Annotated[bool, Field(description=(
            "consent to steps that destroy data (dropping a column or table); refused "
            "otherwise"))] = False,
        code: Annotated[str | None, Field(description=(
            "a repository to search for code that uses what changes"))] = None,
        model: Annotated[Literal["auto", "offline", "anthropic"], Field(description=(
            "who reads the request: offline (built in), anthropic (needs ANTHROPIC_API_KEY), "
            "auto (anthropic when the key is set)"))] = "auto",
        include_sql: Annotated[bool, Field(description=(
            "include each step's up and down SQL in the result (the files hold it)"))] = False,
    ) -> R.PlanResult:
        """Plan a schema change from a plain-language request, a ChangeSpec object or a
        ChangeSpec JSON file (give exactly one), write it to out and return its summary,
        steps and file paths; or nothing_to_do when every operation is already in effect."""
        from mcp.server.mcpserver.exceptions import ToolError

        if len([x for x in (request, spec, spec_file) if x is not None]) != 1:
            raise ToolError("give exactly one of request, spec or spec_file")
        args = ["plan"] + ([request] if request else [])
        args += (["--spec", "-"] if spec is not None else
                 ["--spec", root.path_arg(spec_file, "spec_file")] if spec_file else [])
        args += [*root.schema_args(schema), "--out", root.path_arg(out, "out"), "--json",
                 "--model", model]
        args += ["--dialect", dialect] if dialect else []
        args += ["--code", root.path_arg(code, "code")] if code else []
        args += [flag for flag, on in (("--no-verify", not verify), ("--downtime", downtime),
                                       ("--allow-data-loss", allow_data_loss)) if on]
        data = run_cli(args, root.path,
                       stdin=spec.model_dump_json(exclude_unset=True) if spec else None)
        return R.plan_result(data, root.path, include_sql)

    @server.tool()
    def verify(
        plan_dir: Annotated[str, Field(description="a plan directory written by plan")],
        schema: Schema,
    ) -> R.VerifyResult:
        """Apply a plan directory up, down and up again on a throwaway database and check the
        schema, the data and the locks each statement takes; the result is recorded in the
        plan's PLAN.md and plan.json."""
        data = run_cli(["verify", root.path_arg(plan_dir, "plan_dir"), *root.schema_args(schema),
                        "--json"], root.path, findings_ok=True)
        return R.verify_result(data)

    @server.tool()
    def lint(
        files: Annotated[list[str], Field(description=(
            "SQL files or directories (walked for *.sql and the migration files of the tools "
            "migsmith knows)"))],
        dialect: Annotated[Dialect, Field(description="the SQL dialect")] = "postgres",
    ) -> R.LintResult:
        """Lint migration SQL files or directories for unsafe operations (locks, rewrites,
        missing CONCURRENTLY or NOT VALID ...), as each file's migration runner will run it.
        Returns the findings in results; a file that does not parse is a syntax-error finding,
        a path that does not exist is an error."""
        return R.lint_result(run_cli(["lint", *[root.path_arg(f, "file") for f in files],
                                      "--dialect", dialect, "--format", "json"], root.path,
                                     findings_ok=True))

    @server.tool()
    def inspect_schema(
        schema: Schema,
        table: Annotated[str | None, Field(description=(
            "one table in full (columns with types, nullability and defaults, indexes, "
            "constraints); without it, every table with its columns in short"))] = None,
        dialect: Annotated[Dialect | None, Field(description=(
            "the database; by default what the schema is"))] = None,
    ) -> R.SchemaResult:
        """The tables of a schema (file or live database, read only): columns, keys, indexes,
        constraints and row estimates, to write a request or a spec against."""
        from mcp.server.mcpserver.exceptions import ToolError

        from migsmith.tools.errors import MigsmithError
        from migsmith.tools.schema import load_schema
        from migsmith.tools.schema.detect import detect_dialect

        location = schema if "://" in schema else str(root.path / root.path_arg(schema, "schema"))
        try:
            loaded = load_schema(location, dialect or detect_dialect(location).dialect)
            if table is not None and not loaded.has_table(table):
                loaded.table(table)  # the unknown-table error, with its "did you mean"
        except MigsmithError as exc:
            raise ToolError(str(exc)) from None
        return R.schema_result(loaded, table)

    return server
