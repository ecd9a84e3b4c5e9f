"""`migsmith chat`: a conversation that keeps one plan and refines it turn by turn.

Change requests go through the agent with the conversation so far, so "also make it not
null" amends the spec accepted before. Questions about the plan ("what locks does step 2
take?", "show step 3", "the down of step 3", "deploy order") are answered from the plan
itself, what plan.json holds. A few words are commands (HELP lists them all).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from migsmith.agent.model import Model
from migsmith.tools.errors import MigsmithError, NothingToDo
from migsmith.tools.schema.model import Schema
from migsmith.tools.spec.changespec import ChangeSpec

HELP = """\
Say what should change ("add a boolean column is_admin to users"), then refine it
("also index it", "make it not null", "use batches of 5000", "downtime is fine").
Ask about the plan: "what locks does step 2 take?", "show step 2", "the down of step 2",
"deploy order".
Commands:
  show plan | show up | show down | show spec   the plan, all up or down SQL, the spec
  write it [to DIR]      verify the plan, then write it (default: --out or migrations/NAME)
  write it anyway        write a plan whose verification failed, marked UNVERIFIED
  undo                   back to the plan before the last change (or before clear)
  clear | start over     drop the plan and start again (undo brings it back)
  help | quit
Arrow keys edit the line; up and down walk the history of earlier sessions."""


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
    # verify(plan) -> verification dict (migsmith chat passes the plan command's); None: the
    # session writes without verifying and says so
    verify: Callable | None = None
    spec: ChangeSpec | None = None
    plan: object = None
    history: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    _undo: list[tuple] = field(default_factory=list)
    failed: bool = False  # the last line ended in an error (a piped session's exit status)

    def handle(self, line: str) -> bool:
        """Act on one line; False when the session should end."""
        text = line.strip()
        low = text.lower().rstrip(".!?")
        if not text:
            return True
        if low in ("quit", "exit", "bye", "q", ":q"):
            return False
        self.failed = False
        try:
            if low in ("help", "?", "h", "commands"):
                self.console.print(HELP, markup=False)
            elif m := _STEP_QUESTION.fullmatch(low):
                self.answer(m.group("what") or m.group("what2") or m.group("what3") or "step",
                            int(m.group("n") or m.group("n2")))
            elif _DEPLOY_ORDER.fullmatch(low):
                self.deploy_order()
            elif m := re.fullmatch(r"(?:show(?: me)?|print|see)?\s*(?:the\s+)?"
                                   r"(plan|up|down|spec|sql|up sql|down sql|rollback)"
                                   r"(?:\s+sql)?(?:\s+(?:again|please))?", low):
                self.show(m.group(1))
            elif m := re.fullmatch(r"(?:write|save)(?: it| the plan| plan)?"
                                   r"(?:\s+(?:to|in|into)\s+(\S+))?(\s+anyway)?",
                                   text, re.IGNORECASE):
                self.write(Path(m.group(1)) if m.group(1) else None, anyway=bool(m.group(2)))
            elif low in ("undo", "undo that", "go back"):
                self.undo()
            elif low in ("start over", "reset", "new plan", "clear"):
                self._reset()
            else:
                self.change(text)
        except NothingToDo as exc:  # the plan stays as it was: nothing in the change is new
            self.console.print(f"N{str(exc)[1:]}", markup=False)
        except MigsmithError as exc:
            self.failed = True
            self.console.print(f"error: {exc}", markup=False, highlight=False)
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
        if self.plan is None:
            self.console.print("No plan to clear; say what should change.")
            return
        # kept on the undo stack: "undo" brings the cleared plan back
        self._undo.append((self.spec, self.plan, list(self.history), list(self.requests)))
        self.spec = self.plan = None
        self.history, self.requests = [], []
        self.console.print("Cleared (undo brings the plan back); say what should change.")

    # ---------------------------------------------------------------- questions
    def _step(self, number: int):
        if self.plan is None:
            raise MigsmithError("no plan yet; say what should change")
        steps = self.plan.steps
        for step in steps:
            if step.number == number:
                return step
        raise MigsmithError(f"the plan has no step {number} (steps 1-{len(steps)})")

    def answer(self, what: str, number: int) -> None:
        """A question about one step, answered from the plan (what plan.json holds)."""
        from migsmith.tools.dialects import get_dialect

        step = self._step(number)
        say = self.console.print
        if what.startswith("lock"):
            lock_info = get_dialect(self.plan.dialect, self.plan.target_version).lock_info
            if not step.expected_locks:
                say(f"Step {number} takes no lock.", markup=False)
            for lk in dict.fromkeys((lk.table, lk.mode) for lk in step.expected_locks):
                info = lock_info(lk[1])
                blocks = ("blocks reads and writes" if info.blocks_reads else
                          "blocks writes" if info.blocks_writes else "reads and writes go on")
                say(f"Step {number} takes {lk[1]} on {lk[0]}: {blocks}"
                    + (" while it is held" if info.blocks_reads or info.blocks_writes else ""),
                    markup=False, highlight=False)
            if step.transactional:
                say(f"It runs in one transaction, so it holds them until it commits, and waits "
                    f"at most lock_timeout ({self.plan.spec.options.lock_timeout_ms} ms) for "
                    "each.", markup=False)
            return
        if what.startswith("down"):
            say(f"-- {step.number}. {step.title} (down)", style="bold", markup=False,
                highlight=False)
            self._code(step.down_sql.rstrip())
            return
        from migsmith.tools.planning.planner import human_duration

        say(f"Step {step.number}: {step.title}", style="bold", markup=False, highlight=False)
        say(f"phase {step.phase}, {'one transaction' if step.transactional else 'outside a transaction'}"
            f", about {human_duration(step.est_seconds or 0.02)}; locks: "
            + (", ".join(f"{lk.mode} on {lk.table}" for lk in step.expected_locks) or "none"),
            markup=False, highlight=False)
        say(f"deploy: {step.deploy_note}", markup=False, highlight=False)
        if step.checks:
            say("checks first: " + "; ".join(step.checks), markup=False, highlight=False)
        if step.irreversible:
            say(f"cannot be undone: {step.irreversible}", markup=False, highlight=False)
        self._code(step.up_sql.rstrip())

    def deploy_order(self) -> None:
        if self.plan is None:
            raise MigsmithError("no plan yet; say what should change")
        for step in self.plan.steps:
            note = step.deploy_note or ""
            if note.startswith("Before:"):
                self.console.print(f"   deploy first: {note.removeprefix('Before:').strip()}",
                                   style="bold", markup=False, highlight=False)
            self.console.print(f"{step.number}. {step.title} ({step.phase})", markup=False,
                               highlight=False)
        if self.plan.code_changes and not any((s.deploy_note or "").startswith("Before:")
                                              for s in self.plan.steps):
            self.console.print("then deploy the code that uses the new schema", markup=False)

    # ---------------------------------------------------------------- output
    def show(self, what: str) -> None:
        if self.plan is None:
            self.console.print("No plan yet; say what should change.")
            return
        plan = self.plan
        if what == "spec":
            self._code(json.dumps(self.spec.model_dump(mode="json", exclude_none=True), indent=2))
        elif what in ("up", "sql", "up sql", "down", "down sql", "rollback"):
            down = what in ("down", "down sql", "rollback")
            # Downs run in reverse order: the last step is undone first.
            for step in (reversed(plan.steps) if down else plan.steps):
                sql = step.down_sql if down else step.up_sql
                self.console.print(f"-- {step.number}. {step.title} ({'down' if down else 'up'})",
                                   style="bold", markup=False, highlight=False)
                self._code(sql.rstrip())
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

    def _code(self, text: str) -> None:
        # As it is, on a terminal too: no highlighting, no wrapping or cropping at the window's
        # width, so what is copied from the screen is the SQL of the file, line for line.
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def write(self, where: Path | None, *, anyway: bool = False) -> None:
        if self.plan is None:
            self.console.print("No plan yet; say what should change.")
            return
        from migsmith.tools.planning.writer import preflight, write_plan

        out = where or self.out_dir or Path("migrations") / self.plan.name
        preflight(self.plan, out)  # an --out that cannot take the plan fails before verifying
        verification = None
        if self.verify is not None:
            self.console.print("verifying on a throwaway database (up, down, up) ...",
                               style="dim", markup=False)
            verification = self.verify(self.plan)
            self.plan.verification = verification
            if not verification.get("ok") and not anyway:
                raise MigsmithError(f"verification failed, nothing written: "
                                    f"{verification.get('summary', '')}",
                                    hint="fix the plan, or say 'write it anyway' to keep it "
                                         "marked UNVERIFIED")
        written = write_plan(self.plan, out)
        self.console.print(f"wrote {len(written)} files to {out} (read PLAN.md first)",
                           markup=False, highlight=False)
        if verification is None:
            self.console.print(f"not verified: run `migsmith verify {out}` with the schema "
                               "before applying it", markup=False, highlight=False)
        elif verification.get("ok"):
            self.console.print(f"verified: {verification.get('summary', '')}", markup=False,
                               highlight=False)
        else:
            self.console.print("UNVERIFIED: its verification failed; PLAN.md says so",
                               markup=False, highlight=False)


_STEP_QUESTION = re.compile(
    r"(?:(?:what|which)\s+)?(?P<what>locks?|down|rollback)?\s*(?:does|do|will|of|for|in)?\s*"
    r"(?:(?:show|print|see)(?:\s+me)?\s+)?(?:the\s+)?(?:(?P<what2>locks?|down|rollback)\s+"
    r"(?:of|for)\s+)?step\s+(?P<n>\d+)(?:\s+(?:take|takes|hold|holds|need|needs|do))?"
    r"|step\s+(?P<n2>\d+)(?:'s)?\s+(?P<what3>locks?|down|rollback)")
_DEPLOY_ORDER = re.compile(r"(?:(?:what|which)\s+is\s+)?(?:show\s+(?:me\s+)?)?(?:the\s+)?"
                           r"(?:deploy(?:ment)?\s+order|order\s+of\s+(?:the\s+)?steps|"
                           r"when\s+do\s+i\s+deploy(?:\s+code)?)")


def lines_from(stream, console: Console, prompt: str = "migsmith> ") -> Iterator[str]:
    """Input lines. On a terminal, with line editing and a history kept between sessions
    (readline); from a pipe, each line is echoed after the prompt so the transcript reads."""
    interactive = hasattr(stream, "isatty") and stream.isatty()
    if interactive:
        history = _load_history()
        try:
            while True:
                try:
                    yield input(prompt)  # readline edits the line; it must know the prompt
                except EOFError:
                    console.print()
                    return
        finally:
            _save_history(history)
    while True:
        line = stream.readline()
        if not line:
            return
        console.print(f"{prompt}{line.rstrip()}", markup=False, highlight=False)
        yield line


def _history_file() -> Path:
    import os

    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                              "state")
    return Path(state) / "migsmith" / "chat_history"


def _load_history() -> Path | None:
    try:
        import readline
    except ImportError:  # a Python built without it: plain input()
        return None
    path = _history_file()
    readline.set_history_length(1000)
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    import readline

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
    except OSError:
        pass
