"""The offline reader: plain words in, ChangeSpec operations out, in small stages.

    text      options, Rails calls and one SQL statement said in words, sentences (text.py)
    tokens    each sentence as tokens grounded in the schema (tokens.py)
    clauses   a sentence cut where a new verb starts ("..., then make it not null")
    frames    each clause read by its verb and names into operations (frames.py)
    refs      "it", "them", "both", "that column" are what was named last
    check     words that mean something for a spec but were not read refuse the request

A sentence that asks for nothing is background, said back, never an error. Every stage writes
what it decided to the trace that `migsmith plan --explain` prints.
"""

from __future__ import annotations

import copy
import re

from migsmith.agent.backends.offline.catalog import Catalog
from migsmith.agent.backends.offline.constraints import DELETED
from migsmith.agent.backends.offline.frames import Frames
from migsmith.agent.backends.offline.lexicon import BACKGROUND_START, NOISE
from migsmith.agent.backends.offline.outcome import Ambiguous, Background, Interpretation, NotUnderstood
from migsmith.agent.backends.offline.text import FILLER, formats_to_words, read_options, sentences
from migsmith.agent.backends.offline.tokens import Tok, ground, tokenize

_AMENDS = {"set_not_null": {"nullable": False}, "drop_not_null": {"nullable": True}}
ROWS = re.compile(r"^(?:delete|truncate|remove|wipe|empty|clear|purge)\s+(?:all\s+)?(?:the\s+)?(?:rows|records|data|entries|"
                  r"contents)\b|^(?:delete|truncate|wipe|empty|clear|purge)\s+(?:all|every)\b|^truncate\b|"
                  r"^delete\s+from\b|^insert\s+into\b|^update\s+\w+\s+set\s+\w+\s*=")


def interpret(request: str, catalog: Catalog, *, previous: dict | None = None,
              answer: str | None = None) -> Interpretation:
    """Read ``request`` against ``catalog``; ``previous`` is the spec a chat amends, ``answer``
    the user's reply to a question asked before."""
    return Reader(catalog, previous, answer).read(request)


class Reader(Frames):
    def __init__(self, catalog: Catalog, previous: dict | None, answer: str | None):
        self.cat = copy.deepcopy(catalog)
        self.out = Interpretation()
        self.trace, self.assumptions = self.out.trace, self.out.assumptions
        self.last: dict = {}
        self.answer = answer.strip().strip("'\"`").lower() if answer else None
        self.sentence = ""
        self.changed = 0
        self.clause_ops: list[dict] = []
        self.pending_name: str | None = None
        self._shared: dict = {}
        self.holding = False  # an index said as a fact ("... is slow") waits in tentative
        self.tentative: list[dict] = []
        self.slow: str | None = None  # "the database is slow": slow, but nothing named
        self.context = False  # a "TABLE:" or "t.c:" head named what the next clause is about  # "..., call it is_paying": a name given after the fact
        if previous:
            self.out.options = dict(previous.get("options") or {})
            for op in previous.get("operations", []):
                self._record(op)
                self.out.operations.append(dict(op))

    # ---------------------------------------------------------------- driver
    def read(self, request: str) -> Interpretation:
        text = " ".join(request.split()) if "\n" not in request else request.strip()
        if m := re.fullmatch(r"\s*([\"'`])(.*)\1\s*", text, re.DOTALL):
            text = m.group(2)
        text = formats_to_words(text)
        text, options = read_options(text)
        if options:
            self.out.options.update(options)
            self.changed += 1
            self.trace.append(f"text: options {options}")
        text = FILLER.sub(" ", text)
        if m := re.search(r"\b(?:call|name)\s+it\s+[\"'`]?([A-Za-z_]\w*)", text):
            self.pending_name = m.group(1)
        background: list[str] = []
        for sentence in sentences(text):
            self.sentence = sentence
            toks = tokenize(sentence, self.cat)
            self.trace.append("tokens: " + " ".join(self._show(t) for t in toks))
            for clause in self._clauses(toks):
                for t in clause:  # what earlier clauses created or renamed is there now
                    ground(t, self.cat)
                shown = self.raw(clause[0], clause[-1])
                low = shown.lower()
                self.context = self.context and clause is not None
                try:
                    if ROWS.match(low):
                        raise NotUnderstood(shown, [], None, why="that changes rows, which is not a schema change; "
                                            "migsmith plans schema changes (a table is removed with \"drop table NAME\")")
                    if BACKGROUND_START.match(low) and not (re.match(r"so\s+", low) and len(clause) > 1 and clause[1].kind == "verb"):
                        raise Background(shown)
                    before = self.changed
                    self.read_clause(clause, shown)
                    if self.changed == before:
                        raise Background(shown)
                except Background as exc:
                    self._remember_names(clause)
                    if not exc.sure and self._asks(clause):
                        self.out.problems.append(str(NotUnderstood(shown, self._unknown(clause))))
                        self.trace.append(f"check: {shown!r} asks for something not understood")
                    else:
                        background.append(shown)
                        self.trace.append(f"background: {shown!r}")
                except NotUnderstood as exc:
                    hint = self.unknown_names(clause)
                    self.out.problems.append(f"{hint}; {exc}" if hint else str(exc))
                    self.trace.append(f"check: {self.out.problems[-1]}")
                except Ambiguous as exc:
                    if hint := self.unknown_names(clause):
                        self.out.problems.append(hint)
                        self.trace.append(f"check: {hint}")
                        continue
                    self.out.question, self.out.choices = exc.question, exc.choices
                    self.trace.append(f"refs: ambiguous: {exc.question}")
                    return self.out
        if self.tentative and not self.out.operations:
            self.trace.append("emit: nothing else was asked, so the index said as a fact is planned")
            for op in self.tentative:
                self.emit(op)
        if not self.out.problems and not self.changed and self.slow:
            self.out.problems.append(f"{self.slow!r}: which table and column should be faster to look up? "
                                     "(say \"add an index on TABLE(COLUMN)\")")
        elif not self.out.problems and not self.changed:
            shown = " ".join(background) or request.strip()
            named = self.last.get("columns") or []
            what = (f"it names {named[-1][0]}.{named[-1][1]} but asks for nothing; to remove it say "
                    f"\"drop {named[-1][0]}.{named[-1][1]}\"" if named else
                    "say what should change, e.g. \"add a boolean column email_verified to users\"")
            self.out.problems.append(f"{shown!r} does not read as a schema change (did not understand it): {what}, "
                                     "or write the spec (migsmith spec-schema, plan --spec -)")
        elif not self.out.problems:
            self.assumptions += [f"read {b!r} as background" for b in background]
            if background and not self.out.description:
                self.out.description = " ".join(background)[:200]
        return self.out

    def _show(self, t: Tok) -> str:
        what = (f"={t.ref[0]}.{t.ref[1]}" if t.ref else f"=table:{t.table}" if t.table else
                f"=col:{'|'.join(t.owners)}" if t.owners else f"=index" if t.index else
                f"=constraint" if t.constraint else "")
        return f"{t.text}<{t.kind}:{t.value}>{what}" if t.kind in ("type", "kw", "verb") else f"{t.text}{what}"

    def _clauses(self, toks: list[Tok]) -> list[list[Tok]]:
        """Cut where a new verb starts after and / , / then / also / plus ("..., and index it"),
        and after "TABLE:" or "reason:" heads."""
        out, cur, depth = [], [], 0
        for i, t in enumerate(toks):
            depth += t.text == "("
            depth -= t.text == ")" and depth > 0
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            joiner = depth == 0 and (t.text in (",", ":") or t.value in ("and", "then", "also", "plus", "but"))
            complete = t.text != "and" or any(x.kind in ("verb", "kw", "type") for x in cur)
            if joiner and nxt is not None and cur and complete and self._starts_clause(toks, i + 1) and (
                    t.text != ":" or not self._head_only(cur)):
                out.append(cur)
                cur = []
                continue
            if depth == 0 and t.text == ":" and cur and self._head_only(cur) and nxt is not None:
                self._remember_names(cur, head=True)
                self.context = True
                self.trace.append(f"clauses: {self.raw(cur[0], cur[-1])!r} names what follows")
                cur = []
                continue
            if t.value in ("then", "also") and not cur:
                continue
            cur.append(t)
        if cur:
            out.append(cur)
        return [c for c in out if any(t.kind != "punct" for t in c)]

    def _starts_clause(self, toks: list[Tok], i: int) -> bool:
        """Whether a new clause starts at ``toks[i]``: a verb (after "we", "please", "also" ...),
        a subject that is asked something ("..., and local_user.theme should be text"), "a
        partial index on it", or a statement ("..., the post page is dying")."""
        while i < len(toks) and (toks[i].value in ("and", "then", "also", "please", "so", "finally", "afterwards",
                                                   "we", "i", "you", "can", "could", "will", "would", "just")
                                 or toks[i].text == ","):
            i += 1
        if i >= len(toks):
            return False
        t = toks[i]
        rest = toks[i + 1:i + 5]
        if t.kind == "word" and t.value in ("a", "an") and rest and rest[0].is_("index"):
            return True  # "..., and a partial index on it where ..."
        if t.kind == "verb" and t.value != "change" or t.kind == "verb" and t.text.lower() not in ("be", "become", "stay", "remain", "keep"):
            return not DELETED.match(self.sentence[t.start:].lower())
        if t.kind == "word" and t.value in ("the", "this", "it", "that", "which", "they", "there", "nobody", "nothing") \
                and any(x.value in ("is", "are", "was", "were", "isn't", "aren't") for x in rest) \
                and not any(x.kind in ("verb", "kw", "type") for x in rest):
            return True
        return (t.named or t.value in ("it", "its", "they", "both")) and any(
            x.value in ("should", "must", "needs", "need", "has", "have", "can", "may", "gets")
            for x in rest[:2])

    def _head_only(self, toks: list[Tok]) -> bool:
        """ "orders:" or "comments.body:" or "Two fixes:" before what is asked."""
        content = self._content(toks)
        if any(t.value == "table" for t in toks) and any(t.value in ("new", "create") or t.kind == "verb" for t in toks):
            return False  # "new table wishlists: ..." is the change itself
        return len(content) <= 1 and all(t.named or t.ref for t in content) or not any(
            t.kind == "verb" for t in toks)

    def _remember_names(self, toks: list[Tok], head: bool = False) -> None:
        """What a clause names, for a later "it": its table, its columns."""
        tables = self.tables_named(toks)
        cols = [(t.ref[0], self.cat.column(*t.ref)) for t in toks if t.ref and self.cat.column(*t.ref)]
        for t in toks:
            if t.owners and not t.ref and not t.table:
                inside = [x for x in tables if x in t.owners]
                if inside or len(t.owners) == 1:
                    cols.append(((inside or t.owners)[0], self.cat.column((inside or t.owners)[0], t.name)))
        if tables:
            self.last["table"] = tables[0] if head else tables[-1]
        if cols:
            self.last.update(table=cols[-1][0], columns=list(dict.fromkeys(cols)))
        elif tables and head:
            self.last["columns"] = []
        for t in toks:
            if t.index:
                self.last["index"] = t.index
            if t.constraint:
                self.last["constraint"] = t.constraint

    def _asks(self, clause: list[Tok]) -> bool:
        """A clause in the imperative (its first word a verb of change) that yielded nothing is
        a request not understood; a statement, a reason or a purpose is background."""
        words = [t for t in clause if t.kind != "punct" and not (t.kind == "word" and t.value in ("please", "also", "then", "and"))]
        if not words or BACKGROUND_START.match(self.raw(clause[0], clause[-1]).lower()):
            return False
        return words[0].kind == "verb" and len(words) > 1

    def _unknown(self, clause: list[Tok]) -> list[str]:
        return [t.text for t in clause if t.kind in ("word", "verb") and t.value not in NOISE and not t.named][:3]

    # ------------------------------------------------------------------ refs
    def ask_owner(self, name: str, owners: list[str]) -> tuple[str, str]:
        chosen = [t for t in owners if self.answer and (t.lower() == self.answer or self.cat.table(self.answer) == t)]
        if len(chosen) == 1:
            return chosen[0], self.cat.column(chosen[0], name)
        raise Ambiguous(f"Which table's {name!r} do you mean: {', '.join(owners)}?", owners)

    # ----------------------------------------------------------------- emit
    def emit(self, op: dict) -> None:
        """Add an operation; an attribute of a column this spec adds goes into its definition
        ("add X ..., and make it not null"), and an operation said twice counts once."""
        self.changed += 1
        if self.holding:
            self.trace.append(f"emit: held until the end (said as a fact): {op}")
            self.clause_ops.append(op)
            self.tentative.append(op)
            self.last.update(table=op["table"], columns=[(op["table"], c) for c in op["columns"]])
            return
        if op in self.out.operations:
            self.clause_ops.append(op)
            return
        if op["op"] == "rename_column":
            for prev in self.out.operations:
                if prev["op"] == "add_column" and prev["table"] == op["table"] and prev["column"]["name"] == op["column"]:
                    prev["column"] = {**prev["column"], "name": op["new_name"]}  # "..., call it is_paying"
                    self.clause_ops.append(op)
                    self._record(op)
                    return
        if op["op"] in _AMENDS or op["op"] in ("set_default", "alter_column_type"):
            for i, prev in enumerate(self.out.operations):
                if prev["op"] == "add_column" and prev["table"] == op["table"] and prev["column"]["name"] == op["column"] \
                        and not any(o.get("column") == op["column"] and o.get("table") == op["table"]
                                    for o in self.out.operations[i + 1:]):
                    change = _AMENDS.get(op["op"]) or ({"default": op["default"]} if op["op"] == "set_default"
                                                       else {"type": op["new_type"]})
                    prev["column"] = {**prev["column"], **change}
                    self.trace.append(f"emit: folded {op['op']} into the new column {op['table']}.{op['column']}")
                    self.clause_ops.append(op)
                    self._record(op)
                    return
        self.trace.append(f"emit: {op}")
        self.clause_ops.append(op)
        self.out.operations.append(op)
        self._record(op)

    def _record(self, op: dict) -> None:
        """Keep the catalog and "it" in step with what the spec does so far."""
        kind, table = op["op"], op.get("table")
        if kind == "create_table":
            self.cat.create(table, [c["name"] for c in op["columns"]])
            self.last.update(table=table, columns=[])
        elif kind == "add_column":
            self.cat.add(table, op["column"]["name"])
            self.last.update(table=table, columns=[(table, op["column"]["name"])])
        elif kind == "rename_column":
            self.cat.rename_column(table, op["column"], op["new_name"])
            self.last.update(table=table, columns=[(table, op["new_name"])])
        elif kind == "rename_table":
            self.cat.rename_table(table, op["new_name"])
            self.last.update(table=op["new_name"])
        elif kind in ("drop_index",):
            self.last["index"] = (op.get("table"), op["name"])
        elif kind == "drop_constraint":
            self.last["constraint"] = (table, op["name"])
        elif isinstance(op.get("column"), str):
            cols = self.last.get("columns") if self.last.get("table") == table else None
            same = [c for c in (cols or []) if c[0] == table]
            self.last.update(table=table, columns=same if (table, op["column"]) in same else [(table, op["column"])])
        elif op.get("columns") and table:
            self.last.update(table=table, columns=[(table, c) for c in op["columns"]])
        elif table:
            self.last["table"] = table
