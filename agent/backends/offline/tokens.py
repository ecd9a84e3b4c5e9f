"""The second stage: a sentence as tokens, each grounded in the schema.

Quoted strings, type phrases and key phrases ("not null", "on delete cascade") become one token
each; every word that names an existing table, column, index or constraint says so (a word may
name several things: the reading of its clause chooses). What is left are new names, values
and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migsmith.agent.backends.offline.catalog import Catalog
from migsmith.agent.backends.offline.lexicon import (
    PHRASE_KIND, PHRASE_RE, TYPE_RE, VERB_KIND, VERB_RE, VERBS, type_for)

_SCAN = re.compile(r"""
    (?P<str>(?<![\w'])'(?:[^']|'')*'(?![\w]))
  | (?P<qid>"[^"]+"|`[^`]+`)
  | (?P<num>(?<![\w.])-?\d+(?:\.\d+)?(?![\w]|\.\d))
  | (?P<word>[A-Za-z_][\w$]*(?:-[A-Za-z][\w]*)*(?:'[a-z]{1,2}\b)?(?:\.[A-Za-z_][\w$]*)*)
  | (?P<punct>->|=>|→|<=|>=|<>|!=|::|\|\||[(),:;=<>*+/\[\]@%&?!{}-])
""", re.VERBOSE)


@dataclass
class Tok:
    text: str  # as written
    kind: str  # word str qid num type kw verb punct
    value: str  # lower word, literal, dialect type, key-phrase kind, verb class
    start: int
    end: int
    arg: str | None = None  # on delete's action
    table: str | None = None  # the table it names
    ref: tuple[str, str] | None = None  # table.column it names ("t.c", or t.new for a new column)
    owners: list[str] = field(default_factory=list)  # tables with a column of this name
    index: tuple[str, str] | None = None
    constraint: tuple[str, str] | None = None
    used: bool = False
    target: bool = False  # the table a reference points at (not the clause's own table)
    aside: bool = False  # inside an explanation ("(0 means no avatar)"): not asked for

    @property
    def name(self) -> str:
        """The identifier it spells: quoted names keep their case and lose their quotes."""
        return self.text[1:-1] if self.kind in ("qid", "str") else self.text

    def is_(self, *values: str) -> bool:
        return self.value in values and self.kind in ("kw", "verb", "word", "punct")

    @property
    def named(self) -> bool:
        return bool(self.table or self.ref or self.owners or self.index or self.constraint)


def tokenize(sentence: str, catalog: Catalog) -> list[Tok]:
    low = sentence.lower()
    masked = re.sub(r"(?<![\w'])'(?:[^']|'')*'(?!\w)|\"[^\"]+\"|`[^`]+`",
                    lambda m: "\0" * len(m.group(0)), low)
    spans: dict[int, tuple[int, str, str, str | None]] = {}
    for m in VERB_RE.finditer(masked):
        spans[m.start()] = (m.end(), "verb", VERB_KIND[m.lastgroup], None)
    for m in TYPE_RE.finditer(masked):
        if any(s <= m.start() < e for s, (e, *_) in spans.items()):
            continue
        spans[m.start()] = (m.end(), "type", type_for(m.group(0), catalog.dialect) or m.group(0), None)
    for m in re.finditer(r"(?<![\w.])(REAL|POINT)(?![\w.])", sentence):  # the SQL types, not the English words
        spans[m.start()] = (m.end(), "type", m.group(1).lower(), None)
    for m in PHRASE_RE.finditer(masked):
        if m.start() not in spans and not any(s < m.start() < e for s, (e, *_) in spans.items()):
            kind = PHRASE_KIND[m.lastgroup]
            arg = re.sub(r"^on\s+delete\s+", "", m.group(0)) if kind == "on_delete" else None
            spans[m.start()] = (m.end(), "kw", kind, " ".join(arg.split()) if arg else None)
    toks, i = [], 0
    while i < len(sentence):
        if i in spans and masked[i] != "\0":
            end, kind, value, arg = spans[i]
            toks.append(Tok(sentence[i:end], kind, value, i, end, arg=arg))
            i = end
            continue
        m = _SCAN.match(sentence, i)
        if not m:
            i += 1
            continue
        kind, text = m.lastgroup, m.group(0)
        value = text if kind in ("str", "num") else text.strip('"`') if kind == "qid" else text.lower()
        if kind == "word" and value in VERBS and not _wants_to(sentence, m.end(), value):
            kind, value = "verb", VERBS[value]
        toks.append(Tok(text, kind, value, m.start(), m.end()))
        i = m.end()
    for t, nxt in zip(toks, toks[1:]):
        if t.kind == "kw" and t.value in ("ref", "index", "check") and t.text.isalpha() and nxt.kind == "type":
            t.kind, t.value = "word", t.text.lower()  # "add a reference VARCHAR(50)": a name before its type
    for t in toks:
        ground(t, catalog)
    return _join_spaced_names(toks, catalog)


def _wants_to(sentence: str, end: int, word: str) -> bool:
    """ "wants to feature ...", "no longer need": a wish or a need, not the verb of the change."""
    before = sentence[:end - len(word)].lower()
    return (word in ("want", "wants", "need", "needs", "needed", "get", "gets") and bool(
        re.match(r"\s+to\b", sentence[end:]))) or bool(re.search(
            r"\b(?:no\s+longer|don'?t|do\s+not|doesn'?t|does\s+not|never|not|nobody|no\s+one)\s+$|"
            r"\b(?:gets?|got|is|are|was|were|be|been|being)\s+$", before))  # "ap_id gets set by a trigger"


def ground(t: Tok, catalog: Catalog) -> None:
    """Say what existing thing ``t`` names (several readings may stay open)."""
    t.table = t.ref = t.index = t.constraint = None
    t.owners = []
    if t.kind not in ("word", "qid", "str", "type", "verb") or (t.kind == "str" and " " in t.name):
        return
    name = t.name
    if "." in name and t.kind != "str":
        head, _, col = name.rpartition(".")
        table = catalog.table(head)
        if table:
            t.ref = (table, catalog.column(table, col) or col)
            return
    t.table = catalog.table(re.sub(r"'s?$", "", name))
    t.owners = catalog.owners(name)
    t.index = catalog.index(name)
    t.constraint = catalog.constraint(name)


def _join_spaced_names(toks: list[Tok], catalog: Catalog) -> list[Tok]:
    """ "local user" -> local_user, "post report" -> post_report, when the words alone name
    nothing better."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        for n in (3, 2):
            group = toks[i:i + n]
            if len(group) == n and all(t.kind == "word" and "." not in t.text for t in group):
                text = " ".join(t.text for t in group)
                if catalog.table(text) and not any(t.table for t in group[-1:]):
                    joined = Tok(text, "word", text.lower(), group[0].start, group[-1].end)
                    ground(joined, catalog)
                    out.append(joined)
                    i += n
                    break
        else:
            out.append(toks[i])
            i += 1
    return out
