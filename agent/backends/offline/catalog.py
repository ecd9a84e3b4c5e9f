"""What the offline reader knows of the schema (what list_tables returned), and how a word of
a request finds the table, column, index or constraint it names.

A word names a table whatever its case, singular or plural, snake_case, camelCase or spaced
("local user" -> local_user, "document meta" -> DocumentMeta). Tables and columns a spec
creates or renames are added as the reading goes, so a later clause can name them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _key(word: str) -> str:
    """snake_case, camelCase, spaced and plural spellings of a name meet on one key."""
    w = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", word.strip('"`\'')).lower().removeprefix("public.")
    w = re.sub(r"[\s_-]+", "_", w)
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif re.search(r"(?:ss|us|is)$", w):
        pass
    elif w.endswith(("ses", "xes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and len(w) > 2:
        w = w[:-1]
    return w


@dataclass
class Catalog:
    columns: dict[str, list[str]]  # table -> column names
    rows: dict[str, int | None] = field(default_factory=dict)
    pks: dict[str, list[str]] = field(default_factory=dict)
    dialect: str = "postgres"
    indexes: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # table -> name -> cols
    constraints: dict[str, list[str]] = field(default_factory=dict)  # table -> names

    @classmethod
    def from_list_tables(cls, data: dict) -> "Catalog":
        tables = data["tables"]
        return cls(columns={t["name"]: list(t["columns"]) for t in tables},
                   rows={t["name"]: t.get("rows") for t in tables},
                   pks={t["name"]: list(t.get("primary_key") or []) for t in tables},
                   dialect=data.get("dialect", "postgres"),
                   indexes={t["name"]: dict(t.get("indexes") or {}) for t in tables},
                   constraints={t["name"]: list(t.get("constraints") or []) for t in tables})

    # ----------------------------------------------------------------- lookups
    def table(self, word: str) -> str | None:
        """The table a word (or a few spaced words) names, exactly first, then by key."""
        w = word.strip('"`\'').removeprefix("public.")
        for t in self.columns:
            if t.lower() == w.lower():
                return t
        keyed = [t for t in self.columns if _key(t) == _key(w)]
        return keyed[0] if len(keyed) == 1 else None

    def column(self, table: str, word: str) -> str | None:
        w = word.strip('"`\'')
        cols = self.columns.get(table, [])
        exact = [c for c in cols if c.lower() == w.lower()]
        if exact:
            return exact[0]
        if "_" not in w and not re.search(r"[a-z][A-Z]", w) and " " not in w:
            plural = [c for c in cols if w.lower().endswith("s") and not w.lower().endswith("ss")
                      and c.lower() == w.lower()[:-1]]
            return plural[0] if plural else None  # a plain word: as written, or its plural ("emails")
        keyed = [c for c in cols if _key(c) == _key(w)]
        return keyed[0] if len(keyed) == 1 else None

    def owners(self, word: str) -> list[str]:
        return [t for t in self.columns if self.column(t, word)]

    def index(self, word: str) -> tuple[str, str] | None:
        w = word.strip('"`\'').lower()
        for table, names in self.indexes.items():
            for name in names:
                if name.lower() == w:
                    return table, name
        return None

    def constraint(self, word: str) -> tuple[str, str] | None:
        w = word.strip('"`\'').lower()
        for table, names in self.constraints.items():
            for name in names:
                if name.lower() == w:
                    return table, name
        return None

    def index_on(self, table: str, cols: list[str]) -> str | None:
        """The index of ``table`` over exactly ``cols`` (to drop "the index on t.c")."""
        found = [n for n, c in self.indexes.get(table, {}).items() if [x.lower() for x in c] == [x.lower() for x in cols]]
        return found[0] if len(found) == 1 else None

    # ---------------------------------------------------------- what a spec does
    def create(self, table: str, columns: list[str]) -> None:
        self.columns[table] = list(columns)
        self.rows[table] = 0

    def add(self, table: str, column: str) -> None:
        self.columns.setdefault(table, []).append(column)

    def rename_column(self, table: str, old: str, new: str) -> None:
        self.columns[table] = [new if c == old else c for c in self.columns.get(table, [])]

    def rename_table(self, old: str, new: str) -> None:
        self.columns[new] = self.columns.pop(old)
        for part in (self.rows, self.pks, self.indexes, self.constraints):
            if old in part:
                part[new] = part.pop(old)

    def drop_column(self, table: str, column: str) -> None:
        self.columns[table] = [c for c in self.columns.get(table, []) if c != column]
