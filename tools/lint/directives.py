"""``-- migsmith:disable`` comments.

* ``-- migsmith:disable rule-a, rule-b`` switches the rules off for the next statement;
* ``-- migsmith:disable-file rule-a`` switches them off for the whole file.

Anything after a second ``--`` is a free-text reason (``-- migsmith:disable ban-drop-column --
column unused since v12``). Block comments (``/* migsmith:disable ... */``) work the same way. An
unknown rule id is an error rather than a silent no-op, so a typo cannot leave a rule on that the
author believes is off (or the reverse, after a rule is renamed).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from migsmith.tools.errors import MigsmithError, did_you_mean
from migsmith.tools.lint.model import Statement
from migsmith.tools.lint.parsing import Comment, LineIndex

# Regex on comment text only (the comments were found by the SQL lexer).
_DIRECTIVE = re.compile(r"^(?:--|#|/\*)\s*migsmith:(?P<kind>disable-file|disable)(?![\w-])(?P<rest>.*)$", re.S)
_RULE_ID = re.compile(r"[A-Za-z0-9_-]+")


class DirectiveError(MigsmithError):
    """A ``migsmith:`` comment that cannot be honoured (unknown rule id, no rule given)."""

    def __init__(self, message: str, *, file: str | None, line: int, column: int, hint: str | None = None):
        where = ":".join(str(p) for p in (file, line, column) if p is not None)
        super().__init__(f"{where}: {message}", hint=hint)
        self.file, self.line, self.column = file, line, column


@dataclass
class Directives:
    file_disabled: frozenset[str] = frozenset()
    by_statement: dict[int, frozenset[str]] = field(default_factory=dict)


def _rule_ids(rest: str) -> list[str]:
    body = rest.split("*/", 1)[0]
    body = body.split("--", 1)[0]  # the reason, if any
    return _RULE_ID.findall(body.replace(",", " "))


def read_directives(comments: Iterable[Comment], statements: list[Statement], known: set[str],
                    lines: LineIndex, filename: str | None = None) -> Directives:
    starts = [s.start for s in statements]
    file_disabled: set[str] = set()
    by_statement: dict[int, set[str]] = {}
    for comment in comments:
        m = _DIRECTIVE.match(comment.text.strip())
        if not m:
            continue
        line, column = lines.position(comment.start)
        ids = _rule_ids(m.group("rest"))
        if not ids:
            raise DirectiveError(f"migsmith:{m.group('kind')} needs at least one rule id",
                                 file=filename, line=line, column=column)
        for rule_id in ids:
            if rule_id not in known:
                raise DirectiveError(f"unknown rule id {rule_id!r} in migsmith:{m.group('kind')}",
                                     file=filename, line=line, column=column,
                                     hint=did_you_mean(rule_id, known))
        if m.group("kind") == "disable-file":
            file_disabled.update(ids)
            continue
        target = bisect.bisect_left(starts, comment.end)
        if target < len(statements):
            by_statement.setdefault(target, set()).update(ids)
    return Directives(frozenset(file_disabled), {k: frozenset(v) for k, v in by_statement.items()})
