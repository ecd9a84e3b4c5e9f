"""Runner opt-outs on real migration files (evals/corpus/migrations, tune split only: the held-out
projects are scored by bench/lint_speed.py's side-by-side, never tested against here).

Every file its runner runs outside a transaction, by a directive in the file, a config file
beside it or the runner's own convention, must not be reported for CONCURRENTLY, even with
--assume-in-transaction where the opt-out is written down; the one file with CONCURRENTLY in a
folder that does not opt out (crates.io remove-downloads-column/down.sql) must be.
Files not on this machine are skipped: `python -m migsmith.evals.realworld extract migrations`.
"""

import pytest

from migsmith.evals import realworld
from migsmith.tools.lint.engine import lint_paths

RULE = "ban-concurrently-in-transaction"


def _entries():
    try:
        return [e for e in realworld.entries("migrations") if e["split"] == "tune"]
    except FileNotFoundError:
        return []


ENTRIES = _entries()
OPTED_OUT = [e for e in ENTRIES if e["kind"] != "config" and e["optout"]]


def _local(entry):
    # a file's config (diesel metadata.toml) must sit beside it, as in the repository
    for other in ENTRIES:
        if other["kind"] == "config" and entry["path"] in other.get("config_for", ()):
            realworld.locate(other)
    path = realworld.locate(entry)
    if path is None:
        pytest.skip(f"{entry['repo']} {entry['path']} is not on this machine "
                    "(python -m migsmith.evals.realworld extract migrations)")
    return path


@pytest.mark.skipif(not OPTED_OUT, reason="the migration corpus manifest is not in this checkout")
@pytest.mark.parametrize("entry", OPTED_OUT, ids=[e["id"] for e in OPTED_OUT])
def test_opted_out_files_are_not_reported_for_concurrently(entry):
    path = _local(entry)
    written = entry["optout"].startswith(("file:", "config:"))
    # a written opt-out beats --assume-in-transaction; a runner convention (golang-migrate,
    # sqitch, Flyway's all-non-transactional files) is what the runner does by default
    assume = True if written else None
    findings, _ = lint_paths([path], rules={RULE}, assume_in_transaction=assume)
    assert findings == [], f"{entry['id']} ({entry['optout']}): {[f.message for f in findings]}"


def test_the_opted_out_set_is_the_one_the_corpus_describes():
    if not OPTED_OUT:
        pytest.skip("the migration corpus manifest is not in this checkout")
    written = [e for e in OPTED_OUT if e["optout"].startswith(("file:", "config:"))]
    assert len(written) >= 50 and {e["runner"] for e in written} >= {"diesel", "goose", "postgres-migrations"}


def test_concurrently_in_a_diesel_folder_without_metadata_is_reported():
    entry = next((e for e in ENTRIES if e["repo"] == "rust-lang/crates.io"
                  and e["path"].endswith("remove-downloads-column/down.sql")), None)
    if entry is None:
        pytest.skip("the migration corpus manifest is not in this checkout")
    findings, _ = lint_paths([_local(entry)], rules={RULE})
    assert findings and all("diesel runs this migration in a transaction" in f.message for f in findings)
