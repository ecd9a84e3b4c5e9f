"""Every rendered step file is parsed back before it is written, and must hold exactly the
statements the plan intends.

While a step renders, each template declares the statements it writes, in order
(``{% do expect("ALTER TABLE") %}`` before each one; ``Dialect.render_step`` collects them into
``Step.up_statements`` / ``down_statements``). The rendered file is then split the way its
database's client will split it (pglast for PostgreSQL, which is psql's own grammar;
``split_script`` for MySQL, the mysql client's rules; ``sqlite3.complete_statement`` for
SQLite) and the kind of every statement it holds must match, one for one. A user's text that
escaped its place (a line break ending a comment, a ``$tag$`` closing a body, a NUL cutting the
file short) changes that count or order; the plan then stops with an internal error and
nothing is written: it is a bug in migsmith, never something to work around.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import MigsmithError, PlanError

# Words between CREATE/DROP/ALTER and the kind of object: CREATE OR REPLACE FUNCTION,
# CREATE UNIQUE INDEX, CREATE TEMP TABLE, DROP TABLE IF EXISTS, ...
_MODIFIERS = {"OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "MATERIALIZED", "IF", "NOT",
              "EXISTS", "CONSTRAINT", "DEFINER", "ONLINE", "OFFLINE"}
_OBJECT_VERBS = {"CREATE", "DROP", "ALTER"}
_WORD = re.compile(r"[A-Za-z_]+")


def statement_kind(text: str) -> str:
    """``ALTER TABLE``, ``CREATE INDEX``, ``DO``, ``SET`` ...: the statement's verb, and for
    CREATE/DROP/ALTER the kind of object, from the statement's own first words."""
    words = [w.upper() for w in _WORD.findall(_without_leading_comments(text)[:200])]
    if not words:
        return ""
    if words[0] in _OBJECT_VERBS:
        rest = [w for w in words[1:] if w not in _MODIFIERS]
        return f"{words[0]} {rest[0]}" if rest else words[0]
    return words[0]


def _without_leading_comments(text: str) -> str:
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("--", i) or text.startswith("#", i):
            nl = text.find("\n", i)
            i = n if nl == -1 else nl + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
        else:
            break
    return text[i:]


def split(sql: str, dialect: str, file: str) -> list[str]:
    """The statements of ``sql`` as ``dialect``'s client sends them."""
    if "\x00" in sql:
        raise PlanError(f"{file}: contains a NUL character")
    if dialect == "postgres":
        from migsmith.tools.running.executor import split_statements

        return [s.text for s in split_statements(sql, file=file)]
    if dialect == "mysql":
        from migsmith.tools.dialects.mysql.script import split_script

        return split_script(sql)
    from migsmith.tools.proving.shadow.sqlite import split_sqlite

    return [s.text for s in split_sqlite(sql, file=file)]


def check_file(sql: str, intended: list[str] | None, dialect: str, file: str) -> None:
    """PlanError unless ``sql`` parses into exactly the ``intended`` statement kinds."""
    try:
        kinds = [statement_kind(s) for s in split(sql, dialect, file)]
    except MigsmithError as exc:
        raise PlanError(f"internal error: {file} as rendered does not parse ({exc.message}); "
                        "nothing was written") from None
    if intended is not None and kinds != intended:
        raise PlanError(
            f"internal error: {file} as rendered holds {len(kinds)} statement(s) "
            f"({_show(kinds)}) where the plan intends {len(intended)} ({_show(intended)}); "
            "nothing was written",
            hint="this is a bug in migsmith: please report it with the spec")


def check_plan_files(plan, files: dict[str, str]) -> None:
    """Every step file of ``plan`` (``files``: name -> text, as plan_files renders them)."""
    for step in plan.all_steps():
        for name, intended in ((step.up_file, step.up_statements),
                               (step.down_file, step.down_statements)):
            if name is not None and name in files:
                check_file(files[name], intended, plan.dialect, name)


def _show(kinds: list[str], limit: int = 8) -> str:
    shown = ", ".join(kinds[:limit]) + (", ..." if len(kinds) > limit else "")
    return shown or "none"
