"""`migsmith chat`: refine one migration plan in conversation; works with piped input too."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import handle_errors, out_console, parse_rows


def register(app: typer.Typer) -> None:
    app.command("chat")(chat_command)


@handle_errors
def chat_command(
    schema: Annotated[Optional[str], typer.Option("--schema", help="DDL file of the current schema.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Read the schema from this database URL.")] = None,
    dialect: Annotated[Optional[str], typer.Option("--dialect", help="postgres, mysql or sqlite.")] = None,
    model: Annotated[str, typer.Option("--model", help="offline, anthropic[:<id>] or auto.")] = "auto",
    out: Annotated[Optional[Path], typer.Option("--out", help="Where \"write it\" writes "
                                                "(default: migrations/<name>).")] = None,
    code: Annotated[Optional[Path], typer.Option("--code", help="Repository to search for uses "
                                                 "of what changes.")] = None,
    rows: Annotated[Optional[list[str]], typer.Option("--rows", help="TABLE=COUNT row estimate.")] = None,
    allow_data_loss: Annotated[bool, typer.Option("--allow-data-loss")] = False,
) -> None:
    """Plan a change in conversation: request, refine, show up/down SQL, write it."""
    from migsmith.agent.chat import HELP, ChatSession, lines_from
    from migsmith.commands.plan import _guess_dialect
    from migsmith.tools.schema import load_schema

    if (schema is None) == (db is None):
        raise typer.BadParameter("give either --schema FILE or --db URL")
    location = schema or db
    dialect_name = dialect or _guess_dialect(location)
    sch = load_schema(location, dialect_name)
    for table, count in parse_rows(rows).items():
        sch.table(table).row_estimate = count
    console = out_console
    lines = lines_from(sys.stdin, console)

    def ask(question: str) -> str:
        console.print(f"? {question}", markup=False, highlight=False)
        return next(lines, "")

    session = ChatSession(schema=sch, console=console, model=model, dialect=dialect_name,
                          code_path=code, out_dir=out, allow_data_loss=allow_data_loss, ask=ask)
    if sys.stdin.isatty():
        console.print(HELP, markup=False, style="dim")
    for line in lines:
        if not session.handle(line):
            break
