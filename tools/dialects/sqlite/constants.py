"""SQLite's lock name, literal forms, and which operations need the table rebuild."""

from __future__ import annotations

import re

RESERVED = "RESERVED"  # SQLite's write lock: one writer for the whole database; readers go on

_LITERAL = re.compile(r"^(-?\d+(\.\d+)?|'([^']|'')*'|NULL|TRUE|FALSE|X'[0-9A-Fa-f]*')$",
                      re.IGNORECASE)

# A backfill file holds at most this many batch transactions; bigger tables get bigger batches.
MAX_BATCHES = 100

_KEYWORD_DEFAULT = re.compile(r"^CURRENT_(TIMESTAMP|DATE|TIME)$", re.IGNORECASE)

_REBUILT = ("alter_column_type", "set_not_null", "drop_not_null", "set_default", "drop_default",
            "add_foreign_key", "add_check_constraint")

_PHASE = {"create_table": "expand", "add_column": "expand", "add_index": "expand",
          "rename_column": "expand", "rename_table": "expand", "alter_column_type": "expand",
          "drop_not_null": "expand", "set_default": "expand", "drop_default": "expand",
          "backfill": "backfill", "set_not_null": "constrain", "add_foreign_key": "constrain",
          "add_check_constraint": "constrain", "add_unique_constraint": "constrain",
          "drop_table": "contract", "drop_column": "contract", "drop_index": "contract",
          "drop_constraint": "contract"}
