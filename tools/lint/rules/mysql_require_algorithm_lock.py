"""MySQL: ALTER TABLE / CREATE INDEX / DROP INDEX without explicit ALGORITHM and LOCK.

sqlglot is imported when the rule first runs, never when the registry loads it: a PostgreSQL
lint must not pay for sqlglot's import (most of a ``migsmith lint`` start-up otherwise).
"""

from __future__ import annotations

id = "mysql-require-algorithm-lock"
severity = "error"
category = "locking"
dialects = {"mysql"}
message = "ALTER TABLE without explicit ALGORITHM and LOCK lets MySQL silently fall back to a blocking table copy"
why = """
Without ALGORITHM and LOCK, MySQL picks the cheapest method the change supports, and for many
changes (column type changes, some index and charset changes, older server versions) that is
ALGORITHM=COPY: the table is rebuilt while writes are blocked. Spelling out ALGORITHM=INSTANT, or
ALGORITHM=INPLACE with LOCK=NONE, turns that silent fallback into an immediate error, so a
blocking change is caught when the migration is tested instead of in production. An explicit
ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE is reported too: it blocks writes by design, which calls
for an online schema change tool (gh-ost, pt-online-schema-change) on a large table.
"""
safe_rewrite = """
ALTER TABLE tbl ADD COLUMN col INT NULL, ALGORITHM=INSTANT;
ALTER TABLE tbl ADD INDEX idx_col (col), ALGORITHM=INPLACE, LOCK=NONE;
-- if MySQL refuses: use gh-ost / pt-online-schema-change instead of a blocking copy
"""

_BLOCKING_LOCKS = {"SHARED", "EXCLUSIVE"}


def _verdict(algorithm: str | None, lock: str | None) -> str | None:
    if algorithm == "COPY":
        return "ALGORITHM=COPY rebuilds the table while blocking writes"
    if lock in _BLOCKING_LOCKS:
        return f"LOCK={lock} blocks {'reads and writes' if lock == 'EXCLUSIVE' else 'writes'} for the whole change"
    if algorithm == "INSTANT":
        return None  # INSTANT takes no LOCK clause other than DEFAULT
    if algorithm is None or lock is None:
        missing = " and ".join(x for x, v in (("ALGORITHM", algorithm), ("LOCK", lock)) if v is None)
        return f"no explicit {missing}: MySQL may silently copy the table and block writes"
    return None


def _alter_options(node) -> tuple[str | None, str | None]:
    from sqlglot import exp

    algorithm = lock = None
    for option in node.args.get("options") or ():
        if isinstance(option, exp.AlgorithmProperty):
            algorithm = option.this.name.upper()
        elif isinstance(option, exp.LockProperty):
            lock = option.this.name.upper()
    return algorithm, lock


def _word_options(words: list[str]) -> tuple[str | None, str | None]:
    # CREATE INDEX ... ALGORITHM [=] INPLACE LOCK [=] NONE, as re-tokenized words
    found: dict[str, str | None] = {"ALGORITHM": None, "LOCK": None}
    for i, word in enumerate(words):
        if word in found:
            rest = [w for w in words[i + 1:i + 3] if w != "="]
            found[word] = rest[0] if rest else None
    return found["ALGORITHM"], found["LOCK"]


def check(ctx):
    from sqlglot import exp

    from migsmith.tools.lint.sqlglot_facts import command_words, table_ref

    node = ctx.node
    if isinstance(node, exp.Alter) and (node.args.get("kind") or "").upper() == "TABLE":
        table = table_ref(node.this)
        if table is None or ctx.is_new(table):
            return
        verdict = _verdict(*_alter_options(node))
        if verdict:
            yield ctx.hit(f"ALTER TABLE {table}: {verdict}")
    elif isinstance(node, (exp.Create, exp.Drop)) and (node.args.get("kind") or "").upper() == "INDEX":
        if isinstance(node, exp.Create):
            verb, table = "CREATE INDEX", table_ref(node.this.args.get("table"))
        else:
            on = node.args.get("cluster")
            verb, table = "DROP INDEX", table_ref(on.this if isinstance(on, exp.OnProperty) else None)
        if table is None or not ctx.is_new(table):
            yield ctx.hit(f"{verb}: {_verdict(None, None)}")
    elif isinstance(node, exp.Command) and node.this.upper() in ("CREATE", "ALTER"):
        # statements sqlglot keeps as raw commands: CREATE INDEX ... ALGORITHM=..., and MariaDB
        # forms such as ALTER TABLE t ADD INDEX IF NOT EXISTS ...
        words = command_words(node, ctx.dialect)
        if node.this.upper() == "CREATE" and "INDEX" in words[:3]:
            what = "CREATE INDEX"
        elif node.this.upper() == "ALTER" and words[:1] == ["TABLE"]:
            what = "ALTER TABLE"
        else:
            return
        verdict = _verdict(*_word_options(words))
        if verdict:
            yield ctx.hit(f"{what}: {verdict}")
