"""The third stage: a clause read as a frame (a verb, the things it names, what is said of
them) and the operations that frame asks for.

The verb's kind (add, drop, rename, change, set, index, link, replace; lexicon.VERBS) says how
the names are read; a clause without a verb is read by its subject and what follows it
("posts.views should be a bigint", "api_ping.object_size integer, nullable"). Words that
describe a column (types, NOT NULL, defaults, unique, references, where ...) are read by one
attribute reader, whichever operation they end up in.
"""

from __future__ import annotations

import re

from migsmith.agent.backends.offline.constraints import DELETED, FILL, GONE, SCOPE, UNIQUE, check_rule, listed_values
from migsmith.agent.backends.offline.lexicon import BOOLEAN_VALUES, COLUMN_NOUNS, NOISE, PRODUCTS, VALUE_WORDS, type_from_name
from migsmith.agent.backends.offline.outcome import Background, NotUnderstood
from migsmith.agent.backends.offline.tokens import Tok
from migsmith.tools.errors import did_you_mean

REFS = {"it", "its", "them", "they", "both", "those", "these", "that", "this", "each", "all"}
NOUNS = {"data", "value", "type", "time", "record", "entry", "kind", "first", "last", "next", "left", "right", "order"}
MODALS = {"should", "must", "needs", "need", "has", "have", "can", "may", "will", "become", "becomes", "mustn't",
          "shouldn't", "can't", "cannot", "never", "always"}
PREPS = {"to", "on", "in", "into", "for", "of", "from", "at"}
CUE_INDEX = re.compile(r"\b(?:slow|slowly|speed\s+up|faster|scan(?:s|ning)?|look(?:s|ed|ing)?\s+(?:\w+\s+)?up|lookups?|"
                       r"quer(?:y|ies|ied)\s+(?:\w+\s+)?by|filter(?:s|ed|ing)?\s+(?:\w+\s+)?by|sort(?:s|ed|ing)?\s+(?:\w+\s+)?by|"
                       r"order(?:s|ed)?\s+by|search(?:es|ed|ing)?\s+(?:\w+\s+)?by|group(?:s|ed)?\s+(?:\w+\s+)?by|"
                       r"takes?\s+(?:seconds|forever|ages|minutes))\b")


EXPLAINS = {  # a key phrase is read when the clause's operations include one of these
    "index": {"add_index", "drop_index"}, "unique": {"add_index", "add_unique_constraint"},
    "unique_constraint": {"add_unique_constraint", "drop_constraint"}, "default": {"set_default", "drop_default"},
    "not_null": {"set_not_null", "drop_not_null", "add_column", "create_table"},
    "nullable": {"drop_not_null", "add_column", "create_table"}, "fk": {"add_foreign_key", "drop_constraint"},
    "ref": {"add_foreign_key"}, "check": {"add_check_constraint"}, "pk": {"create_table"},
    "constraint": {"drop_constraint", "add_check_constraint", "add_unique_constraint", "add_foreign_key", "set_not_null"},
    "where": {"backfill", "add_index"}, "on_delete": {"add_foreign_key"}, "autoinc": {"create_table"},
    "arrow": {"add_foreign_key", "rename_column", "rename_table", "alter_column_type"}, "no_default": {"drop_default"},
    "instead": {"rename_column", "rename_table", "alter_column_type", "set_default"},
    "called": {"create_table", "add_column", "rename_column", "rename_table", "add_index", "add_foreign_key",
               "add_unique_constraint", "add_check_constraint"},
}


class Frames:
    """Mixin of the reader (reading.py): ``self.cat`` the catalog, ``self.emit`` an operation,
    ``self.last`` what "it" and "them" mean so far."""

    # -- entry
    def read_clause(self, toks: list[Tok], text: str) -> None:
        verb = next((t for t in self._outside_parens(toks) if t.kind == "verb"), None)
        lead = self._content(toks)
        if verb is not None and lead and lead[0] is not verb and verb.value in ("add", "change") \
                and any(t.is_("index", "unique", "unique_constraint", "fk", "check") and t.start < verb.start for t in lead):
            verb = None  # "unique index on users.email ... added" reads by its head word
        if lead and lead[0].kind == "kw" and lead[0].value in ("index", "unique", "unique_constraint", "fk", "check", "not_null"):
            verb = None  # a terse "index on t(c)", "unique index on t.c", "fk from ... to ..."
        kind = verb.value if verb is not None else None
        self.verb_text = verb.text.lower() if verb is not None else ""
        self.trace.append(f"frame: {text!r} verb={verb.text if verb else '-'} ({kind or 'subject'})")
        if verb is not None:
            verb.used = True
        handler = {"add": self.read_add, "drop": self.read_drop, "rename": self.read_rename,
                   "change": self.read_change, "set": self.read_set, "index": self.read_index,
                   "link": self.read_link, "replace": self.read_replace}.get(kind, self.read_subject)
        handler(toks, text, verb)

    # -- helpers
    @staticmethod
    def _outside_parens(toks: list[Tok]) -> list[Tok]:
        out, depth = [], 0
        for t in toks:
            depth += t.text == "("
            if depth == 0:
                out.append(t)
            depth -= t.text == ")" and depth > 0
        return out

    @staticmethod
    def _content(toks: list[Tok]) -> list[Tok]:
        return [t for t in toks if t.kind != "punct" and not (t.kind == "word" and t.value in NOISE)]

    def _refers(self, t: Tok) -> bool:
        return t.kind == "word" and t.value in REFS

    def tables_named(self, toks: list[Tok]) -> list[str]:
        """Tables the clause names by themselves (not as the head of table.column)."""
        out = []
        for t in toks:
            if t.table and not t.ref and t.table not in out and not t.target and not t.aside and not (
                    t.owners and self._prefer_column(t, toks)):
                out.append(t.table)
        return out

    def _prefer_column(self, t: Tok, toks: list[Tok]) -> bool:
        """A word that names a table and a column of another named table ("user" in "posts
        by user") is the column when that other table is named too."""
        others = [x.table for x in toks + (self.head if self.context else []) if x.table and x is not t]
        return any(o in t.owners for o in others)  # a "TABLE:" head names the other table too

    def clause_tables(self, toks: list[Tok]) -> list[str]:
        """The clause's tables: named ones, then those of dotted names, then the last one."""
        named = self.tables_named(toks)
        dotted = [t.ref[0] for t in toks if t.ref and t.ref[0] not in named and not t.target]
        return named + list(dict.fromkeys(dotted)) or ([self.last["table"]] if self.last.get("table") else [])

    def existing_columns(self, toks: list[Tok], tables: list[str] | None = None) -> list[tuple[str, str]]:
        """(table, column) pairs the clause names: table.column, a column of a named table, a
        column only one table has, or "it"/"them" (what was named last)."""
        tables = tables if tables is not None else self.clause_tables(toks)
        out: list[tuple[str, str]] = []
        own: list[tuple[str, str]] = []  # what this clause names itself, not by a pronoun
        for i, t in enumerate(toks):
            if t.used or t.kind in ("punct", "num", "verb") or (t.kind == "kw" and not t.owners) or (
                    t.kind == "type" and not t.ref and any(x.owners or x.ref or self._refers(x) for x in toks if x is not t)):
                continue
            last = self.last.get("columns") or []
            if t.is_("column", "field") and i and toks[i - 1].value in ("the", "that", "this") \
                    and last and not any(x.owners or x.ref for x in toks):
                found = last[-1:]  # "make the column NOT NULL"
            elif t.ref and self.cat.column(*t.ref):
                found = [(t.ref[0], self.cat.column(*t.ref))]
            elif self._refers(t) and own:
                found = own if t.value in ("them", "both", "they", "those", "these", "all", "each") else own[-1:]
                # "drop book_id, nothing reads it": what this clause named, not what an earlier one did
            elif self._refers(t) and last:  # "it": the one column, also when it was added to several tables
                found = last if t.value in ("them", "both", "they", "those", "these", "all", "each") or len(
                    {c for _, c in last}) == 1 else last[-1:]
            elif t.owners and not (t.table and not self._prefer_column(t, toks)):
                found = [p for p in [self._owner(t, tables)] if p]
            elif t.table and not t.target and not (i + 1 < len(toks) and toks[i + 1].text in ("on", "(")) and (key := next((self.cat.column(x, _singular(t.value) + "_id") for x in tables
                                                            if x != t.table and self.cat.column(x, _singular(t.value) + "_id")), None)):
                found = [(next(x for x in tables if x != t.table and self.cat.column(x, key)), key)]
            else:
                continue
            t.used = t.used or bool(found)
            out += [p for p in dict.fromkeys(found) if p not in out]
            own += [p for p in found if not self._refers(t) and p not in own]
        return out

    def _owner(self, t: Tok, tables: list[str]) -> tuple[str, str] | None:
        inside = [x for x in tables if x in t.owners]
        if inside:
            return inside[0], self.cat.column(inside[0], t.name)
        if tables and not (t.kind in ("str", "qid") or "_" in t.name):
            return None  # a plain word of another table ("name" in "users ... name")
        if len(t.owners) == 1 and (not tables or "_" in t.name or t.kind in ("str", "qid")):
            return t.owners[0], self.cat.column(t.owners[0], t.name)
        if tables and t.kind == "word" and t.value in NOISE:
            return None
        return self.ask_owner(t.name, t.owners)

    def value(self, toks: list[Tok], i: int) -> tuple[str, int]:
        """A default or backfill value starting at ``toks[i]``: (SQL, next index); its words
        are marked read."""
        sql, nxt = self._value(toks, i)
        self._use(toks[i:nxt])
        return sql, nxt

    def _value(self, toks: list[Tok], i: int) -> tuple[str, int]:
        t = toks[i]
        if t.kind in ("str", "num"):
            return t.text, i + 1
        if t.text == "-" and i + 1 < len(toks) and toks[i + 1].kind == "num":
            return "-" + toks[i + 1].text, i + 2
        if t.kind == "qid" and t.text.startswith("`"):
            return t.name, i + 1
        if t.kind in ("word", "verb", "kw", "type"):
            if i + 1 < len(toks) and toks[i + 1].text == "(":
                end = self._close(toks, i + 1)
                return self.raw(toks[i], toks[end]), end + 1
            two = " ".join(x.value for x in toks[i:i + 3])
            for phrase, sql in sorted(VALUE_WORDS.items(), key=lambda kv: -len(kv[0])):
                if two.startswith(phrase) and len(phrase.split()) <= 3:
                    return sql, i + len(phrase.split())
            if t.value in BOOLEAN_VALUES:
                return BOOLEAN_VALUES[t.value], i + 1
            if t.kind == "word" and re.fullmatch(r"[a-z_][\w$]*", t.value):
                raise NotUnderstood(self.raw(toks[i], toks[-1]), [t.text], "default",
                                    why=f"quote text values ('{t.text}') or give a number, true/false, or a function like now()")
        raise NotUnderstood(self.raw(toks[i], toks[-1]), [t.text], "default",
                            why="a value is a number, a 'quoted' text, true/false, NULL or a function like now()")

    @staticmethod
    def _close(toks: list[Tok], i: int) -> int:
        depth = 0
        for j in range(i, len(toks)):
            depth += toks[j].text == "("
            depth -= toks[j].text == ")"
            if depth == 0:
                return j
        return len(toks) - 1

    def raw(self, first: Tok, last: Tok) -> str:
        return self.sentence[first.start:last.end]

    def expression(self, toks: list[Tok]) -> str:
        """SQL of a condition or value written after where/using/check/to: kept as written,
        a few words said in SQL."""
        if not toks:
            raise NotUnderstood(self.sentence, [], "set", why="a condition or value is missing")
        self._use(toks)
        text = self.raw(toks[0], toks[-1]).strip().rstrip(".")
        text = re.sub(r"\s+(?:first|then|too|again|now|as\s+well|afterwards|instead|for\s+(?:the\s+|all\s+)?(?:existing|old)\s+"
                      r"(?:rows|records|ones))$", "", text, flags=re.IGNORECASE)
        text = re.sub(r"^\((.*)\)$", r"\1", text.strip())
        for pat, rep in ((r"\bis\s+not\s+set\b|\bis\s+missing\b|\bis\s+empty\b", "IS NULL"),
                         (r"\bis\s+set\b|\bis\s+present\b", "IS NOT NULL"), (r"\bis\s+true\b", "= true"),
                         (r"\bis\s+false\b", "= false"), (r"\bequals\b|\bis\s+equal\s+to\b", "="),
                         (r"\bis\s+greater\s+than\b", ">"), (r"\bis\s+less\s+than\b", "<")):
            text = re.sub(pat, rep, text, flags=re.IGNORECASE)
        return text

    def attrs(self, toks: list[Tok]) -> dict:
        """What a run of words says of a column: type, nullability, default, unique, primary
        key, reference, index, a predicate, a name. Marks what it reads."""
        out: dict = {}
        i, old = 0, False
        at = lambda j: toks[j] if 0 <= j < len(toks) else Tok("", "punct", "", 0, 0)  # noqa: E731
        while i < len(toks):
            t, nxt = toks[i], i + 1
            if t.kind == "type" and not t.used and not t.ref:
                if t.owners:
                    out.setdefault("_maybe_type", t)
                else:
                    t.used = True
                    if old:  # "text instead of varchar(20)", "from boolean to int"
                        old = False
                    elif "type" not in out or at(i - 1).is_("arrow", "to") or t.text.isupper() and not out.get("_type", t).text.isupper():
                        if "_type" in out:  # "a flag (INTEGER ...)": as written in SQL
                            out["_type"].aside = True
                        out["type"], out["_type"] = t.value, t
            elif t.value == "type" and at(i + 1).kind == "word" and not at(i + 1).named and at(i + 1).value not in NOISE:
                if "_" not in at(i + 1).text:  # "of type integr": not a type, nor a type of the schema ("mood_enum")
                    raise NotUnderstood(self.sentence, [at(i + 1).text], "add", why=f"unknown type {at(i + 1).text!r}")
                t.used = at(i + 1).used = True
                out["type"], nxt = at(i + 1).text, i + 2
            elif t.is_("instead") or t.value == "from" and at(i + 1).kind == "type":
                t.used = old = True
            elif t.is_("not_null") or t.is_("nullable") or t.value == "null" and i and not at(i - 1).is_("default", "not"):
                t.used, out["nullable"] = True, not t.is_("not_null") or at(i - 2).is_("drop") or at(i - 1).is_("drop")
            elif t.value in ("filled", "populated") and at(i + 1).value == "with" and any(
                    x.text.lower() == "by default" for x in toks[i + 2:]):
                out["default"], nxt = self.value(toks, i + 2)  # "should be filled with now() by default"
            elif t.is_("default"):
                t.used = True
                back = next((k for k in (3, 2, 1) if i >= k and " ".join(x.value for x in toks[i - k:i]) in VALUE_WORDS), 0) or (
                    at(i - 1).kind in ("num", "str") or at(i - 1).value in BOOLEAN_VALUES)
                if t.text.lower() == "by default" and back:
                    out["default"], _ = self.value(toks, i - back)  # "null by default", "0 by default", "empty string by default"
                    i += 1
                    continue
                j = i + 1 + (2 if at(i + 1).value in ("of", "for", "on") and (at(i + 2).ref or at(i + 2).owners or self._refers(at(i + 2)))
                             else 1 if (at(i + 1).ref or at(i + 1).owners) and at(i + 2).value == "to" else 0)
                restated = False  # "the default of posts.status to 'draft'", "default views to 0", "the default stays 0"
                while at(j).value in ("of", "to", "a", "an", "is", "value", "be", "should", "must", "change", "stays", "stay",
                                      "remains", "remain", "still", "=", ":") and at(j).kind in ("word", "verb", "punct"):
                    restated = restated or at(j).value in ("stays", "stay", "remains", "remain", "still")
                    at(j).used = True
                    j += 1
                if j < len(toks):
                    value, nxt = self.value(toks, j)
                    for x in toks[j:nxt]:
                        x.used, x.aside = True, restated
                    if not restated:
                        out["default"] = value
            elif t.is_("unique", "unique_constraint"):
                t.used, out["unique"] = True, True
                out["unique_constraint"] = out.get("unique_constraint") or t.is_("unique_constraint")
            elif t.is_("pk", "autoinc", "on_update", "on_delete"):
                t.used = True
                out.update(pk=True) if t.is_("pk") else out.update(on_delete=t.arg) if t.is_("on_delete") else None
            elif t.is_("ref", "fk"):
                t.used = True
                j = i + 1
                if t.is_("fk") and self._name_like(at(j)) and not at(j).named and at(j + 1).value in ("to", "ref"):
                    out["fk_name"], at(j).used = at(j).name, True  # "a foreign key cer_to_ugi to user_groups(id)"
                    j += 1
                while at(j).value in ("to", "a", "the", "an", "as", "ref") and at(j).kind in ("word", "kw"):
                    at(j).used = True
                    j += 1
                if at(j).table or at(j).ref:
                    target = at(j)
                    target.used = target.target = True
                    table, col = (target.ref[0], self.cat.column(*target.ref)) if target.ref else (target.table, None)
                    if at(j + 1).text == "(" and self.cat.column(table, at(j + 2).name):
                        col = self.cat.column(table, at(j + 2).name)
                        for x in toks[j + 1:j + 4]:
                            x.used = x.target = True
                        j += 3
                    out["ref"], nxt = (table, col or (self.cat.pks.get(table) or ["id"])[0]), j + 1
                elif t.is_("ref"):
                    t.used = False  # "referencing a language table" names none there: unread, so the check refuses
            elif t.is_("index"):
                t.used, out["index"] = True, True
                out["unique_index"] = "unique" in t.text.lower()
            elif t.is_("where", "using"):
                t.used = True
                depth = sum(x.text == "(" for x in toks[:i]) - sum(x.text == ")" for x in toks[:i])
                end = next((j for j in range(i + 1, len(toks)) if depth and sum(x.text == ")" for x in toks[i + 1:j + 1])
                            - sum(x.text == "(" for x in toks[i + 1:j + 1]) >= depth or toks[j].value == "\0"), len(toks))
                out[t.value] = self.expression(toks[i + 1:end]) if i + 1 < end else None  # the aside ends it
                at(end).used, nxt = True, end + 1
            elif t.is_("called") and at(i + 1).kind in ("word", "qid", "str"):
                t.used = at(i + 1).used = True
                out["name"], nxt = at(i + 1).name, i + 2
            elif t.is_("after") and i + 1 < len(toks):
                t.used = at(i + 1).used = True
                self.assumptions.append(f"column order is not planned ({t.text} {at(i + 1).text} left out)")
                nxt = i + 2
            self._use(toks[i:nxt], lambda x: nxt > i + 1)
            i = nxt
        return out

    def unknown_names(self, toks: list[Tok]) -> str | None:
        """Why a clause may have failed: a name in it that names nothing (with the nearest)."""
        tables = list(self.cat.columns)
        for i, t in enumerate(toks):
            prev = toks[i - 1].value if i else ""
            if t.ref and not self.cat.column(*t.ref):
                hint = did_you_mean(t.ref[1], self.cat.columns[t.ref[0]])
                return f"unknown column {t.ref[1]!r} in table {t.ref[0]!r}" + (f" ({hint})" if hint else "")
            if t.kind in ("word", "qid") and not t.named and "." in t.name:
                head = t.name.rpartition(".")[0]
                return f"unknown table {head!r}" + (f" ({did_you_mean(head, tables)})" if did_you_mean(head, tables) else "")
            if t.kind in ("word", "qid") and not t.named and t.value not in NOISE and (
                    prev in ("to", "on", "in", "from", "into", "table") or (i and toks[i - 1].is_("ref"))) \
                    and (i + 1 == len(toks) or toks[i + 1].kind == "punct" or toks[i + 1].value == "table"):
                hint = did_you_mean(t.name, tables)
                return f"unknown table {t.name!r} ({hint or 'tables: ' + ', '.join(tables)})"
            if i and toks[i - 1].is_("index") and self._name_like(t) and not t.named and not toks[i - 1].used:
                return f"unknown index {t.name!r}"
            if t.kind == "word" and not t.named and t.value not in NOISE and prev in ("drop", "remove", "column"):
                tables_here = self.tables_named(toks)
                pool = self.cat.columns[tables_here[0]] if tables_here else sorted({c for cols in self.cat.columns.values() for c in cols})
                hint = did_you_mean(t.name, pool)
                where = f"in table {tables_here[0]!r}" if tables_here else "in any table"
                return f"unknown column {t.name!r} {where}" + (f" ({hint})" if hint else "")
        return None

    # -- add
    def read_add(self, toks: list[Tok], text: str, verb: Tok) -> None:
        """Read by what is added: its first key word (an index, a constraint, a foreign key, a
        check, NOT NULL or a default of a column there), a table, a rule; else new columns."""
        after = [t for t in toks if t.start > verb.start]
        heads = [t for t in after if t.kind != "punct"][:4]
        column_word = any(t.is_("column", "columns", "field", "fields") for t in after)
        if re.match(r"(?:it\s+back|it\s+again|a\s+new\s+one)\b", self.raw(after[0], after[-1]).lower() if after else ""):
            return self.read_again(toks, text, verb)  # "drop the fk and add it back with ON DELETE CASCADE"
        if self.tentative and after and all(self._refers(t) or t.kind == "punct" for t in after):
            ops, self.tentative = self.tentative, []  # "... wants an index on t (a, b). Add it"
            return self._use(after) or [self.emit(op) for op in ops] and None
        if heads and heads[0].kind == "word" and heads[0].value in ("who", "whether", "when", "what", "which", "how", "if", "why"):
            named = next((t for i, t in enumerate(after) if i and after[i - 1].text == "(" and self._name_like(t)), None)
            if named is None:
                raise Background(text, True)  # "track who created each post: ..." says why
            table = next((t.table for t in after if t.table), None)
            self._use(after, lambda t: (t.kind == "word" and not t.named) or t is named or t.table == table)
            return self._add_column(table, {"name": named.name, "attrs": {}}, text) if table else None
        if any(t.is_("table") for t in heads) and not any(
                t.is_("column", "columns", "field") for t in heads) or self.verb_text == "create" \
                and len(after) > 1 and after[1].text == ":" and self._name_like(after[0]):  # "Create t: a int, ..."
            return self.read_create(toks, text)
        existing = not column_word and (any(t.ref and self.cat.column(*t.ref) for t in toks) or any(
            t.owners and not t.table and set(t.owners) & set(self.tables_named(toks))
            and self.cat.column(t.owners[0], t.name).lower() == t.name.lower() for t in toks))
        said = any(t.ref and self.cat.column(*t.ref) or t.owners and not t.table for t in toks) and not any(
            t.kind == "type" and not t.owners and not re.search(r"\d\s*char", t.text) for t in toks)  # a typed column is new
        if said and not column_word and not any(t.is_("index", "check", "unique_constraint", "constraint", "fk", "ref")
                                                for t in toks) and self.read_rule(toks, text):
            return None
        first = next((t for t in self._content(after) if t.kind in ("kw", "type") or self._name_like(t)), None)
        kw = first.value if first is not None and first.kind == "kw" else None
        if first is not None and self._name_like(first) and not first.owners and any(
                t.table and i + 1 < len(after) and after[i + 1].text == "(" and i and after[i - 1].value == "on"
                for i, t in enumerate(after)):
            first.used = True  # "create idx_history_command_timestamp on history (command, timestamp)"
            return self.read_index([Tok("index", "kw", "index", first.start, first.start), first]
                                   + [t for t in after if t.start > first.start], text, None)
        new_names = self._new_names(after)
        if kw == "constraint":
            return self.read_constraint(toks, text, first)
        if kw == "index" or kw == "unique" and any(t.is_("index") for t in after):
            return self.read_index(toks, text, verb)
        if kw in ("fk", "ref"):
            return self.read_link(toks, text, verb)
        if kw == "check":
            return self.read_check(toks, text)
        if kw == "unique_constraint" or kw == "unique" and not new_names and not any(t.kind == "type" for t in after):
            return self.read_unique(toks, text)
        if existing and kw in ("default", "not_null", "nullable", "no_default") or kw in ("not_null", "default") and not (
                new_names or column_word):
            return self.read_change(toks, text, verb)
        return self.read_columns(after, text, toks)

    def _typed_new_name(self, toks: list[Tok]) -> bool:
        """A name the schema does not have, written just before a type ("...: date_started
        INTEGER, time_spent FLOAT"), in a clause that says nothing is so: a new column."""
        outside = self._outside_parens(toks)
        if any(t.value in ("is", "are", "was", "were") for t in outside):
            return False
        head = self.tables_named(self.head) if self.context else []
        return any(self._name_like(t) and not t.used and nxt.kind == "type" and not (
            t.owners and (not head or set(t.owners) & set(head)))  # "tags: color_id TEXT": new in tags
                   for t, nxt in zip(outside, outside[1:]))

    def _new_names(self, toks: list[Tok]) -> list[Tok]:
        return [t for t in toks if self._name_like(t) and not t.used and not t.owners]

    def read_constraint(self, toks: list[Tok], text: str, kw: Tok) -> None:
        """ "add constraint NAME unique (cols) / check (...) / foreign key (...) references ..." """
        kw.used = True
        i = toks.index(kw)
        name = toks[i + 1] if i + 1 < len(toks) and self._name_like(toks[i + 1]) else None
        if name:
            name.used = True
            toks = toks[:i + 1] + [Tok("called", "kw", "called", name.start, name.start), name] + toks[i + 2:]
        if any(t.is_("check") for t in toks):
            return self.read_check(toks, text)
        if any(t.is_("fk", "ref") for t in toks):
            return self.read_link(toks, text, None)
        if any(t.is_("unique", "unique_constraint") for t in toks):
            return self.read_unique(toks, text)
        raise NotUnderstood(text, [], "unique", why="what kind of constraint?")

    def _name_like(self, t: Tok) -> bool:
        if t.ref:
            return not self.cat.column(*t.ref)
        if t.kind in ("qid", "str"):
            return not t.table and bool(re.fullmatch(r"[A-Za-z_][\w$]*", t.name))
        return t.kind == "word" and ("_" in t.text or bool(re.search(r"[a-z][A-Z]", t.text))) and not t.table \
            and t.value not in PRODUCTS \
            and not t.index and not t.constraint

    def read_columns(self, toks: list[Tok], text: str, whole: list[Tok] | None = None) -> None:
        """New columns: "NAME TYPE attrs, NAME2 TYPE2 ... to TABLE", per-item tables, shared
        attributes ("both varchar(255), nullable")."""
        items = self._items(toks)
        if not items and self.pending_name and self._shared.get("type"):
            items = [{"name": self.pending_name, "table": None, "attrs": dict(self._shared), "tok": None}]
            self.trace.append(f"refs: the new column is named later: {self.pending_name}")
        if not items:
            raise Background(text)
        listed = self._table_phrase(toks)
        clause_tables = listed or self.clause_tables(whole or toks)
        # "x ... to A and to B": the tables listed but claimed by no item are also the items' own,
        # unless some item has no table of its own ("t.a int, and on u b text"): they are its
        extra = [t for t in listed if t not in {i.get("table") for i in items}] if all(i.get("table") for i in items) else []
        for item in items:
            tables = [item["table"]] + extra if item.get("table") else clause_tables
            if not tables:
                raise NotUnderstood(text, [item["name"]], "add", why=f"add {item['name']!r} to which table?")
            for table in tables:
                self._add_column(table, item, text)

    def _table_phrase(self, toks: list[Tok]) -> list[str]:
        """Tables after to/on/in/into, and the ones listed with them ("to both post_saved and
        comment_saved", "to A, B and C", "to A and to B"), or a "TABLE:" head."""
        out: list[str] = []
        for i, t in enumerate(toks):
            if not t.table or t.ref or t.target or t.aside:
                continue
            prev = toks[i - 1] if i else None
            listed = out and prev is not None and (prev.text == "," or prev.value in ("and", "both", "also", "to", "on", "in"))
            if prev is None and i + 1 < len(toks) and toks[i + 1].text == ":" or prev is not None and (
                    prev.value in PREPS | {"both"} or listed) and not (t.owners and self._prefer_column(t, toks)):
                out.append(t.table)
                t.used = True
        return list(dict.fromkeys(out))

    def _items(self, toks: list[Tok]) -> list[dict]:
        """Split "a, b text, and c (int, nullable)" into column items with their attributes."""
        parts, cur, depth, heads = [], [], 0, 0
        for t in toks:
            depth += (t.text == "(") - (t.text == ")")
            if depth == 0 and (t.text in (",", ";", ":") or t.is_("and", "plus")):
                parts.append(cur)
                cur = []
                heads = len(parts) if t.text == ":" else heads
                continue
            cur.append(t)
        parts.append(cur)
        if heads and any(self._name_like(t) and t.kind != "str" for p in parts[heads:] for t in p) and not any(
                self._name_like(t) for p in parts[:heads] for t in p):
            for p in parts[:heads]:  # "Projects get an owner: owner_id INT ...": the head says what follows
                self._use(p, lambda t: (t.kind == "word" and not t.table))
            parts = parts[heads:]
        items: list[dict] = []
        shared: dict = {}
        listing = False
        for part in parts:
            if part and part[0].is_("for"):
                continue  # a purpose: "for a one-line summary"
            part = self._drop_explanations(part)
            if not part:
                continue
            part = _before_purpose(part)
            name = self._pick_name(part)
            bare = [t for t in part if t.kind == "word" and t.value not in NOISE and not t.table]
            if name is None and listing and len(bare) == 1 and len(self._content(part)) == 1:
                name = bare[0]  # "two nullable text columns, author and intent": the names listed
            if name is None and any(t.is_("column", "field") for t in part) \
                    and not any(t.is_("index", "unique_constraint", "check", "fk") for t in part):
                raise NotUnderstood(self.raw(part[0], part[-1]), [], "add", why="what should the new column be called?")
            if name is None and any(t.value in ("columns", "fields") for t in part):
                listing = True  # the names follow
            if name is None:
                attrs = self.attrs(part)
                words = [t for t in part if t.kind in ("word", "verb") and not t.used and t.value not in NOISE
                         and not t.named and t.value not in ("null", "instead")]
                if not attrs and words and not any(t.named for t in part):
                    raise NotUnderstood(self.raw(part[0], part[-1]), [t.text for t in words], "add")
                if any(t.is_("both", "all", "each") for t in part) or not items:
                    shared.update(attrs)
                else:
                    items[-1]["attrs"].update({k: v for k, v in attrs.items() if k not in items[-1]["attrs"]})
                continue
            table = name.ref[0] if name.ref else None
            for j, t in enumerate(part):
                if t.table and not t.ref and t is not name and t.start > name.start \
                        and not (t.owners and self._prefer_column(t, toks)) \
                        and j and part[j - 1].value in ("to", "on", "in", "into", "for"):
                    table = table or t.table
                    t.used = True
            name.used = name.target = True  # a name, not the table the clause is about
            colname = (name.text.rpartition(".")[2].strip('"`') if "." in name.text else self.cat.column(*name.ref) or name.ref[1]) \
                if name.ref else name.name
            items.append({"name": colname, "table": table, "attrs": self.attrs(part), "tok": name})
        self._shared = shared
        for item in items:
            item["attrs"] = {**shared, **item["attrs"]}
        for n, item in enumerate(items):  # "first_name and last_name text", "a and b (int, nullable)"
            if not item["attrs"]:
                donor = next((i["attrs"] for i in items[n + 1:] if i["attrs"]), {})
                item["attrs"] = {k: v for k, v in donor.items() if not k.startswith("_")}
        return items

    def _drop_explanations(self, part: list[Tok]) -> list[Tok]:
        """A part without its explanations: "(0 means no avatar)", "(plain timestamp, like the
        other columns there)"; what an aside says of the column (a type, NOT NULL) stays."""
        out, i = [], 0
        while i < len(part):
            if part[i].text != "(":
                out.append(part[i])
                i += 1
                continue
            end = self._close(part, i)
            kept, piece = [], []
            inner = part[i + 1:end] + [Tok(",", "punct", ",", 0, 0)]
            for j, x in enumerate(inner):  # "default 'UTC' - IANA names like ...": a dash starts an aside too
                if x.text not in (",", ";") and not (x.text == "-" and inner[j + 1].kind == "word"):
                    piece.append(x)
                elif any(y.is_("means", "like", "e.g", "i.e", "same", "so", "because", "which", "for", "used")
                         or y.text == "=" for y in piece):
                    for y in piece:
                        y.used = y.aside = True
                    piece = []
                else:
                    kept += piece + [x]
                    piece = []
            out += [part[i]] + kept[:-1] + [part[end]] if kept else []
            i = end + 1
        return out

    def _pick_name(self, part: list[Tok]) -> Tok | None:
        """The new column's name in an item: after column/field/called/as, then a name that
        looks like one (snake_case, camelCase, quoted), then a plain word placed as names are
        (before a type, "column" or "(", after a type or an article, alone, after "user's")."""
        depth = [sum(x.text == "(" for x in part[:i]) - sum(x.text == ")" for x in part[:i]) for i in range(len(part))]
        nxt = lambda i: next((x for x in part[i + 1:] if x.value not in ("too", "also")), None)  # noqa: E731
        prv = lambda i: part[i - 1] if i else None  # noqa: E731
        for i, t in enumerate(part):
            if depth[i] == 0 and (prv(i) is not None and (prv(i).value in ("column", "field", "as") or prv(i).is_("called"))) \
                    and t.kind in ("word", "qid", "str", "type") and not t.table and t.value not in NOISE and (
                        t.kind != "str" or self._name_like(t)) and not (t.kind == "type" and prv(i).value == "as"):
                return t
        for i, t in enumerate(part):
            if depth[i] == 0 and self._name_like(t) and not t.used and not (t.kind == "str" and prv(i) is not None and (
                    prv(i).is_("default") or prv(i).value in ("to", "=", "be", "get", "as", "like"))):
                return t
        words = [t for i, t in enumerate(part) if t.kind == "word" and depth[i] == 0 and t.value not in NOISE
                 and not (t.table and prv(i) is not None and prv(i).value in PREPS)]
        typed = [t for t in part if t.kind == "type"]

        def placed(i: int, t: Tok) -> bool:
            if t.kind != "word" or t.used or depth[i] or t.value == "null" or t.value.endswith("ly"):
                return False
            after, before = nxt(i), prv(i)
            if (t.index or t.constraint) and not (after is not None and after.kind == "type"):
                return False
            if before is not None and (before.is_("default", "after") or f"{before.value} {t.value}" in VALUE_WORDS) or t.value in (
                    "true", "false", "yes", "no", "now", "empty", "zero"):
                return False  # a value, not a name
            before_type = after is not None and (after.kind == "type" or after.value == "column")
            if t.table and not before_type or t.value in NOISE and not (t.value in NOUNS and (
                    before_type or before is not None and before.value in ("a", "an"))):
                return False
            return bool(before_type or after is not None and (after.kind == "kw" or after.value in COLUMN_NOUNS
                                                               or after.text == "(")
                        or before is not None and (before.kind == "type" or before.value in ("a", "an") and after is None
                                                   or before.table and before.text.endswith("'s"))
                        or words == [t] and self.verb_text in ("add", "adds", "create", "introduce", "include", "put", "give"))

        weak = [t for i, t in enumerate(part) if placed(i, t)]
        named_type = [t for i, t in enumerate(part) if t.kind == "type" and nxt(i) is not None and nxt(i).value in ("column", "field")]
        if len(typed) >= 2 and not weak and named_type:  # "a date column (DATE NOT NULL)": the first one is the name
            return named_type[0]
        return weak[0] if weak else None

    def _add_column(self, table: str, item: dict, text: str) -> None:
        a = item["attrs"]
        name = item["name"]
        if self.cat.column(table, name) and self.cat.column(table, name).lower() == name.lower():
            raise NotUnderstood(text, [name], "add", why=f"column {name!r} already exists in table {table!r}")
        if "type" not in a and a.get("_maybe_type") is not None:
            a["type"] = a["_maybe_type"].value
            a["_maybe_type"].used = True
        column = {"name": name, "type": a.get("type")}
        if "type" not in a:
            column["type"], why = type_from_name(name, self.cat.dialect)
            self.assumptions.append(f"{table}.{name} is {column['type']} ({why})")
        if column["type"] == "boolean" and "nullable" not in a:
            column.update(nullable=False, default=a.get("default", "false"))
            self.assumptions.append(f"{table}.{name} is boolean NOT NULL DEFAULT {column['default']} (a flag)")
        column.update({k: a[k] for k in ("nullable", "default") if k in a})
        if a.get("nullable") is False and "default" not in a and self.cat.rows.get(table) != 0:
            raise NotUnderstood(text, [], "add", why=f"a NOT NULL column {table}.{name} needs a default on a "
                                                     "table with rows; give one (default ...)")
        self.emit({"op": "add_column", "table": table, "column": column})
        if a.get("unique_constraint"):
            self.emit({"op": "add_unique_constraint", "table": table, "columns": [name]})
        elif a.get("unique") or a.get("index"):
            self.emit({"op": "add_index", "table": table, "columns": [name],
                       **({"unique": True} if a.get("unique") or a.get("unique_index") else {})})
        if a.get("ref"):
            self.emit(self._fk(table, name, *a["ref"], a.get("on_delete"), a.get("fk_name")))

    # -- create
    def read_create(self, toks: list[Tok], text: str) -> None:
        self._use(toks, lambda t: t.kind == "verb" or (t.is_("table", "new")))
        name_tok = next((t for t in toks if not t.used and t.kind in ("word", "qid", "str") and t.value not in NOISE
                         and t.value not in ("called", "named", "with", "having")), None)
        if name_tok is None:
            raise NotUnderstood(text, [], "create", why="what is the new table called?")
        name_tok.used, name = True, name_tok.name
        rest = [t for t in toks if t.start > name_tok.end]
        colon = next((i for i, t in enumerate(rest) if t.text == ":"), None)
        if colon is not None and rest[0].value in ("for", "to", "so"):  # "for rate limiting: id serial ..."
            self._use(rest[:colon + 1], lambda t: t.kind in ("word", "punct"))
            rest = rest[colon + 1:]
        while rest and (rest[0].used or rest[0].kind == "word" and rest[0].value in (
                "with", "having", "containing", "columns", "fields", "that", "has", "table") or rest[0].text == ":"):
            rest[0].used, rest = True, rest[1:]
        low = self.raw(rest[0], rest[-1]).lower() if rest else ""
        both_ref = re.search(r"(?:both|all|each)(?:\s+of\s+them)?\s+referenc(?:es|ing)\s+(\w+)\s*$", low)
        both_unique = re.search(r"unique\s+(?:on|over|across)\s+(?:both|all(?:\s+of\s+them)?|them)\s*$", low)
        if both_ref or both_unique:  # "(a bigint, b bigint) with both referencing users", "..., unique on both"
            cut = rest[0].start + (both_ref or both_unique).start()
            self._use(rest, lambda t: t.start >= cut)
            rest = [t for t in rest if t.start < cut]
            while rest and rest[-1].value in ("with", "and", ","):
                rest[-1].used, rest = True, rest[:-1]
        if rest and rest[0].text == "(" and self._close(rest, 0) == len(rest) - 1:
            rest[0].used = rest[-1].used = True
            rest = rest[1:-1]  # "create table t (a text, b int)": the list's own parentheses
        items = self._items(rest)
        columns, extra = [], []
        for item in items:
            a = item["attrs"]
            col = {"name": item["name"], "type": a.get("type") or type_from_name(item["name"], self.cat.dialect)[0],
                   **({"primary_key": True, "nullable": False} if a.get("pk") else {k: a[k] for k in ("nullable",) if k in a}),
                   **{k: a[k] for k in ("default",) if k in a}}
            columns.append(col)
            if a.get("unique"):
                extra.append({"op": "add_unique_constraint", "table": name, "columns": [col["name"]]})
            if a.get("ref"):
                extra.append(self._fk(name, col["name"], *a["ref"], a.get("on_delete")))
        target = both_ref and self.cat.table(both_ref.group(1))
        if both_ref and not target:
            raise NotUnderstood(text, [both_ref.group(1)], "create", why=f"unknown table {both_ref.group(1)!r}")
        extra += [self._fk(name, col["name"], target) for col in (columns if target else [])]
        if both_unique:
            extra.append({"op": "add_unique_constraint", "table": name, "columns": [c["name"] for c in columns]})
        if not any(c.get("primary_key") or c["name"] == "id" for c in columns):
            columns.insert(0, {"name": "id", "type": "bigint", "nullable": False, "primary_key": True})
            self.assumptions.append(f"{name}: added an id bigint primary key")
        self.emit({"op": "create_table", "table": name, "columns": columns})
        for op in extra:
            self.emit(op)

    # -- drop
    def read_drop(self, toks: list[Tok], text: str, verb: Tok) -> None:
        if GONE.search(self.raw(toks[0], toks[-1]).lower()) and self.read_rule(toks, text):
            return None  # "when a post is deleted its comments should go too"
        after = [t for t in toks if t.start > verb.start] or [t for t in toks if t.start < verb.start and " " in verb.text]
        words = {t.value for t in after if t.kind in ("word", "kw")} | {  # "the 'x' default has to go from t.c"
            "default" for t in toks if t.is_("default") and t.start < verb.start}
        named_idx = [t for t in after if t.index and not t.ref and not (t.owners and not t.index[1].lower() == t.value)]
        named_con = [t for t in after if t.constraint and not t.ref]
        refers = any(self._refers(t) for t in after)
        if words & {"default", "not_null"}:
            for table, col in self.existing_columns(after):
                self.emit({"op": "drop_default" if "default" in words else "drop_not_null", "table": table, "column": col})
        elif named_idx or named_con:
            index = named_idx and ("index" in words or not named_con)
            for t in named_idx if index else named_con:
                t.used = True
                self.emit(_drop("index", *t.index) if index else _drop("constraint", *t.constraint))
        elif words & {"index", "constraint"}:
            kind = "index" if "index" in words else "constraint"
            if (refers or "old" in words) and self.last.get(kind):
                return self.emit(_drop(kind, *self.last[kind]))
            cols = self.existing_columns(after)
            found = self.cat.index_on(cols[0][0], [c for _, c in cols]) if cols else None
            if not found:
                raise NotUnderstood(text, [], "drop", why="drop which index? name it")
            self.emit(_drop("index", cols[0][0], found))
        elif self.last.get("subject") and refers and all(self._refers(t) or t.kind == "punct" or t.value in NOISE for t in after):
            self._use(after)  # "X duplicates another index. Drop it."
            self.emit(_drop(self.last["subject"][0], *self.last["subject"][1]))
        else:
            tables = self.tables_named(after)
            column_words = bool(words & {"column", "columns", "field", "fields"})
            column_named = any(t.ref and self.cat.column(*t.ref) or (t.owners and set(t.owners) & set(tables) and not t.table)
                               for t in after)
            if not tables and not column_named and self.last.get("table") and re.search(
                    r"\b(?:the|that|this)\s+table\b", self.raw(after[0], after[-1]).lower() if after else ""):
                tables = [self.last["table"]]  # "nothing reads package_searches anymore. Drop the table."
                after = after + [Tok(tables[0], "word", tables[0].lower(), 0, 0, table=tables[0])]
            if not column_words and not column_named and words & {"table", "tables"} and tables:
                at = next(i for i, t in enumerate(after) if t.value in ("table", "tables"))
                listed = [t for t in after[:at] if t.table][-1:]  # "drop the comments table"
                for t in after[at + 1:]:  # "drop tables a and b", not what a later aside names
                    if not (t.table or t.text == "," or t.value in ("and", "the", "both")):
                        break
                    listed += [t] if t.table else []
                self._use(after, lambda t: t.value in ("table", "tables") or t in listed)
                for t in listed:
                    self.emit({"op": "drop_table", "table": t.table})
                return
            pairs = self.existing_columns(after)
            if not pairs and tables and not column_words:
                raise NotUnderstood(text, [], "drop", why=f"to drop the table say \"drop table {tables[0]}\"")
            if not pairs:
                raise NotUnderstood(text, [t.text for t in after if self._name_like(t)], "drop",
                                    why="drop what? name the table.column")
            for table, col in pairs:
                self.emit(_drop("column", table, col))

    # -- rename
    def read_rename(self, toks: list[Tok], text: str, verb: Tok | None) -> None:
        """ "rename A to B", "A -> B", "A should be called B", "call it B (instead)"."""
        if verb is not None and verb.text.lower().split()[0] in ("call", "name", "should", "to", "be"):
            old = [t for t in toks if t.start < verb.start]
            after = [t for t in toks if t.start > verb.start]
            if not [t for t in old if t.named] and self.last:
                old = [Tok("it", "word", "it", 0, 0)]
        else:
            after = [t for t in toks if verb is None or t.start > verb.start]
            to = next((i for i, t in enumerate(after) if t.is_("to", "arrow") or t.value == "as"), None)
            if to is None or to + 1 >= len(after):
                raise NotUnderstood(text, [], "rename", why="rename to what?")
            after[to].used = True
            old, after = after[:to], after[to + 1:]
        more = next((i for i, t in enumerate(after) if i and (t.text == "," or t.value == "and")
                     and any(x.is_("to", "arrow") for x in after[i + 1:])), None)
        if more is not None:  # "rename a to b, c to d": the rest is read the same way
            rest = after[more + 1:]
            after[more].used, after = True, after[:more]
        new_tok = next((t for t in after if t.kind in ("word", "qid", "str", "type", "verb") and (
            t.value not in NOISE or t.value in NOUNS or t.value in ("type", "value", "data", "key", "name"))), None)
        if new_tok is None:
            raise NotUnderstood(text, [], "rename", why="rename to what?")
        new_tok.used = True
        new = new_tok.name.rpartition(".")[2] if new_tok.kind == "word" else new_tok.name
        tail = [t for t in after if t is not new_tok]
        tables = self.tables_named(tail) or self.tables_named(old)
        refers_table = any(self._refers(t) for t in old) and not self.last.get("columns") and self.last.get("table")
        column_said = any(t.ref or (t.owners and not t.table) or t.value in ("column", "field") for t in old if not t.used)
        is_table = refers_table or (not column_said and self.tables_named(old) and (
            any(t.is_("table") for t in old) or not self.tables_named(tail)))
        if is_table:
            table = self.last["table"] if refers_table else self.tables_named(old)[-1]
            self._use(old, lambda t: t.table == table or t.value == "table" or self._refers(t))
            self.emit({"op": "rename_table", "table": table, "new_name": new})
            return self.read_rename(rest, text, None) if more is not None else None
        self._use(tail, lambda t: bool(t.table))
        pairs = self.existing_columns(old, tables or None)
        if not pairs:
            raise NotUnderstood(text, [t.text for t in old if self._name_like(t)], "rename", why="rename which column?")
        col = pairs[0][1]
        listed = self._table_phrase(tail) or tables
        targets = listed if len(listed) > 1 and all(self.cat.column(t, col) for t in listed) else [pairs[0][0]]
        for table in targets:
            self.emit({"op": "rename_column", "table": table, "column": self.cat.column(table, col), "new_name": new})
        self.last.update(table=targets[-1], columns=[(t, new) for t in targets])
        if more is not None:
            self.read_rename(rest, text, None)

    # -- change
    def read_change(self, toks: list[Tok], text: str, verb: Tok | None) -> None:
        copula = verb is not None and verb.text.lower() in ("be", "become", "becomes", "stay", "remain", "keep")
        if CUE_INDEX.search(text.lower()) and not any(t.kind in ("kw", "type") for t in toks):
            self._use(toks, lambda t: t.kind == "word" and not t.named)  # the cue is what asks
            return self.read_index(toks, text, None)  # "we keep looking up order_items by product_id"
        if self.read_rule(toks, text):
            return
        if copula:
            i = toks.index(verb)
            if i + 1 < len(toks) and toks[i + 1].kind == "word" and self._name_like(toks[i + 1]) and \
                    any(t.ref or t.owners for t in toks[:i]):  # "users.created should be created_at"
                return self.read_rename(toks[:i] + [Tok("to", "word", "to", 0, 0)] + toks[i + 1:], text, None)
        if any(t.is_("ref", "fk") for t in toks):
            self.attrs(list(toks))  # a reference's target, "users(id)", is not a column being changed
            for t in toks:
                t.used = t.used and (t is verb or t.target or t.text in ("(", ")") or t.kind in ("kw", "type") or t.is_("to"))
        pairs = self.existing_columns(toks)
        if any(t.is_("no_default") for t in toks):
            for table, col in pairs:
                self.emit({"op": "drop_default", "table": table, "column": col})
            return
        per = self._per_column(toks, pairs) if len(pairs) > 1 and sum(t.kind == "type" for t in toks) > 1 else {}
        a = self.attrs(toks)
        if "type" not in a and "_maybe_type" in a and a["_maybe_type"].text.isupper():
            a["type"] = a["_maybe_type"].value  # "change it to TEXT" where some table has a column text
        if not pairs and self.last.get("columns") and (self.context or "default" in a and any(t.value == "new" for t in toks)):
            pairs = self.last["columns"]  # "comments.body: allow null"
        if not pairs and copula:
            raise Background(text)  # "new posts should be visible by default: ..."
        if not pairs:
            raise NotUnderstood(text, [t.text for t in toks if self._name_like(t)], "change",
                                why="change which column?")
        before = self.changed
        for table, col in pairs:
            at = {"table": table, "column": col}
            a = per.get((table, col), a)
            if "type" in a:
                self.emit({"op": "alter_column_type", **at, "new_type": a["type"], **({"using": a["using"]} if a.get("using") else {})})
            if "default" in a:
                self.emit({"op": "set_default", **at, "default": a["default"]})
            if "nullable" in a:
                self.emit({"op": "drop_not_null" if a["nullable"] else "set_not_null", **at})
            if a.get("unique"):
                self.emit({"op": "add_unique_constraint", "table": table, "columns": [col]})
            if a.get("ref"):
                self.emit(self._fk(table, col, *a["ref"], a.get("on_delete")))
        if self.changed == before:
            raise NotUnderstood(text, [], "change", why="change it how? (a type, NOT NULL, a default ...)")
        self.last.update(table=pairs[-1][0], columns=list(pairs))

    def _per_column(self, toks: list[Tok], pairs: list[tuple[str, str]]) -> dict:
        """ "users.name to VARCHAR(500) and users.email to VARCHAR(320)": several types, each
        read from the words between its column and the next; refused unless each has one."""
        at = [i for i, t in enumerate(toks) if t.ref and self.cat.column(*t.ref) or t.owners and not t.table]
        if len(at) != len(pairs):
            raise NotUnderstood(self.raw(toks[0], toks[-1]), [], "change", why="which type for which column?")
        out = {}
        for pair, i, j in zip(pairs, at, at[1:] + [len(toks)]):
            if sum(t.kind == "type" for t in toks[i:j]) != 1:
                raise NotUnderstood(self.raw(toks[0], toks[-1]), [], "change", why="which type for which column?")
            out[pair] = self.attrs(toks[i + 1:j])
        return out

    # -- set
    def read_set(self, toks: list[Tok], text: str, verb: Tok) -> None:
        """A backfill: "set C to V (where P)", "fill C with V", "copy V into C", "set the NULL
        ones to false", "... for documents in status 'COMPLETED'"."""
        after = [t for t in toks if t.start > verb.start]
        head = after[:next((i for i, t in enumerate(after) if t.is_("where")), len(after))]
        if any(t.is_("default", "not_null", "nullable") for t in head) or any(t.kind == "type" for t in head[:3]):
            return self.read_change(toks, text, verb)
        tables, conds = self.clause_tables(toks), []
        if (w := next((i for i, t in enumerate(after) if t.is_("where")), None)) is not None:
            after[w].used = True
            conds.append(self.expression(after[w + 1:]))
            after = after[:w]
        lead = [t for t in toks if t.start < verb.start]
        scoped = lambda part: next((i for i, t in enumerate(part) if t.value == "for" and any(  # noqa: E731
            x.table for x in part[i + 1:i + 4])), None)
        if (f := scoped(lead)) is not None:
            scope = lead[f:]  # "for documents in status 'COMPLETED' set it to ...": the scope first
        elif (f := scoped(after)) is not None:
            scope, after = after[f:], after[:f]
        if f is not None:
            table_tok = next(x for x in scope if x.table)
            tables = [table_tok.table]
            conds += self._scope_condition(scope[scope.index(table_tok) + 1:], table_tok.table, text)
            self._use(scope[:scope.index(table_tok) + 1])
        to = next((i for i, t in enumerate(after) if t.value in ("to", "=", "with", "from", "as", "using", "into")), None)
        if to is None or to + 1 >= len(after):
            raise NotUnderstood(text, [], "set", why="set it to what?")
        after[to].used = True
        target, value_toks = after[:to], after[to + 1:]
        if verb.text.lower() == "copy":
            target, value_toks = value_toks, target
        if re.search(r"\bthe\s+(?:nulls?|missing|empty)\b(?:\s+ones)?", self.raw(target[0], target[-1]).lower() if target else ""):
            conds.append("{c} IS NULL")  # "set the NULL ones to false"
            self._use(target)
            target = [Tok("it", "word", "it", 0, 0)]
        pairs = self.existing_columns(target, tables)
        if not pairs:
            raise NotUnderstood(text, [], "set", why="set which column?")
        table, col = pairs[0]
        value_toks = [t for t in value_toks if not (t.is_("their", "its", "the") and setattr(t, "used", True) is None)]
        value = self.expression(value_toks)
        if value.lower() in BOOLEAN_VALUES:
            value = BOOLEAN_VALUES[value.lower()]
        new_bool = any(o["op"] == "add_column" and o["table"] == table and o["column"]["name"] == col
                       and o["column"].get("type") == "boolean" for o in self.out.operations)
        if new_bool and self.cat.column(table, value) and re.fullmatch(r"\w+", value):
            self.assumptions.append(f"{table}.{col} is true where {value} is set")
            value = f"{value} IS NOT NULL"  # "fill email_verified from email_confirmed_at"
        op = {"op": "backfill", "table": table, "column": col, "expression": value}
        if conds:
            op["where"] = " AND ".join(re.sub(r"\bit\b", col, re.sub(r"\bit'?s\b", "it is", c)).replace("{c}", col)
                                       for c in conds)
        self.emit(op)

    def _scope_condition(self, toks: list[Tok], table: str, text: str) -> list[str]:
        """Which rows "for T ..." means: all of them, those in a status, those whose C is V."""
        low = self.raw(toks[0], toks[-1]).lower() if toks else ""
        self._use(toks)
        if not low or re.fullmatch(r"(?:that\s+(?:already\s+)?exist|already\s+there|(?:we\s+)?already\s+have)", low):
            return []
        if m := re.fullmatch(r"(?:that\s+are\s+|already\s+)?in\s+(?:the\s+)?status\s+('[^']*')", low):
            if self.cat.column(table, "status"):
                return [f"{self.cat.column(table, 'status')} = {self.raw(toks[0], toks[-1])[m.start(1):m.end(1)]}"]
        if m := re.fullmatch(r"(?:whose|where\s+(?:the|their)?)\s*(\w+)\s+is\s+(.+)", low):
            col = self.cat.column(table, m.group(1))
            values = self.raw(toks[0], toks[-1])[m.start(2):m.end(2)]
            if col and re.fullmatch(r"'[^']*'(?:\s*(?:,|or)\s*'[^']*')*", values):
                return [f"{col} IN ({listed_values(values)})" if re.search(r",|\bor\b", values) else f"{col} = {values}"]
        raise NotUnderstood(text, [t.text for t in toks if t.kind != "punct"][:4], "set", why="which rows? say \"where CONDITION\"")

    # -- index
    def read_index(self, toks: list[Tok], text: str, verb: Tok | None) -> None:
        """Index targets (_column_groups), its names ("index NAME on", "NAME on t(c)", "as NAME",
        one per target when as many are given), unique, a predicate, a method."""
        a_toks = list(toks)
        toks = [t for t in toks if not (t.is_("concurrently", "exists") and not t.named
                                        and setattr(t, "used", True) is None)] or toks
        names: list[Tok] = []
        for i, (t, n) in enumerate(zip(toks, toks[1:])):
            after = toks[i + 2] if i + 2 < len(toks) else Tok("", "punct", "", 0, 0)
            if n not in names and not n.ref and not n.owners and (
                    t.is_("index") and self._name_like(n) and after.text != "(" or t.value == "as" and self._name_like(n)
                    or t.is_("index") and after.value in ("on", "to") and n.kind in ("word", "qid") and not n.named
                    and n.value not in NOISE):
                names.append(n)
            elif self._name_like(n) and not n.named and n not in names and t.text in ("(", ",", "and") and (
                    after.text in (")", ",", "and")) and any(x.text == "(" for x in toks[:i + 1]):
                names.append(n)  # "... to both a and b (idx_a and idx_b)"
            elif self._name_like(t) and not t.owners and t not in names and n.value == "on" and (
                    after.table or after.text == "("):
                names.append(t)  # "idx_a on t (a, b) and idx_b on t (c)"
        for i, t in enumerate(a_toks[:-1]):
            if t.is_("using") and a_toks[i + 1].value in ("btree", "gin", "gist", "brin", "hash", "spgist"):
                t.used = a_toks[i + 1].used = True  # "using btree (sku)": the method, not an expression
        where = self._condition_in_parens(a_toks)
        self._use(names)
        a = self.attrs([t for t in a_toks if not t.is_("using") or not t.used])
        groups = self._column_groups(a_toks)
        if not groups and self.last.get("columns"):  # "..., we need an index": on what was just named
            table = self.last["columns"][0][0]
            groups = [(table, [c for t, c in self.last["columns"] if t == table])]
        if not groups:
            raise NotUnderstood(text, [], "index", why="an index on which columns?")
        named = [t.name for t in names] if len(names) == len(groups) > 1 else [a.get("name") or (names[-1].name if names else None)]
        unique = a.get("unique") or a.get("unique_index") or any("unique" in t.text.lower() for t in toks if t.is_("index"))
        method = next((m for m in ("gin", "gist", "brin", "hash", "btree", "spgist") if any(
            m in t.text.lower() for t in toks if t.is_("index")) or any(t.value == m for t in toks)), None)
        for n, (table, cols) in enumerate(groups):
            self.emit({"op": "add_index", "table": table, "columns": cols, **({"unique": True} if unique else {}),
                       **({"where": a.get("where") or where} if a.get("where") or where else {}),
                       **({"name": named[n]} if len(named) == len(groups) and named[n] else {}),
                       **({"method": method} if method else {})})

    def _condition_in_parens(self, toks: list[Tok]) -> str | None:
        """ "for confirmed users only (email_confirmed_at is not null)": the rows it is about."""
        for i, t in enumerate(toks):
            if t.text == "(":
                end = self._close(toks, i)
                inner = toks[i + 1:end]
                if inner and (inner[0].owners or inner[0].ref) and any(
                        x.text in ("=", "<", ">", "<=", ">=", "<>", "!=") or x.is_("not_null", "nullable")
                        or x.value in ("is", "in", "null") for x in inner):
                    toks[i].used = toks[end].used = True
                    self._use(toks[:i], lambda x: (x.kind == "word" and not x.named))
                    return self.expression(inner)
        return None

    def _column_groups(self, toks: list[Tok]) -> list[tuple[str, list[str]]]:
        """Index targets: t(c1, c2) or t (c1, c2) is one composite; t.c and t.d on different
        tables are one each; "it"/"them" what was named last."""
        groups: list[tuple[str, list[str]]] = []
        named = self.tables_named(toks)
        for i, t in enumerate(toks):
            table = t.table if t.table and not t.ref else named[0] if t.value == "on" and named else None
            if table and i + 1 < len(toks) and toks[i + 1].text == "(":  # "on (a, b)": the table named before
                end = self._close(toks, i + 1)
                inner = toks[i + 2:end]
                cols = [self.cat.column(table, x.name) for x in inner if x.kind != "punct" and self.cat.column(table, x.name)]
                if cols:
                    self._use(toks[i:end + 1])
                    groups.append((table, cols))
        if groups:
            return groups
        pairs, tables = self.existing_columns(toks), self._table_phrase(toks)
        if len(pairs) == 1 and len(tables) > 1 and all(self.cat.column(t, pairs[0][1]) for t in tables):
            pairs = [(t, self.cat.column(t, pairs[0][1])) for t in tables]  # "on person_id to both a and b"
        by_table: dict[str, list[str]] = {}
        for table, col in pairs:
            by_table.setdefault(table, []).append(col)
        separate = any(t.is_("another", "each", "both") or t.value == "indexes" for t in toks) \
            or any(t.is_("index") and t.text.lower().endswith(("indexes", "indices")) for t in toks) \
            or self._each_qualified(toks)
        out = []
        for table, cols in by_table.items():
            out += [(table, [c]) for c in cols] if separate else [(table, cols)]
        return out

    def _each_qualified(self, toks: list[Tok]) -> bool:
        """ "index books.created_by and books.updated_by": the verb and each column written
        with its table name one index per column; "an index on t.a and t.b" stays one."""
        refs = [t for t in toks if t.ref and self.cat.column(*t.ref)]
        head = next((i for i, t in enumerate(toks) if t.is_("index")), None)
        return len(refs) > 1 and head is not None and not (head and toks[head - 1].value in (
            "a", "an", "one", "single", "composite", "compound", "multi-column", "unique"))

    # -- link
    def read_link(self, toks: list[Tok], text: str, verb: Tok | None) -> None:
        name = None
        for i, t in enumerate(toks):
            if t.is_("fk") and i + 1 < len(toks) and self._name_like(toks[i + 1]) and not toks[i + 1].ref:
                name, toks[i + 1].used = toks[i + 1].name, True
        to = next((i for i, t in reversed(list(enumerate(toks))) if t.is_("to", "ref", "arrow") or t.value == "at"), None)
        if to is None:
            raise NotUnderstood(text, [], "link", why="reference which table?")
        a = self.attrs(toks[to:]) if toks[to].is_("ref") else self.attrs([Tok("ref", "kw", "ref", 0, 0)] + toks[to + 1:])
        name = a.get("name") or name
        if not a.get("ref"):
            raise NotUnderstood(text, [], "link", why="reference which table?")
        pairs = self.existing_columns(toks[:to])
        pairs = [p for p in pairs if p != a["ref"]] or [p for p in self.last.get("columns") or [] if p[0] != a["ref"][0]][-1:]
        if m := DELETED.search(self.sentence.lower()):
            a.setdefault("on_delete", "set null" if "null" in m.group(1) else "cascade")
            self._use(toks, lambda t: t.kind == "word")
        if not pairs:
            raise NotUnderstood(text, [], "link", why="which column holds the reference?")
        for table, col in pairs:
            self.emit(self._fk(table, col, *a["ref"], a.get("on_delete"), name))

    # -- replace
    def read_replace(self, toks: list[Tok], text: str, verb: Tok) -> None:
        """ "Replace X with Y": drop X, add Y; "recreate it (...) with ON DELETE CASCADE": the
        constraint just dropped, added again under its name."""
        after = [t for t in toks if t.start > verb.start]
        old = next((t for t in after if (t.index or t.constraint) and not t.ref), None)
        with_at = next((i for i, t in enumerate(after) if t.value == "with"), None)
        if old is not None and with_at is not None and after.index(old) < with_at:
            old.used = after[with_at].used = True
            self.emit(_drop("index", *old.index) if old.index else _drop("constraint", *old.constraint))
            self.last["subject"] = ("index", old.index) if old.index else ("constraint", old.constraint)
            rest = after[with_at + 1:]
            return self.read_clause(rest, self.raw(rest[0], rest[-1])) if rest else None
        return self.read_again(toks, text, verb)

    def read_again(self, toks: list[Tok], text: str, verb: Tok | None) -> None:
        """ "add it back (same name) with ON DELETE SET NULL", "recreate it on a(b) -> c(d)", "add
        a new one from a(b) to c(d)": the foreign key just dropped, again, as now described (or
        as the sentence's head described it)."""
        dropped = next((o for o in reversed(self.out.operations) if o["op"] == "drop_constraint"), None)
        if dropped is None:
            raise NotUnderstood(text, [verb.text if verb else "it"], "link", why="add what again?")
        same = re.search(r"\bsame\s+name\b|\bunder\s+(?:the|its)\s+(?:same|old)\s+name\b|\bit\s+back\b", text.lower())
        self._use(toks, lambda t: (t.kind == "word" and not t.named and not t.table) or t.kind == "verb")
        link = [t for t in toks if not (self._refers(t) and t.value == "it")]
        if not any(t.is_("fk", "ref", "arrow") or t.value == "to" and (t.table or t.ref) for t in link) and self.head:
            link = [t for t in self.head if not t.constraint] + [t for t in link if t.is_("on_delete")]
        before = len(self.out.operations)
        self.read_link(link, text, None)
        for op in self.out.operations[before:]:
            if op["op"] == "add_foreign_key" and (same or not op.get("name")):
                op["name"] = dropped["name"]

    # -- check / unique
    def read_check(self, toks: list[Tok], text: str) -> None:
        """ "add a check (NAME) on T that EXPR", "add check EXPR on T", "check (EXPR)"."""
        c = next(i for i, t in enumerate(toks) if t.is_("check"))
        toks[c].used = True
        rest = toks[c + 1:]
        name = None
        if rest and self._name_like(rest[0]) and not rest[0].owners:
            name, rest[0].used, rest = rest[0].name, True, rest[1:]
        table = None
        if len(rest) >= 2 and rest[0].value in ("on", "to", "for") and rest[1].table:
            table, rest[0].used, rest[1].used, rest = rest[1].table, True, True, rest[2:]
        elif len(rest) >= 2 and rest[-2].value in ("on", "to", "for") and rest[-1].table:
            table, rest[-2].used, rest[-1].used, rest = rest[-1].table, True, True, rest[:-2]
        while rest and (rest[0].text == ":" or rest[0].value in ("that", "so", "ensuring") or rest[0].is_("where")):
            rest[0].used, rest = True, rest[1:]
        if not rest:
            raise NotUnderstood(text, [], "check", why="check what? give the expression")
        cols = [t for t in rest if t.owners or t.ref]
        owner = cols and (cols[0].ref or self._owner(cols[0], self.clause_tables(toks)))
        table = table or (owner[0] if owner else self.last.get("table"))
        if not table:
            raise NotUnderstood(text, [], "check", why="a check on which table?")
        expression = re.sub(rf"\b{re.escape(table)}\.(?=\w)", "", self.expression(rest))
        self.emit({"op": "add_check_constraint", "table": table, "expression": expression, **({"name": name} if name else {})})

    def read_rule(self, toks: list[Tok], text: str) -> bool:
        """A rule in words: a check ("can't be negative"), uniqueness ("no two orgs may share a
        name"), a cascade ("when a post is deleted its comments should go too")."""
        low, op = self.sentence[toks[0].start:toks[-1].end].lower(), None
        if m := GONE.search(low):
            parent, child = self.cat.table(m.group(1)), self.cat.table(m.group(2))
            key = child and parent and self.cat.column(child, _singular(m.group(1)) + "_id")
            if not key:
                raise NotUnderstood(text, [m.group(1), m.group(2)], "link", why="which column holds the reference?")
            op = self._fk(child, key, parent, None, "cascade")
        if not op and (m := DELETED.search(low)):
            parent = self.cat.table(m.group(2))
            pairs = [p for p in self.existing_columns([t for t in toks if t.start < toks[0].start + m.start()]) if p[0] != parent]
            if parent and len(pairs) == 1:
                op = self._fk(*pairs[0], parent, None, "set null" if "null" in m.group(1) else "cascade")
        if not op and (m := FILL.search(low)):
            table = self.cat.table(m.group(1))
            if col := table and self.cat.column(table, m.group(2)):
                value, _ = self.value([t for t in toks if t.start >= toks[0].start + m.start(3)], 0)
                op = {"op": "backfill", "table": table, "column": col, "expression": value, "where": f"{col} IS NULL"}
        if not op and (rule := check_rule(low)) and not any(t.is_("index") for t in toks):
            m, template = rule
            at = toks[0].start + m.start()
            pairs = self.existing_columns([t for t in toks if t.end <= at]) or self.existing_columns(
                [t for t in toks if t.start >= at + len(m.group(0))]) or self.existing_columns([t for t in toks if t.ref])
            if len(pairs) != 1:
                raise NotUnderstood(text, [], "check", why="a check on which column?")
            table, col = pairs[0]
            groups = [g for g in m.groups() if g]
            chars = re.match(r"\s*(?:char(?:acter)?s|letters|long)\b", low[m.end():])
            q = groups[-1] if groups else ""
            expr = template.format(c=f"char_length({col})" if chars and "{n}" in template else col, n=groups[0] if groups else "",
                                   m=groups[1] if len(groups) > 1 else "",
                                   list=listed_values(self.sentence[toks[0].start + m.start(m.lastindex):toks[0].start + m.end(m.lastindex)])
                                   if "{list}" in template else "",
                                   q=q if q.startswith("'") else "'" + q.replace("'", "''") + "'")
            op = {"op": "add_check_constraint", "table": table, "expression": expr}
        if op:
            self._use(toks)
            self.emit(op)
            return True
        if UNIQUE.search(low) and not any(t.is_("index") for t in toks):
            self.read_unique(toks, text)
            return True
        return False

    def _fk(self, table: str, col: str, ref_table: str, ref_col: str | None = None, on_delete: str | None = None,
            name: str | None = None) -> dict:
        return {"op": "add_foreign_key", "table": table, "columns": [col], "ref_table": ref_table,
                "ref_columns": [ref_col or (self.cat.pks.get(ref_table) or ["id"])[0]],
                **({"on_delete": on_delete} if on_delete else {}), **({"name": name} if name else {})}

    @staticmethod
    def _use(toks: list[Tok], when=lambda t: True) -> None:
        """Mark what a reading took (all of ``toks``, or those ``when`` says)."""
        for t in toks:
            t.used = t.used or bool(when(t))

    def read_unique(self, toks: list[Tok], text: str) -> None:
        where = self._condition_in_parens(toks)
        if where is None and (w := next((i for i, t in enumerate(toks) if t.is_("where")), None)) is not None:
            toks[w].used, where = True, self.expression(toks[w + 1:])  # "unique, but only among rows where ..."
            toks = toks[:w]
        if where:  # unique among some rows: a unique partial index
            pairs = self.existing_columns([t for t in toks if not t.used])
            self._use(toks)
            return self.emit({"op": "add_index", "table": pairs[0][0], "columns": [c for t, c in pairs if t == pairs[0][0]],
                              "unique": True, "where": where}) if pairs else None
        low = self.sentence[toks[0].start:toks[-1].end].lower()
        scope = SCOPE.search(low)
        pairs = self.existing_columns([t for t in toks if not scope or t.start < toks[0].start + scope.start()])
        a = self.attrs(toks)
        named_in = [toks[i + 1].table for i, t in enumerate(toks[:-1]) if t.value in ("in", "on") and toks[i + 1].table]
        if named_in:  # "each product may appear only once per order in order_items"
            table = named_in[-1]
            keys = [self.cat.column(table, _singular(t.value) + "_id") for t in toks if t.table and t.table != table
                    and not (scope and t.start >= toks[0].start + scope.start())]
            pairs = [(table, k) for k in keys if k] + [p for p in pairs if p[0] == table]
        if scope:
            table = pairs[0][0] if pairs else (named_in or self.clause_tables(toks) or [None])[-1]
            word = scope.group(1)
            col = table and (self.cat.column(table, word) or self.cat.column(table, _singular(word) + "_id"))
            if not col:
                raise NotUnderstood(text, [word], "unique", why=f"no column of {table} for {word!r}")
            pairs = [(table, col)] + [p for p in pairs if p != (table, col) and p[0] == table]
        if not pairs:
            raise NotUnderstood(text, [], "unique", why="unique over which columns?")
        self._use(toks)
        self.emit({"op": "add_unique_constraint", "table": pairs[0][0], "columns": [c for t, c in pairs if t == pairs[0][0]],
                   **({"name": a["name"]} if a.get("name") else {})})

    # -- subject
    def read_subject(self, toks: list[Tok], text: str, verb: Tok | None) -> None:
        """No verb: "t.c: integer, nullable" adds; "t.c not null", "t.c -> d", "unique index
        on t.c", "index on t(c)" read by what follows the subject."""
        kws = {t.value for t in toks if t.kind == "kw"}
        if any(t.value == "table" for t in toks) and any(t.value in ("new", "create") for t in toks):
            return self.read_create(toks, text)
        new = any(t.ref and not self.cat.column(*t.ref) for t in toks) or self._typed_new_name(toks)
        if ("fk" in kws or "ref" in kws) and not new:  # a new column's reference is read with the column
            return self.read_link(toks, text, None)
        if "arrow" in kws:
            types = [t for t in toks if t.kind == "type"]
            return self.read_change(toks, text, None) if len(types) >= 1 and types[-1].start > next(
                t for t in toks if t.is_("arrow")).start else self.read_rename(toks, text, None)
        lead = self._content(toks)
        if "index" in kws and lead and (lead[0].is_("index") or lead[0].value in ("unique", "partial", "composite")) or (
                self.context and any(t.is_("index") for t in self.head) and "index" not in kws):
            toks = toks if "index" in kws else self.head + [Tok(":", "punct", "\0", 0, 0)] + toks  # "Three indexes ...: a on t (x), b ..."
            return self.read_index(toks, text, None)
        if "check" in kws:
            return self.read_check(toks, text)
        if new:
            return self.read_columns(toks, text)  # "t.new INT NULL referencing u(id)"
        if CUE_INDEX.search(text.lower()):  # "orders are filtered by customer_id and it's slow"
            if not any(t.owners or (t.ref and self.cat.column(*t.ref)) for t in toks):
                self.slow = text
                raise Background(text, True)
            self._use(toks, lambda t: (t.kind == "word" and not t.named) or t.is_("where"))
            self.holding = True  # planned only if nothing else is asked: it is said as a fact (until the clause ends)
            return self.read_index([t for t in toks if not t.is_("where")], text, None)
        if m := re.search(r"\bstarts?\s+(?:as|with|at|out\s+as)\s+('[^']*'|\S+)", text.lower()):
            raise NotUnderstood(text, [], "default", why=f"the default {m.group(1)} of which column?")
        modal = any(t.kind == "word" and t.value in MODALS for t in toks)
        copula = next((i for i, t in enumerate(toks) if t.value in ("is", "are", "was", "were")), None)
        if not modal and not self.insist and copula is not None and not any(t.is_("nullable", "not_null", "no_default")
                                                                            for t in toks):
            raise Background(text, True)  # "transaction_currencies.code is VARCHAR(3)": how it is now
        terse = all(t.kind in ("kw", "type", "num", "str", "punct") or t.named or t.value in NOISE for t in toks)
        attribute = bool(kws & {"not_null", "nullable", "no_default", "default", "unique", "unique_constraint"})
        if not (modal or terse or attribute):
            raise Background(text)
        low = text.lower()
        if m := re.search(r"\b(?:should|must|will|needs?\s+to)\s+(?:have|get|start\s+with)\s+(\S+)\s+(\w+)\s+by\s+default\b", low):
            pairs = self.existing_columns([t for t in toks if t.value == m.group(2)])
            if pairs:  # "new products should have 0 stock by default"
                value, _ = self.value([t for t in toks if t.start >= toks[0].start + m.start(1)], 0)
                self._use(toks)
                return self.emit({"op": "set_default", "table": pairs[0][0], "column": pairs[0][1], "default": value})
        if m := re.search(r"^(?:every|each|all)\s+(\w+)\s+(?:has|have|must\s+have|should\s+have|needs?)\s+(?:an?\s+)?(\w+)$", low):
            table = self.cat.table(m.group(1))
            col = table and self.cat.column(table, m.group(2))
            if col:  # "every customer has an email"
                self._use(toks)
                return self.emit({"op": "set_not_null", "table": table, "column": col})
        if re.search(r"\b(?:should|must)\s+(?:have|get)\b", low) and not any(t.owners and not t.table for t in toks if t.kind != "kw"):
            at = next(i for i, t in enumerate(toks) if t.value in ("have", "get"))
            return self.read_columns(toks[at + 1:], text, toks)  # "posts should have an archived flag"
        if self.read_rule(toks, text):
            return
        if kws & {"not_null", "nullable", "default", "no_default"} or any(t.kind == "type" for t in toks):
            if any(t.ref or t.owners or self._refers(t) for t in toks) or self.last.get("columns") and (
                    self.context or "default" in kws and any(t.value == "new" for t in toks)):  # "new ones should default to"
                return self.read_change(toks, text, None)
            said = [t.text for t in toks if t.kind in ("kw", "type") and not t.used]
            raise NotUnderstood(text, said, None, why="it says what a column should be, not which column")
        raise Background(text)


def _before_purpose(part: list[Tok]) -> list[Tok]:
    """A column item without its purpose: "a column to track the last login" -> "a column"."""
    for i, t in enumerate(part):
        if t.is_("to", "so", "for", "because") and i + 1 < len(part) and i and (
                part[i + 1].kind == "verb" or (t.value != "to" and part[i + 1].kind == "word" and not part[i + 1].named)):
            Frames._use(part[i:], lambda x: x.kind == "word")
            return part[:i]
    return part


def _drop(kind: str, table: str, name: str) -> dict:
    """The operation that drops an index, a constraint or a column."""
    return {"op": "drop_index", "table": table, "name": name} if kind == "index" else {
        "op": "drop_column", "table": table, "column": name} if kind == "column" else {
        "op": "drop_constraint", "table": table, "name": name}


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
