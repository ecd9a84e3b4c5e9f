"""How peer linters' rule ids map onto migsmith's (for the peer-agreement test and report).

A peer id maps to the *set* of migsmith rules that together cover it: squawk's
``constraint-missing-not-valid``, for instance, is split here into a CHECK rule, a FOREIGN KEY rule
and a "validated in the same transaction" rule. A peer case counts as flagged when any rule of
the set fires. Ids with no equivalent are listed with the reason and scored as not applicable.
"""

from __future__ import annotations

SQUAWK_TO_MIGSMITH: dict[str, frozenset[str]] = {
    "adding-field-with-default": frozenset({"adding-volatile-default", "adding-rewriting-column"}),
    "adding-foreign-key-constraint": frozenset({"foreign-key-missing-not-valid"}),
    "adding-not-nullable-field": frozenset({"set-not-null-without-check"}),
    "adding-required-field": frozenset({"adding-required-column"}),
    "adding-serial-primary-key-field": frozenset({"require-using-index"}),
    "ban-char-field": frozenset({"ban-char-field"}),
    "ban-concurrent-index-creation-in-transaction": frozenset({"ban-concurrently-in-transaction"}),
    "ban-drop-column": frozenset({"ban-drop-column"}),
    "ban-drop-database": frozenset({"ban-drop-database"}),
    "ban-drop-table": frozenset({"ban-drop-table"}),
    "ban-uncommitted-transaction": frozenset({"uncommitted-transaction"}),
    "changing-column-type": frozenset({"changing-column-type"}),
    "constraint-missing-not-valid": frozenset({
        "check-missing-not-valid", "foreign-key-missing-not-valid", "validate-in-same-transaction"}),
    "disallowed-unique-constraint": frozenset({"require-using-index"}),
    "identifier-too-long": frozenset({"identifier-too-long"}),
    "prefer-bigint-over-int": frozenset({"prefer-bigint-key", "prefer-bigint-unbounded"}),
    "prefer-bigint-over-smallint": frozenset({"prefer-bigint-key", "prefer-bigint-unbounded"}),
    "prefer-identity": frozenset({"prefer-identity"}),
    "prefer-robust-stmts": frozenset({"prefer-robust-stmts"}),
    "prefer-text-field": frozenset({"prefer-text"}),
    "prefer-timestamp-tz": frozenset({"prefer-timestamptz"}),
    "renaming-column": frozenset({"renaming-column"}),
    "renaming-table": frozenset({"renaming-table"}),
    "require-concurrent-index-creation": frozenset({"require-concurrent-index-creation"}),
    "require-concurrent-index-deletion": frozenset({"require-concurrent-index-deletion"}),
    "require-concurrent-partition-detach": frozenset({"require-concurrent-partition-detach"}),
    "require-concurrent-reindex": frozenset({"require-concurrent-reindex"}),
    "require-lock-timeout": frozenset({"require-lock-timeout"}),
    "require-statement-timeout": frozenset({"require-statement-timeout"}),
    # squawk's alias for the two above; scored per effective id where the corpus says which fired
    "require-timeout-settings": frozenset({"require-lock-timeout", "require-statement-timeout"}),
    "transaction-nesting": frozenset({"transaction-nesting"}),
}

SQUAWK_NO_EQUIVALENT: dict[str, str] = {
    "ban-alter-domain-with-add-constraint": "domains are out of scope for migsmith plans",
    "ban-create-domain-with-constraint": "domains are out of scope for migsmith plans",
    "ban-drop-not-null": "DROP NOT NULL is instant and safe for the database; the risk is "
                         "application-level (nulls reaching code), which migsmith's planner handles",
    "ban-duplicate-column-assignments": "PostgreSQL itself rejects these statements at run time; "
                                        "not a migration-safety issue",
    "ban-truncate-cascade": "no TRUNCATE rule yet",
    "prefer-repack": "REPACK only exists from PostgreSQL 19 (unreleased)",
    "require-enum-value-ordering": "enum value order is a modelling choice, not a safety issue",
    "require-table-schema": "opt-in in squawk; search_path qualification is a house-style choice",
}

EUGENE_TO_MIGSMITH: dict[str, frozenset[str]] = {
    "E1": frozenset({"check-missing-not-valid", "foreign-key-missing-not-valid"}),
    "E2": frozenset({"set-not-null-without-check"}),
    "E3": frozenset({"prefer-jsonb"}),
    "E4": frozenset({"statement-after-access-exclusive"}),
    "E5": frozenset({"changing-column-type"}),
    "E6": frozenset({"require-concurrent-index-creation"}),
    "E7": frozenset({"require-using-index"}),
    "E8": frozenset({"ban-exclusion-constraint"}),
    "E9": frozenset({"require-lock-timeout"}),
    "E11": frozenset({"adding-rewriting-column"}),
    "W12": frozenset({"combine-alter-table"}),
}

EUGENE_NO_EQUIVALENT: dict[str, str] = {
    "E10": "trace-only: observed table rewrites need a running database (migsmith verify does this)",
    "E15": "trace-only: missing FK index check needs the live catalog",
    "W13": "enum vs lookup table is a modelling choice, not a safety issue",
    "W14": "PRIMARY KEY USING INDEX on nullable columns: needs the index's columns, which a "
           "single migration file usually does not show",
}


def migsmith_rules_for_squawk(rule_id: str) -> frozenset[str] | None:
    return SQUAWK_TO_MIGSMITH.get(rule_id)


def migsmith_rules_for_eugene(hint_id: str) -> frozenset[str] | None:
    return EUGENE_TO_MIGSMITH.get(hint_id)


# Why migsmith and a peer disagree, keyed "corpus:case:peer-rule" (one case), "corpus:case" (every
# rule of that case) or "corpus:*:peer-rule:OUTCOME" (every FP or FN of that rule). Rendered into
# docs/lint-peers.md. "migsmith is right" entries explain a deliberate difference; "gap" entries
# are known misses.
DISAGREEMENT_NOTES: dict[str, str] = {
    # --- squawk -------------------------------------------------------------------------------
    "squawk:cases/0018_adding-field-with-default_errors.sql":
        "migsmith is right: the case runs with pg_version 11, and PostgreSQL 11.0 is the release "
        "that made ADD COLUMN with a non-volatile default instant (no rewrite). squawk's test "
        "(`docs_example_error_on_pg_11`) expects the pre-11 behaviour.",
    "squawk:cases/0076_ban-concurrent-index-creation-in-transaction_ok.sql":
        "migsmith is right for what the setting says: with `assume_in_transaction` the runner puts "
        "BEGIN/COMMIT around the file, and CREATE INDEX CONCURRENTLY fails there even as the only "
        "statement. squawk assumes runners drop the transaction for such files; if yours does, "
        "lint those files without --assume-in-transaction.",
    "squawk:*:prefer-bigint-over-int:FN":
        "by design: migsmith asks for bigint on keys (prefer-bigint-key: primary and foreign keys, "
        "columns named id, *_id or camelCase *Id) and on values that only grow "
        "(prefer-bigint-unbounded: sizes, durations, counters, serial columns); squawk flags every "
        "int column, including int[] arrays such as this one.",
    "squawk:*:prefer-bigint-over-smallint:FN":
        "by design: migsmith asks for bigint on keys (prefer-bigint-key) and on values that only "
        "grow (prefer-bigint-unbounded); squawk flags every smallint column, including arrays "
        "such as this one.",
    "squawk:cases/0166_prefer-bigint-over-int_ok.sql":
        "mapping granularity: migsmith's one prefer-bigint-key rule covers both widths, and this "
        "'ok' case for squawk's int rule declares `id smallint`/`id serial2` keys, which migsmith "
        "rightly flags (squawk's smallint rule flags them too).",
    "squawk:cases/0182_prefer-bigint-over-smallint_ok.sql":
        "mapping granularity: this 'ok' case for squawk's smallint rule declares `id integer` keys, "
        "which migsmith's single prefer-bigint-key rule rightly flags (as squawk's int rule does).",
    "squawk:cases/0242_prefer-robust-stmts_ok.sql":
        "migsmith is right: an index without a name cannot use IF NOT EXISTS, so re-running the "
        "migration silently builds a second identical index (`..._idx1`). squawk only suggests "
        "naming it in its help text.",
    "squawk:cases/0243_prefer-robust-stmts_errors.sql":
        "migsmith is right: ENABLE/DISABLE ROW LEVEL SECURITY is idempotent, so a re-run cannot "
        "fail on it.",
    "squawk:cases/0244_prefer-robust-stmts_errors.sql":
        "migsmith is right: ENABLE ROW LEVEL SECURITY is idempotent, so a re-run cannot fail on it.",
    "squawk:cases/0245_prefer-robust-stmts_errors.sql":
        "migsmith is right: DISABLE ROW LEVEL SECURITY is idempotent, so a re-run cannot fail on it.",
    "squawk:cases/0247_prefer-robust-stmts_errors.sql":
        "migsmith is right: SET NOT NULL on a column that is already NOT NULL succeeds, so a "
        "re-run cannot fail on it.",
    "squawk:cases/0338_require-timeout-settings_errors.sql":
        "migsmith is right: CREATE TYPE ... AS ENUM takes no lock that application queries wait "
        "for (squawk's own lock table says 'Unknown').",
    "squawk:cases/0339_require-timeout-settings_errors.sql":
        "by design: COMMENT ON takes SHARE UPDATE EXCLUSIVE, which conflicts with neither reads nor "
        "writes; while it waits it holds up only other DDL and VACUUM, not the application.",
    "squawk:cases/0341_require-timeout-settings_errors.sql":
        "migsmith is right: VACUUM (FULL false) is a plain VACUUM (SHARE UPDATE EXCLUSIVE), which "
        "does not block reads or writes.",
    "squawk:cases/0342_require-timeout-settings_errors.sql":
        "migsmith is right: ACCESS SHARE conflicts only with ACCESS EXCLUSIVE; waiting for it "
        "cannot stall application reads or writes.",
    "squawk:cases/0350_require-timeout-settings_fix.sql":
        "migsmith is right: the ALTER TABLE targets the table created by the statement before it "
        "in the same file; nobody else can hold or wait for a lock on it.",
    "squawk:cases/0069_ban-char-field_errors.sql":
        "not valid PostgreSQL: `m int array[]` (PostgreSQL's grammar allows `int ARRAY`, "
        "`int ARRAY[n]` or `int[]`, not `ARRAY[]`); PostgreSQL's own parser, which migsmith uses, "
        "rejects the file. squawk's hand-written parser accepts it.",
    # --- eugene -------------------------------------------------------------------------------
    "eugene:cases/W12_bad.sql#2:E2":
        "eugene's blind spot, noted in the corpus README: its lint does not report E2 on the first "
        "SET NOT NULL of W12_bad (its trace does). The statement does scan the table under ACCESS "
        "EXCLUSIVE.",
}
