"""`migsmith chat` on a real pseudo-terminal: arrow keys edit the line and recall earlier ones
(readline, with a history file), questions about a step are answered from the plan, and
"write it" verifies before it writes and says so."""

from __future__ import annotations

import os
import pty
import re
import select
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEFT, UP = "\x1b[D", "\x1b[A"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")


class Terminal:
    def __init__(self, argv: list[str], env: dict):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command, on the pseudo-terminal
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, *argv], env)
        self.seen = ""

    def expect(self, text: str, timeout: float = 90) -> str:
        """Everything read until ``text`` has appeared (ANSI escapes removed)."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {text!r}; the terminal shows:\n{self.seen[-2000:]}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:  # the child closed the terminal
                    break
                self.seen += ANSI.sub("", chunk.replace("\r", ""))
        assert text in self.seen, f"{text!r} never appeared:\n{self.seen[-2000:]}"
        done, self.seen = self.seen[: self.seen.index(text) + len(text)], \
            self.seen[self.seen.index(text) + len(text):]
        return done

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def test_chat_on_a_terminal(tmp_path):
    out = tmp_path / "plan"
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "NO_COLOR": "1",
           "COLUMNS": "160", "TERM": "xterm", "ANTHROPIC_API_KEY": ""}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    term = Terminal(["-m", "migsmith", "chat", "--schema", "examples/schema_sqlite.sql",
                     "--dialect", "sqlite", "--model", "offline", "--out", str(out)], env)
    term.expect("migsmith> ")
    term.type("add an index on users email\r")
    assert "strategy: additive" in term.expect("migsmith> ")

    # typed with its first letter missing, then mended with the arrow keys
    term.type("how step 1" + LEFT * 10 + "s\r")
    shown = term.expect("migsmith> ")
    assert "^[[D" not in shown and "not a schema change" not in shown
    assert "Step 1: add index on users(email)" in shown
    assert 'CREATE INDEX IF NOT EXISTS "users_email_idx" ON "users" ("email");' in shown

    term.type("what locks does step 1 take?\r")
    first = term.expect("migsmith> ")
    assert "Step 1 takes RESERVED on users" in first
    term.type(UP + "\r")  # the line before, recalled from the history
    again = term.expect("migsmith> ")
    assert "what locks does step 1 take?" in again and "Step 1 takes RESERVED on users" in again

    term.type("write it\r")
    written = term.expect("migsmith> ", timeout=120)
    assert "wrote" in written and str(out) in written
    assert "verified: plan: 1 step(s) applied up, down and up again on SQLite" in written
    assert (out / "plan.json").is_file() and (out / "PLAN.md").is_file()

    term.type("quit\r")
    assert term.wait() == 0
    history = (tmp_path / "state" / "migsmith" / "chat_history").read_text()
    assert "what locks does step 1 take?" in history and "show step 1" in history
