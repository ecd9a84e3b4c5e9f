"""What the offline planner knows of the schema: the catalog list_tables returned."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Catalog:
    """What list_tables said: table -> column names, row estimates, primary keys."""

    columns: dict[str, list[str]]
    rows: dict[str, int | None] = field(default_factory=dict)
    pks: dict[str, list[str]] = field(default_factory=dict)
    dialect: str = "postgres"
    indexes: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # table -> name -> cols
    constraints: dict[str, list[str]] = field(default_factory=dict)  # table -> constraint names

    @classmethod
    def from_list_tables(cls, data: dict) -> "Catalog":
        return cls(columns={t["name"]: list(t["columns"]) for t in data["tables"]},
                   rows={t["name"]: t.get("rows") for t in data["tables"]},
                   pks={t["name"]: list(t.get("primary_key") or []) for t in data["tables"]},
                   dialect=data.get("dialect", "postgres"),
                   indexes={t["name"]: dict(t.get("indexes") or {}) for t in data["tables"]},
                   constraints={t["name"]: list(t.get("constraints") or []) for t in data["tables"]})

    def table(self, word: str) -> str | None:
        """The table a word names, allowing singular/plural and case differences."""
        w = word.lower().removeprefix("public.")
        names = {t.lower(): t for t in self.columns}
        for cand in (w, w + "s", w + "es", w[:-1] if w.endswith("s") else None,
                     w[:-2] if w.endswith("es") else None,
                     w[:-3] + "y" if w.endswith("ies") else None,
                     w[:-1] + "ies" if w.endswith("y") else None):
            if cand and cand in names:
                return names[cand]
        return None

    def column(self, table: str, word: str) -> str | None:
        for c in self.columns.get(table, []):
            if c.lower() == word.lower():
                return c
        return None

    def owners(self, column: str) -> list[str]:
        return [t for t in self.columns if self.column(t, column)]
