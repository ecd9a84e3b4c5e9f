"""Agreement with the peer linters' test corpora (squawk, eugene).

Scoring lives in tools/lint/peers.py; the id mapping and the explanation of every disagreement in
tools/lint/peer_map.py. This test fails when agreement drops below tests/lint/peer_baseline.json,
when a disagreement or a parse failure has no recorded explanation, or when a mapped rule has no
baseline. ``MIGSMITH_WRITE_PEER_REPORT=1`` regenerates docs/lint-peers.md.

Print the figures: ``.venv/bin/python -m migsmith.tools.lint.peers``.
"""

import json
import os
from pathlib import Path

import pytest

from migsmith.tools.lint.peer_map import DISAGREEMENT_NOTES, EUGENE_TO_MIGSMITH, SQUAWK_TO_MIGSMITH
from migsmith.tools.lint.peers import (
    _note_for,
    find_peers_dir,
    focused_eugene,
    plain_summary,
    render_markdown,
    score_eugene,
    score_squawk,
)
from migsmith.tools.lint.rules import all_rules

ROOT = Path(__file__).resolve().parents[2]
BASELINE = json.loads((Path(__file__).parent / "peer_baseline.json").read_text())


@pytest.fixture(scope="module")
def peers():
    found = find_peers_dir(ROOT)
    if found is None:
        pytest.skip("peer corpora not found: expected <repo>/../shared/peers or $MIGSMITH_PEERS_DIR")
    return found


@pytest.fixture(scope="module")
def results(peers):
    squawk, eugene = score_squawk(peers), score_eugene(peers)
    print("\n" + plain_summary(squawk) + "\n\n" + plain_summary(eugene))
    if os.environ.get("MIGSMITH_WRITE_PEER_REPORT") == "1":
        (ROOT / "docs" / "lint-peers.md").write_text(
            render_markdown(squawk, eugene, focused_eugene(peers)), encoding="utf-8")
    return {"squawk": squawk, "eugene": eugene}


def test_mapping_names_real_rules():
    known = set(all_rules())
    for peer, ours in {**SQUAWK_TO_MIGSMITH, **EUGENE_TO_MIGSMITH}.items():
        assert ours and ours <= known, f"{peer} maps to unknown rules {sorted(ours - known)}"


@pytest.mark.parametrize("corpus", ["squawk", "eugene"])
def test_agreement_does_not_drop_below_baseline(results, corpus):
    scores = results[corpus].scores()
    floor = BASELINE[corpus]
    missing = sorted(set(scores) - set(floor["rules"]))
    assert not missing, f"no baseline for {missing}: add them to tests/lint/peer_baseline.json"
    worse = {rule: (round(scores[rule].agreement, 3), minimum)
             for rule, minimum in floor["rules"].items()
             if rule in scores and scores[rule].agreement < minimum - 1e-9}
    assert not worse, f"{corpus} agreement fell below the baseline (actual, minimum): {worse}"
    overall = results[corpus].overall()
    assert overall.precision >= floor["min_precision"] - 1e-9
    assert overall.recall >= floor["min_recall"] - 1e-9
    assert len(results[corpus].items) >= floor["min_scored"]  # nothing silently stopped being scored


@pytest.mark.parametrize("corpus", ["squawk", "eugene"])
def test_every_disagreement_is_explained(results, corpus):
    result = results[corpus]
    unexplained = [f"{i.case} {i.peer_rule} {i.outcome}" for i in result.disagreements()
                   if _note_for(result, i) == "**not yet explained**"]
    assert not unexplained, ("explain these in DISAGREEMENT_NOTES (tools/lint/peer_map.py) or fix "
                             f"the rule: {unexplained}")
    unparsed = [case for case, _ in result.parse_errors if f"{corpus}:{case}" not in DISAGREEMENT_NOTES]
    assert not unparsed, f"cases migsmith cannot parse, without explanation: {unparsed}"


def test_eugene_focused_score_agrees_on_every_file(peers):
    rows = focused_eugene(peers)
    assert len(rows) == 20
    assert [r for r in rows if r[2] != r[3]] == []


def test_settings_are_honoured(peers):
    # the squawk-disable-assume-in-transaction cases only pass if the directive is honoured, and
    # the pg 11 / 12 / 16 / 19 cases only if pg_version reaches the rules
    result = score_squawk(peers)
    by_case = {(i.case, i.peer_rule): i for i in result.items}
    assert by_case[("cases/0078_ban-concurrent-index-creation-in-transaction_ok.sql",
                    "ban-concurrent-index-creation-in-transaction")].outcome == "TN"
    assert by_case[("cases/0033_adding-not-nullable-field_errors.sql", "adding-not-nullable-field")].outcome == "TP"
    assert by_case[("cases/0032_adding-not-nullable-field_ok.sql", "adding-not-nullable-field")].outcome == "TN"
