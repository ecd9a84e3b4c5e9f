"""The application's row triggers and a backfill: which fire on its UPDATE, what they write, and
what the backfill keeps as it was.

A backfill's UPDATE fires every row trigger on UPDATE of the table (PostgreSQL fires a trigger
declared ``UPDATE OF cols`` only when the SET list names one of them). A "touch updated_at"
trigger would then stamp every row of the table with the backfill's time. The ways around it
that exist each cost too much: ``ALTER TABLE ... DISABLE TRIGGER`` takes a lock and silences the
trigger for every session, the application's writes included; ``session_replication_role =
replica`` needs superuser and also silences the foreign-key triggers; a setting the plan makes
cannot change the application's function. What migsmith does instead:

* a BEFORE trigger that assigns ``NEW.<col>`` from something other than the backfilled column
  (``now()``, ``current_user``, a counter) is *kept from changing that column*: a guard trigger
  that fires after it (triggers of one timing fire in name order: ``zz_...``), in the
  backfill's own session only (``WHEN (current_setting('migsmith.backfill', true) = ...)``),
  sets ``NEW.<col> := OLD.<col>``; the application's own writes are untouched. The guard is
  created before the batches and dropped after them (each a brief lock, with lock_timeout);
* a BEFORE trigger that derives a column *from* the backfilled one (a search vector of a
  title) is left to do its work, and said so;
* an AFTER trigger (an audit row per change) cannot be kept from running by a BEFORE guard: the
  plan says plainly that it fires once per backfilled row and what it writes, when its body is
  known;
* a trigger whose function the plan does not know is named, with "what it writes is not
  known"; at run time a row trigger the plan did not know of at all stops the backfill before
  its first batch (re-plan against the live database, or say they may fire).

The guard is PostgreSQL's; on MySQL and SQLite the plan names the triggers and what they
would write (``can_guard=False``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migsmith.tools.spec.identifiers import bounded_name, quote_ident, sql_string


@dataclass(frozen=True)
class RowTrigger:
    """One row trigger on UPDATE of a table, as the schema or the live catalog knows it."""

    name: str
    timing: str  # "before" or "after"
    function: str | None = None
    columns: tuple[str, ...] = ()  # UPDATE OF these columns only
    body: str | None = None  # the function's body, when known
    enabled: bool = True

    def fires_for(self, column: str) -> bool:
        return self.enabled and (not self.columns or column in self.columns)


@dataclass
class TriggerPlan:
    known: list[str] = field(default_factory=list)  # every trigger expected to fire
    keep: list[str] = field(default_factory=list)  # columns kept as they were
    notes: list[str] = field(default_factory=list)


_ASSIGN = re.compile(r"\bNEW\s*\.\s*(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\s*:?=\s*([^;]*);",
                     re.IGNORECASE)


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name.lower()


def assignments(body: str | None) -> list[tuple[str, str]]:
    """``NEW.col := value`` assignments in a PL/pgSQL body: (column, value text)."""
    if not body:
        return []
    return [(_unquote(m.group(1)), m.group(2).strip()) for m in _ASSIGN.finditer(body)]


def _reads(value: str, column: str) -> bool:
    pattern = rf"\bNEW\s*\.\s*(?:{re.escape(column)}\b|\"{re.escape(column)}\")"
    return re.search(pattern, value, re.IGNORECASE) is not None


def plan_triggers(triggers: list[RowTrigger], table: str, column: str, columns: list[str],
                  own: list[str], rows: int | None = None,
                  protected: tuple[str, ...] = (), can_guard: bool = True) -> TriggerPlan:
    """What a backfill of ``table.column`` does about the row triggers on UPDATE of ``table``
    (``own``: the plan's own sync triggers, which are meant to fire; ``protected``: columns
    never to touch, such as the key)."""
    out = TriggerPlan(known=list(own))
    many = f"about {rows:,} rows" if rows else "every row"
    for trig in triggers:
        if trig.name in own or not trig.fires_for(column):
            continue
        out.known.append(trig.name)
        what = (f"trigger {trig.name} ({trig.timing.upper()} UPDATE"
                + (f", function {trig.function}" if trig.function else "") + ")")
        if trig.body is None:
            out.notes.append(f"{what} fires for {many} the backfill writes; what it writes is "
                             "not known to the plan (its function is not in the schema).")
            continue
        writes = [(col, value) for col, value in assignments(trig.body)
                  if col != column.lower() and col in {c.lower() for c in columns}]
        if trig.timing != "before":
            out.notes.append(f"{what} fires for {many} the backfill writes (an AFTER trigger "
                             "cannot be kept from running)" + _elsewhere(trig.body) + ".")
            continue
        kept = [c for c, v in writes if not _reads(v, column) and c not in protected]
        derived = [c for c, v in writes if _reads(v, column)]
        parts = []
        if kept and not can_guard:
            parts.append(f"it sets {', '.join(kept)} on each row, and migsmith cannot keep "
                         "that from happening on this database")
            kept = []
        for name in columns:
            if name.lower() in kept and name not in out.keep:
                out.keep.append(name)
        if kept:
            parts.append(f"it would set {', '.join(kept)} on each row; the backfill keeps "
                         f"{'it' if len(kept) == 1 else 'them'} as {'it was' if len(kept) == 1 else 'they were'} "
                         "(a guard trigger, in the backfill's own session only)")
        if derived:
            parts.append(f"it derives {', '.join(derived)} from {column}, which stays its work")
        out.notes.append(f"{what} fires for {many} the backfill writes: "
                         + ("; ".join(parts) if parts else "it writes no other column of the row")
                         + _elsewhere(trig.body) + ".")
    return out


def _elsewhere(body: str | None) -> str:
    """"; its function also runs INSERT t" for the statements of a body that touch other
    tables, and a warning when it can raise (which stops the backfill at that batch)."""
    if not body:
        return ""
    raises = ("; its function can raise an error, which would stop the backfill at that batch"
              if re.search(r"\bRAISE\s+EXCEPTION\b", body, re.IGNORECASE) else "")
    found = []
    for verb, target in re.findall(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_\"][\w.\"]*)",
                                   body, re.IGNORECASE):
        item = f"{verb.split()[0].upper()} {target}"
        if item not in found:
            found.append(item)
    return (f"; its function also runs {', '.join(found)}" if found else "") + raises


# ----------------------------------------------------------------------------- from the schema
def from_schema(schema, table) -> list[RowTrigger]:
    """The row triggers on UPDATE the schema model holds for ``table`` (none when the model
    does not read triggers), with their functions' bodies where the schema has them."""
    functions = getattr(schema, "functions", None) or {}
    by_name = {}
    for fn in functions.values() if isinstance(functions, dict) else functions:
        by_name.setdefault(fn.name.lower(), fn)
        by_name.setdefault(fn.name.split(".")[-1].lower(), fn)
    out = []
    for trig in getattr(table, "triggers", None) or []:
        if getattr(trig, "level", "row") != "row" or "update" not in [e.lower() for e in trig.events]:
            continue
        if getattr(trig, "timing", "after") not in ("before", "after"):
            continue
        fn_name = (trig.function or "").split("(")[0].strip().lower() or None
        fn = by_name.get(fn_name) or by_name.get((fn_name or "").split(".")[-1])
        body = getattr(fn, "body", None) if fn else getattr(trig, "body", None)
        out.append(RowTrigger(name=trig.name, timing=trig.timing, function=trig.function,
                              columns=tuple(getattr(trig, "columns", ()) or ()), body=body,
                              enabled=getattr(trig, "enabled", True)))
    return out


# ----------------------------------------------------------------------------- PostgreSQL SQL
def live_triggers_sql(table: str, column: str) -> str:
    """Enabled, user-defined row triggers on UPDATE of ``table`` that fire when ``column`` is
    set (name, timing, function, UPDATE OF columns, function body), from the live catalog."""
    return f"""SELECT t.tgname::text, CASE WHEN t.tgtype & 2 <> 0 THEN 'before' ELSE 'after' END,
       p.oid::regproc::text,
       ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) k
              JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k),
       CASE WHEN l.lanname IN ('plpgsql', 'sql') THEN p.prosrc END
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_language l ON l.oid = p.prolang
 WHERE t.tgrelid = to_regclass({sql_string(quote_ident(table))}) AND NOT t.tgisinternal
   AND t.tgtype & 1 <> 0 AND t.tgtype & 16 <> 0 AND t.tgenabled IN ('O', 'A')
   AND (cardinality(t.tgattr::int2[]) = 0 OR EXISTS (
        SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.tgrelid
           AND a.attnum = ANY(t.tgattr::int2[]) AND a.attname = {sql_string(column)}))
 ORDER BY t.tgname"""


def setting_value(bf) -> str:
    """What ``migsmith.backfill`` holds while this backfill's batches run."""
    return f"{bf.table}.{bf.column}"


def guard_names(bf) -> tuple[str, str]:
    """(function, trigger) of the guard; the trigger sorts after the application's names."""
    short = bf.table.split(".")[-1]
    fn = bounded_name(short, bf.column, suffix="migsmith_keep")
    return fn, bounded_name("zz", short, bf.column, suffix="migsmith_keep")


def guard_function_sql(bf) -> str:
    fn, _ = guard_names(bf)
    keeps = "\n".join(f"  NEW.{quote_ident(c)} := OLD.{quote_ident(c)};" for c in bf.keep_columns)
    from migsmith.tools.planning.sqltext import dollar_quoted

    return (f"CREATE OR REPLACE FUNCTION {quote_ident(fn)}() RETURNS trigger\n"
            f"LANGUAGE plpgsql AS " + dollar_quoted(f"\nBEGIN\n{keeps}\n  RETURN NEW;\nEND\n",
                                                    "keep"))


def guard_trigger_sql(bf, or_replace: bool = True) -> str:
    """The guard trigger (``or_replace``: PostgreSQL 14+; before, drop it first)."""
    fn, trg = guard_names(bf)
    return (f"CREATE {'OR REPLACE ' if or_replace else ''}TRIGGER {quote_ident(trg)} BEFORE UPDATE ON "
            f"{quote_ident(bf.table)} FOR EACH ROW\n"
            f"    WHEN (current_setting('migsmith.backfill', true) = "
            f"{sql_string(setting_value(bf))})\n"
            f"    EXECUTE FUNCTION {quote_ident(fn)}()")


def drop_guard_sql(bf) -> list[str]:
    fn, trg = guard_names(bf)
    return [f"DROP TRIGGER IF EXISTS {quote_ident(trg)} ON {quote_ident(bf.table)}",
            f"DROP FUNCTION IF EXISTS {quote_ident(fn)}()"]
