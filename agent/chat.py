"""`migsmith chat`: a conversation that keeps one plan and refines it turn by turn.

Change requests go through the agent with the conversation so far, so "also make it not
null" amends the spec accepted before. A few words are commands instead: show (the plan, up,
down, spec), write it, undo, start over, help, quit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from migsmith.agent.model import Model
from migsmith.tools.errors import MigsmithError, NothingToDo
from migsmith.tools.schema.model import Schema
from migsmith.tools.spec.changespec import ChangeSpec

HELP = """\
Say what should change ("add a boolean column is_admin to users"), then refine it
("also index it", "make it not null", "use batches of 5000", "downtime is fine").
Commands: show plan | show up | show down | show spec | write it [to DIR] | undo |
start over | help | quit"""


@dataclass
class ChatSession:
    schema: Schema
    console: Console
    model: str | Model = "auto"
    dialect: str | None = None
    code_path: Path | None = None
    out_dir: Path | None = None
    allow_data_loss: bool = False
    ask: Callable[[str], str] | None = None
    spec: ChangeSpec | None = None
    plan: object = None
    history: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    _undo: list[tuple] = field(default_factory=list)

    def handle(self, line: str) -> bool:
        """Act on one line; False when the session should end."""
        text = line.strip()
        low = text.lower().rstrip(".!")
        if not text:
            return True
        if low in ("quit", "exit", "bye", "q", ":q"):
            return False
        try:
            if low in ("help", "?", "h"):
                self.console.print(HELP, markup=False)
            elif m := re.fullmatch(r"(?:show(?: me)?|print|see)?\s*(?:the\s+)?"
                                   r"(plan|up|down|spec|sql|up sql|down sql|rollback)"
                                   r"(?:\s+sql)?(?:\s+(?:again|please))?", low):
                self.show(m.group(1))
            elif m := re.fullmatch(r"(?:write|save)(?: it| the plan| plan)?(?:\s+(?:to|in|into)\s+(\S+))?",
                                   text, re.IGNORECASE):
                self.write(Path(m.group(1)) if m.group(1) else None)
            elif low in ("undo", "undo that", "go back"):
                self.undo()
            elif low in ("start over", "reset", "new plan", "clear"):
                self._reset()
                self.console.print("Cleared; say what should change.")
            else:
                self.change(text)
        except NothingToDo as exc:  # the plan stays as it was: nothing in the change is new
            self.console.print(f"N{str(exc)[1:]}", markup=False)
        except MigsmithError as exc:
            self.console.print(f"[bold red]error:[/] {exc}", highlight=False)
        return True

    # ---------------------------------------------------------------- changes
    def change(self, request: str) -> None:
        from migsmith.agent.runner import request_to_spec

        result = request_to_spec(request, self.schema, model=self.model, dialect=self.dialect,
                                 code_path=self.code_path, ask=self.ask, history=self.history,
                                 session_requests="\n".join(self.requests))
        spec = result.spec
        if self.allow_data_loss:
            spec = spec.model_copy(update={"options": spec.options.model_copy(
                update={"allow_data_loss": True})})
        plan = self._build(spec, result.code_references)
        self._undo.append((self.spec, self.plan, list(self.history), list(self.requests)))
        self.spec, self.plan = spec, plan
        self.history = result.transcript
        self.requests.append(request)
        if result.note:
            self.console.print(result.note, style="dim", markup=False)
        self.show("plan")

    def _build(self, spec: ChangeSpec, refs):
        from migsmith.tools.planning.planner import build_plan

        plan = build_plan(spec, self.schema)
        if refs:
            from migsmith.agent.runner import attach_code_references

            attach_code_references(plan, refs)
        return plan

    def undo(self) -> None:
        if not self._undo:
            self.console.print("Nothing to undo.")
            return
        self.spec, self.plan, self.history, self.requests = self._undo.pop()
        self.console.print("Undone." + ("" if self.plan else " No plan now."))
        if self.plan:
            self.show("plan")

    def _reset(self) -> None:
        self.spec = self.plan = None
        self.history, self.requests, self._undo = [], [], []

    # ---------------------------------------------------------------- output
    def show(self, what: str) -> None:
        if self.plan is None:
            self.console.print("No plan yet; say what should change.")
            return
        plan = self.plan
        if what == "spec":
            self._code(json.dumps(self.spec.model_dump(mode="json", exclude_none=True), indent=2),
                       "json")
        elif what in ("up", "sql", "up sql", "down", "down sql", "rollback"):
            down = what in ("down", "down sql", "rollback")
            # Downs run in reverse order: the last step is undone first.
            for step in (reversed(plan.steps) if down else plan.steps):
                sql = step.down_sql if down else step.up_sql
                self.console.print(f"-- {step.number}. {step.title} ({'down' if down else 'up'})",
                                   style="bold", markup=False, highlight=False)
                self._code(sql.rstrip(), "sql")
        else:
            from migsmith.tools.planning.planner import human_duration

            self.console.print(f"[bold]{plan.name}[/bold]: {plan.description}", highlight=False)
            self.console.print(f"strategy: [cyan]{plan.strategy}[/cyan]   expected: "
                               f"{human_duration(plan.estimated_seconds)}", highlight=False)
            table = Table(show_header=True, header_style="bold")
            for col in ("#", "step", "phase", "txn", "locks"):
                table.add_column(col)
            for s in plan.steps:
                locks = ", ".join(sorted({lk.mode for lk in s.expected_locks})) or "-"
                table.add_row(str(s.number), s.title, s.phase, "yes" if s.transactional else "no",
                              locks)
            self.console.print(table)
            if plan.alternative:
                self.console.print(f"alternative: {plan.alternative.title} "
                                   f"({plan.alternative.downtime})", highlight=False)

    def _code(self, text: str, lexer: str) -> None:
        # Colour on a terminal; plain text in a pipe, so nothing is cropped or padded.
        if self.console.is_terminal:
            self.console.print(Syntax(text, lexer, word_wrap=True))
        else:
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def write(self, where: Path | None) -> None:
        if self.plan is None:
            self.console.print("No plan yet; say what should change.")
            return
        from migsmith.tools.planning.writer import write_plan

        out = where or self.out_dir or Path("migrations") / self.plan.name
        written = write_plan(self.plan, out)
        self.console.print(f"wrote {len(written)} files to [bold]{out}[/bold] (read PLAN.md first)",
                           highlight=False)


def lines_from(stream, console: Console, prompt: str = "migsmith> ") -> Iterator[str]:
    """Input lines; from a pipe, each is echoed after the prompt so the transcript reads well."""
    interactive = hasattr(stream, "isatty") and stream.isatty()
    while True:
        if interactive:
            try:
                yield console.input(prompt)
            except EOFError:
                return
        else:
            line = stream.readline()
            if not line:
                return
            console.print(f"{prompt}{line.rstrip()}", markup=False, highlight=False)
            yield line
