"""What reading a request yields: operations, or why there are none."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Interpretation:
    operations: list[dict] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    question: str | None = None
    description: str | None = None  # the why, when the request gives one ("X is slow: ...")
    choices: list[str] = field(default_factory=list)


class NotUnderstood(Exception):
    pass


class NoIntent(NotUnderstood):
    """Nothing in the clause asks for a change (it may be background: "nobody uses it")."""


class Context(NoIntent):
    """A clause that only says what a later "it" means ("we no longer need the phone column")."""


class Ambiguous(Exception):
    def __init__(self, question: str, choices: list[str]):
        super().__init__(question)
        self.question, self.choices = question, choices
