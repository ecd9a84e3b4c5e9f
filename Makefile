# Two entry points, both self-installing on a fresh machine:
#   make demo   - plan a change offline on the bundled example schema
#   make test   - run the whole test suite (real PostgreSQL, SQLite and MariaDB)
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench eval cassettes lint-self clean

# The install's own output goes to a log (shown only when it fails), so that `make demo`
# prints the plan and nothing else.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV) (first run only; log in $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@( $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[dev]' ) \
		> $(VENV)/install.log 2>&1 || { tail -n 40 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

demo: $(STAMP)
	@rm -rf out/demo
	@$(BIN)/migsmith plan "rename created to created_at in posts" --schema examples/schema.sql --out out/demo
	@echo "Read out/demo/PLAN.md"

test: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

eval: $(STAMP)
	$(BIN)/migsmith eval --report out/eval

# Re-record the Anthropic cassettes: against the local stand-in, or, with ANTHROPIC_API_KEY
# (and MIGSMITH_MODEL) set, against the real Messages API (docs/agent.md).
cassettes: $(STAMP)
	MIGSMITH_RECORD=1 $(BIN)/pytest -q -p no:xdist tests/agent/test_agent_cassettes.py

clean:
	rm -rf out build *.egg-info
