"""Run every quick benchmark: `python -m bench` (the load benchmark runs on its own)."""

import importlib
import sys

QUICK = ["bench.plan_bench", "bench.lint_bench", "bench.lint_speed", "bench.verify_bench", "bench.agent_bench", "bench.eval_bench"]

if __name__ == "__main__":
    for name in QUICK:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        print(f"\n== {name}")
        module.main([])
    sys.exit(0)
