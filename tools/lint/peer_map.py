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
    "prefer-bigint-over-int": frozenset({"prefer-bigint-key"}),
    "prefer-bigint-over-smallint": frozenset({"prefer-bigint-key"}),
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
DISAGREEMENT_NOTES: dict[str, str] = {}
