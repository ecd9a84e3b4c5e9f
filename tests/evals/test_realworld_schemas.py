"""The real-world schema corpus (evals/corpus/schemas): a CI-time subset of its cases plans and
verifies with the default settings on whatever pinned files this machine has (the rest, and
the pass count with the time per case: ``python -m bench.realworld_schemas``)."""

from __future__ import annotations

import pytest

from migsmith.evals.realworld_schemas import KNOWN, load_corpus, run_case

# quick cases of tune schemas across the three dialects (holdout cases are never used here)
SUBSET = ["sakila-pg--add-staff-phone", "temporal-pg--add-task-queues-version",
          "sakila-sqlite--add-customer-phone", "pihole-gravity-sqlite--add-client-enabled",
          "sakila-mysql--add-customer-phone"]


def _cases():
    entries, cases = load_corpus(None)
    by_id = {e["id"]: e for e in entries}
    return {c["id"]: (c, by_id.get(c["schema"])) for c in cases}


@pytest.mark.parametrize("case_id", SUBSET)
def test_corpus_case_plans_and_verifies(case_id, tmp_path, request):
    from migsmith.evals.realworld import locate

    found = _cases()
    if case_id not in found or found[case_id][1] is None:
        pytest.skip("the schema corpus manifest is not in this checkout "
                    "(evals/corpus/schemas/manifest.jsonl)")
    case, entry = found[case_id]
    assert case.get("split") == "tune" and case_id not in KNOWN
    path = locate(entry)
    if path is None:
        pytest.skip(f"{entry['repo']}:{entry['path']} is not on this machine (no snapshot)")
    server = None
    if entry["dialect"] == "postgres":
        server = request.getfixturevalue("pg_server_url")
    elif entry["dialect"] == "mysql":
        server = request.getfixturevalue("mariadb_server_url")
    ok, what, _ = run_case(case, entry, path, server, 200, tmp_path)
    assert ok, what


@pytest.fixture(scope="module")
def servers():
    """PostgreSQL servers for the known failures' schemas, by schema (the build each case's
    target and extensions call for, as the benchmark starts them)."""
    from migsmith.evals.realworld_schemas import Servers

    started: dict[str, Servers] = {}

    def get(entry, path):
        if entry["id"] not in started:
            started[entry["id"]] = Servers(path.read_text())
        return started[entry["id"]]

    yield get
    for s in started.values():
        s.close()


@pytest.mark.parametrize("case_id", sorted(KNOWN))
def test_known_failure_still_fails_with_its_symptom(case_id, tmp_path, request, servers):
    """Every KNOWN entry still fails, and with the symptom it names: a fault that gets fixed
    (or fails otherwise) fails here until its entry is removed or rewritten."""
    from migsmith.evals.realworld import locate
    from migsmith.evals.realworld_schemas import classify

    found = _cases()
    assert case_id in found, f"KNOWN names {case_id}, which is not a corpus case"
    case, entry = found[case_id]
    assert case.get("split") == "tune", "holdout cases are never tuned on, nor listed as known"
    path = locate(entry)
    if path is None:
        pytest.skip(f"{entry['repo']}:{entry['path']} is not on this machine (no snapshot)")
    if entry["dialect"] == "postgres":
        server = servers(entry, path)
    elif entry["dialect"] == "mysql":
        server = request.getfixturevalue("mariadb_server_url")
    else:
        server = None
    ok, what, _ = run_case(case, entry, path, server, 100, tmp_path)
    label = classify(case_id, ok, what)
    assert label == "known", (f"{case_id} {'passes now' if ok else 'fails otherwise'}: "
                              f"{what[:300]}; remove or rewrite its KNOWN entry (its symptom: "
                              f"{KNOWN[case_id][1]!r})")
