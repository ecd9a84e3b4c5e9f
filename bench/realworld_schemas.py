"""Every case of the real-world schema corpus, planned and verified with the default settings;
prints the pass count and the time per case, per split (see migsmith.evals.realworld_schemas).

    .venv/bin/python -m bench.realworld_schemas [--split tune|holdout|all] [--limit N]
"""

from __future__ import annotations

import sys

from migsmith.evals.realworld_schemas import main

if __name__ == "__main__":
    sys.exit(main())
