"""The dependents cases of the real-world schema corpus (evals/corpus/schemas, tune split
only), planned and verified with the default settings on whatever pinned files this machine
has: views, partitions, DESC and expression indexes, triggers, and backfills on tables whose
own machinery rewrites a column (a last_update trigger, MySQL's ON UPDATE CURRENT_TIMESTAMP)."""

from __future__ import annotations

import pytest

from migsmith.evals.realworld_schemas import load_corpus, run_case

CASES = [
    "lago-api-pg--index-enriched-events-subscription",  # index on a partitioned table
    "lago-api-pg--fk-enriched-events-organization",  # foreign key on a partitioned table
    "lago-api-pg--rename-invoices-issuing-date",  # rename under a view and a DESC index
    "openstreetmap-pg--rename-users-display-name",  # rename under an expression index
    "sakila-mysql--widen-actor-first-name",  # MySQL type change under two views
    "sakila-sqlite--widen-payment-amount",  # SQLite rebuild: views and triggers re-created
    "sakila-sqlite--rename-customer-active",  # SQLite rename under a view and a trigger
    "temporal-visibility-sqlite--rename-close-time",  # SQLite rename under DESC + expression
    "pihole-gravity-sqlite--rename-adlist-address",  # view + UPDATE OF trigger
    "sakila-pg--rename-category-name",  # PostgreSQL rename under four views (updated_at trigger kept)
    "sakila-pg--widen-film-rental-rate",  # PostgreSQL type change under two views
    "sakila-mysql--rename-address-phone",  # MySQL rename under two views (ON UPDATE last_update kept)
]


@pytest.mark.parametrize("case_id", CASES)
def test_dependents_case_plans_and_verifies(case_id, tmp_path, request):
    from migsmith.evals.realworld import locate
    from migsmith.tools.proving.shadow.pg_builds import required_extensions

    entries, cases = load_corpus(None)
    by_id = {e["id"]: e for e in entries}
    case = next((c for c in cases if c["id"] == case_id), None)
    if case is None:
        pytest.skip("the schema corpus is not in this checkout")
    assert case["split"] == "tune" and case["touches"]  # holdout cases are never run here
    entry = by_id[case["schema"]]
    path = locate(entry)
    if path is None:
        pytest.skip(f"{entry['repo']}:{entry['path']} is not on this machine (no snapshot)")
    server = None
    if entry["dialect"] == "postgres" and not required_extensions(path.read_text()):
        server = request.getfixturevalue("pg_server_url")  # else: a build that has them
    elif entry["dialect"] == "mysql":
        server = request.getfixturevalue("mariadb_server_url")
    ok, what, _ = run_case(case, entry, path, server, 200, tmp_path)
    assert ok, what
