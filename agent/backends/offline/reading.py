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
import json
import re

from migsmith.agent.backends.offline.accounting import form_of, unplaced
from migsmith.agent.backends.offline.catalog import Catalog
from migsmith.agent.backends.offline.constraints import DELETED
from migsmith.agent.backends.offline.frames import EXPLAINS, Frames
from migsmith.agent.backends.offline.lexicon import BACKGROUND_START, NOISE
from migsmith.agent.backends.offline.outcome import Ambiguous, Background, Interpretation, NotUnderstood
from migsmith.agent.backends.offline.text import FILLER, formats_to_words, read_options, sentences
from migsmith.agent.backends.offline.tokens import Tok, ground, tokenize

_AMENDS = {"set_not_null": {"nullable": False}, "drop_not_null": {"nullable": True}}
LEADS = {"please", "also", "then", "and", "so", "now", "first", "finally", "just", "next", "lastly", "afterwards",
         "additionally", "plus", "we", "i", "you", "can", "could", "would", "will", "let's", "a", "an", "the"}
SPEC_WORDS = {"cascade", "restrict", "unique", "nullable", "primary", "foreign", "indexed", "references", "referencing"}
# Key phrases that ask for a change: a modal clause holding one and not read ("hat should not be
# null") refuses the request instead of being set aside as background.
MODAL_ASKS = {"not_null", "nullable", "default", "no_default", "unique", "unique_constraint", "check", "fk"}
STRONG = {"should", "must", "shall", "never", "cannot", "can't", "mustn't", "shouldn't", "require", "requires"}
ROWS = re.compile(r"^(?:delete|truncate|remove|wipe|empty|clear|purge)\s+(?:all\s+)?(?:the\s+)?(?:rows|records|data|entries|"
                  r"contents)\b|^(?:delete|truncate|wipe|empty|clear|purge)\s+(?:all|every)\b|^truncate\b|"
                  r"^delete\s+from\b|^insert\s+into\b|^update\s+\w+\s+set\s+\w+\s*=")


def _sql_typed(t: Tok, clause: list[Tok], i: int) -> bool:
    """A type written as a type (BIGINT, varchar(20), "of type text", "... to jsonb"), not an
    English word that names one ("full text search", "by date")."""
    prev = clause[i - 1].text.lower() if i else ""
    if i and clause[i - 1].kind == "num" and t.text.islower() and t.text.isalpha():
        return False  # a unit after a number: "56 bytes"
    return bool(t.text.isupper() or re.search(r"[(\[\d_]", t.text) or t.value not in ("text", "date", "time", "json",
                                                                                       "boolean", "integer", "timestamp")
                or prev in ("type", "to", "as", "be", "a", "an") or i and clause[i - 1].kind in ("word", "qid") and "_" in clause[i - 1].text)


def _number_in(text: str, sql: str) -> bool:
    """ "at least 3 characters" reads as a check: its number is in the expression."""
    number = re.search(r"\d+", text)
    return bool(number and re.search(rf"\b{number.group(0)}\b", sql))


def _flat(op: dict):
    """(key, value) of an operation, its column definitions' too."""
    for k, v in op.items():
        if isinstance(v, dict):
            yield from v.items()
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for c in v:
                yield from c.items()
        else:
            yield k, v


def _op_names(op: dict) -> list[str]:
    return [str(v) for k, v in _flat(op) if k in ("table", "name", "column", "new_name", "ref_table")
            and isinstance(v, str)] + [str(c) for k, v in op.items() if k in ("columns", "ref_columns")
                                       and isinstance(v, list) for c in v if isinstance(c, str)]


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
        self.last: dict = {}  # what "it", "them", "the index" mean: the last table, columns, index, constraint
        self.answer = answer.strip().strip("'\"`").lower() if answer else None
        self.sentence = self.verb_text = ""
        self.changed = self.emitted = 0  # operations read (held ones too), operations planned
        self.read_clauses: list[tuple[list[Tok], str, str]] = []  # what was read, for the coverage check
        self.clause_ops: list[list[dict]] = []  # beside each, the operations it added (the form a refusal shows)
        self.unread: list[tuple[list[Tok], str, str]] = []  # clauses set aside: what they name must be covered
        self.first_at: int | None = None  # where the operations of the last clause read begin
        self.pending_name: str | None = None  # "..., call it is_paying": a name given after the fact
        self._shared: dict = {}
        self.holding = False  # a clause said as a fact ("... is slow"): its operations wait in tentative
        self.tentative: list[dict] = []
        self.slow: str | None = None  # "the database is slow": slow, but nothing named
        self.context, self.head = False, []  # a "TABLE:" or "t.c:" head named what the next clauses are about
        if previous:
            self.out.options = dict(previous.get("options") or {})
            for op in previous.get("operations", []):
                self._record(op)
                self.out.operations.append(dict(op))

    # -- driver
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
        self.insist = bool(re.search(r"\b(?:make\s+sure|ensure)\b", text, re.IGNORECASE))  # "make sure X is unique"
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
                mood = self._mood(clause)
                self.holding = mood == "statement"  # a fact's operations wait: planned if nothing is asked
                before = len(self.out.operations)
                try:
                    self._read_one(clause, shown)
                    self.read_clauses.append((clause, shown, mood))
                    self.clause_ops.append(self.out.operations[before:])
                    if re.search(r"\bfirst$", shown.lower()) and self.first_at is not None:
                        ops = self.out.operations  # "...; set the missing ones to true first": before the last clause's
                        ops[self.first_at:] = ops[before:] + ops[self.first_at:before]
                    self.first_at = before
                except Background as exc:
                    self._remember_names(clause)
                    first = next((t for t in clause if t.kind != "punct" and t.value not in ("please", "also", "then", "and")), clause[-1])
                    if not exc.sure and first.kind == "verb" and first is not clause[-1]:  # an imperative not read
                        words = [t.text for t in clause if t.kind in ("word", "verb") and t.value not in NOISE and not t.named]
                        self.out.problems.append(str(NotUnderstood(shown, words[:3])))
                        self.trace.append(f"check: {shown!r} asks for something not understood")
                    else:
                        background.append(shown)
                        self.trace.append(f"background: {shown!r}")
                except (NotUnderstood, Ambiguous) as exc:
                    self._remember_names(clause)
                    hint = self.unknown_names(clause)
                    message = f"{hint}; {exc}" if hint and isinstance(exc, NotUnderstood) else hint or str(exc)
                    asks = mood == "modal" and bool(re.search(r"\b(?:should|must|shall|needs?)\b", shown.lower())) \
                        and any(t.kind == "type" or t.kind == "kw" and t.value in MODAL_ASKS for t in clause)
                    if mood != "imperative" and not asks:  # set aside: refused only if nothing is asked, or if the spec misses its names
                        self.unread.append((clause, shown, message if hint or isinstance(exc, NotUnderstood) else exc))
                        background.append(shown)
                        self.trace.append(f"background: a {mood} clause not read ({message})")
                    elif isinstance(exc, Ambiguous) and not hint:
                        self.out.question, self.out.choices = exc.question, exc.choices
                        self.trace.append(f"refs: ambiguous: {exc.question}")
                        return self.out
                    else:
                        self.out.problems.append(message)
                        self.trace.append(f"check: {message}")
                finally:
                    self.holding = False
        if self.tentative and not self.emitted:
            self.trace.append("emit: nothing else was asked, so what was said as a fact is planned")
            for op in self.tentative:
                self.emit(op)
        elif new := [op for op in self.tentative if op["op"] in ("add_column", "create_table") and op not in self.out.operations]:
            name = new[0]["column"]["name"] if new[0]["op"] == "add_column" else new[0]["table"]
            self.out.problems.append(f"could not place {name!r}: said as a fact, but the schema does not have it; to add it say "
                                     f"\"add ...\", as a spec: {json.dumps(new[0])}")
        if not self.out.problems and self.emitted:
            self.check_coverage()
        if not self.out.problems and self.emitted:
            self.check_accounted()
        if self.unread and not self.emitted and not self.out.problems and not options:
            first = self.unread[0][2]
            if isinstance(first, Ambiguous):
                self.out.question, self.out.choices = first.question, first.choices
                return self.out
            self.out.problems.append(first)
        if not self.out.problems and not self.emitted and not options and self.slow:
            self.out.problems.append(f"{self.slow!r}: which table and column should be faster to look up? "
                                     "(say \"add an index on TABLE(COLUMN)\")")
        elif not self.out.problems and not self.emitted and not options:
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

    def _read_one(self, clause: list[Tok], shown: str) -> None:
        low = shown.lower()
        if ROWS.match(low):
            raise NotUnderstood(shown, [], None, why="that changes rows, which is not a schema change; "
                                "migsmith plans schema changes (a table is removed with \"drop table NAME\")")
        if BACKGROUND_START.match(low) and not (re.match(r"so\s+", low) and len(clause) > 1 and clause[1].kind == "verb"):
            raise Background(shown)
        before = self.changed
        self.read_clause(clause, shown)
        if self.changed == before:
            raise Background(shown)

    def check_coverage(self) -> None:
        """The last stage: every name, type and value an asking clause wrote must be in the
        spec (a name as a name or inside an expression, a value in a default, an expression or a
        condition); a part of a request that went nowhere refuses the request, since a spec that
        does less than asked is worse than none. Statements and asides are not asked for."""
        ops = self.out.operations
        names = {x.lower() for op in ops for x in _op_names(op)}
        sql = " ".join(str(v) for op in ops for k, v in _flat(op) if k in ("default", "expression", "where", "using")).lower()
        types = {str(v).lower() for op in ops for k, v in _flat(op) if k in ("type", "new_type")}
        said = names | types | set(re.findall(r"[a-z_][\w$]*", sql))
        kinds = {op["op"] for op in ops}
        for clause, shown, mood in self.read_clauses + [(c, s, "unread") for c, s, _ in self.unread]:
            if mood == "statement":
                continue
            left, depth = [], 0
            for i, t in enumerate(clause):
                depth += (t.text == "(") - (t.text == ")")
                prev = " ".join(x.text.lower() for x in clause[max(0, i - 3):i])  # "instead of an INT"
                if t.aside:
                    continue
                if t.kind == "type" and t.name.lower() in names:
                    continue  # a type word used as a name ("rename ... to date")
                if t.kind in ("word", "qid", "str") and t.table and not t.ref and depth == 0 and not t.owners and not (
                        re.search(r"\b(?:in|into)$", prev) and kinds <= {"drop_table", "drop_column"}):  # "..., bans live in t now"
                    key = re.sub(r"'s$|s$", "", t.value) + "_id"
                    if t.table.lower() not in names and key not in said and not self._name_like(t) and not prev.endswith("new"):
                        left.append(t)  # a table the request names that no operation is about
                elif t.kind in ("word", "qid") and (self._name_like(t) or t.ref or t.index or t.constraint):
                    parts = {t.name.lower(), *(p.lower() for p in (t.ref or ())), *(p.lower() for p in (t.index or t.constraint or ()) if p)}
                    if not parts & said and t.name.lower() != (self.pending_name or "").lower():
                        left.append(t)
                elif t.kind == "type" and t.value.lower() not in types and not t.owners and _sql_typed(t, clause, i) and not re.search(
                        r"(?:\bfrom|\binstead\s+of(?:\s+an?)?|\brather\s+than|\bnot(?:\s+an?)?|\bis(?:\s+an?)?|\bwas(?:\s+an?)?|\bare|->|=>|→|\bcurrent)$", prev) and not (
                        i + 1 < len(clause) and clause[i + 1].is_("arrow")) and not (
                        _number_in(t.text, sql)):
                    left.append(t)
                elif t.kind == "word" and t.value in SPEC_WORDS and not t.used and depth == 0 and mood != "unread":
                    left.append(t)  # a word that means something for a spec, read by nothing ("..., cascade on delete")
                elif t.kind == "kw" and not t.used and mood != "unread" and EXPLAINS.get(t.value) and not EXPLAINS[t.value] & kinds:
                    left.append(t)  # a key phrase no operation explains ("... unique" and no unique operation)
                elif (t.kind in ("str", "num") or t.is_("true", "false") and not t.used) and depth == 0 and not re.search(
                        rf"(?<![\w.]){re.escape(t.text.lower())}(?![\w.])", sql) and t.name.lower() not in names \
                        and not any(op["op"].startswith("drop") for op in ops):
                    left.append(t)
            if left:  # a clause set aside says why it was not read; another, what went nowhere
                message = str(next(m for c, s, m in self.unread if s == shown)) if mood == "unread" else str(NotUnderstood(
                    shown, [t.text for t in left], None, why="part of the request is not in the spec"))
                self.trace.append(f"check: not in the spec: {', '.join(t.text for t in left)} (of {shown!r}): {message}")
                return self.out.problems.append(message)

    def check_accounted(self) -> None:
        """Every word of an asking clause is read, names what the spec touches, is an aside or
        filler (accounting.py); a word left over refuses the request."""
        kinds = {op["op"] for op in self.out.operations}
        explained = {k for k, v in EXPLAINS.items() if v & kinds}
        for (clause, shown, mood), ops in zip(self.read_clauses, self.clause_ops):
            if mood == "statement":
                continue
            if left := unplaced(clause, self.out.operations, explained):
                message = str(NotUnderstood(shown, [t.text for t in left], form_of(clause, ops),
                                            why="part of the request was not read"))
                self.trace.append(f"account: unplaced {', '.join(t.text for t in left)} (of {shown!r})")
                return self.out.problems.append(message)
            self.trace.append(f"account: every word of {shown!r} placed")

    def _mood(self, clause: list[Tok]) -> str:
        """imperative ("add ...", "index on t(c)", terse "t.c not null"), modal ("t.c should be
        ...", "must", "needs to") or statement ("X is varchar(100)", "queries by X are slow")."""
        lead = [t for t in clause if t.kind != "punct" and not (t.kind == "word" and t.value in LEADS)]
        if lead and lead[0].text.lower() in ("let", "want", "wants") and not any(  # "let people hide them": a purpose
                t.named or self._name_like(t) or t.kind == "type" for t in clause):
            return "statement"
        if not lead or lead[0].kind == "verb" or lead[0].kind == "kw" and lead[0].value in (
                "index", "unique", "unique_constraint", "fk", "not_null", "called"):
            return "imperative"
        words = {t.text.lower() for t in clause if t.kind in ("word", "verb", "kw")}
        subject = next((t for t in clause if t.kind != "punct" and t.value not in NOISE), None)
        if words & STRONG or re.search(r"\b(?:has|have|had|needs?)\s+to\b|\b(?:can|may)\s+only\b",
                                       self.raw(clause[0], clause[-1]).lower()) or any(
                t.kind == "verb" and t.text.lower() in ("needs", "need", "gets", "get", "wants", "want") for t in clause) \
                and subject is not None and bool(subject.table or subject.ref or subject.owners) or any(t.kind == "kw" and re.match(r"(?:must|should|can'?t|cannot|never|always)\b",
                                                                                     t.text.lower()) for t in clause):
            return "modal"
        if not words & {"is", "are", "was", "were", "isn't", "aren't", "has", "have", "had"} and not any(
                t.kind == "word" and t.value not in NOISE | {"true", "false"} and not t.named and not self._name_like(t)
                for t in self._outside_parens(clause)):  # an aside does not make it a statement: "... (a unix timestamp)"
            return "imperative"  # terse: "comments.author_id NOT NULL", "api_ping.object_size integer, nullable"
        return "statement"

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
            if depth == 0 and t.text == ":" and cur and self._head_only(cur) and nxt is not None and (
                    not any(x.kind == "verb" for x in cur) or self._starts_clause(toks, i + 1)):
                self._remember_names(cur, head=True)
                self.context, self.head = True, list(cur)
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
                                 or toks[i].text == "," or toks[i].value in ("on", "in", "to") and i + 1 < len(toks)
                                 and toks[i + 1].table and not toks[i + 1].ref):
            i += 2 if toks[i].value in ("on", "in", "to") else 1  # "on accounts_profile add ..."
        if i >= len(toks):
            return False
        t = toks[i]
        rest = toks[i + 1:i + 5]
        if t.is_("a", "an") and rest and rest[0].is_("index"):
            return True  # "..., and a partial index on it where ..."
        if t.is_("index") and rest and (rest[0].value in ("it", "them", "both", "that", "on") or rest[0].named):
            return True  # "..., and index it (as NAME)"
        if t.kind == "kw" and t.value in ("index", "unique_constraint", "fk") and toks[i - 1].text == ":":
            return True  # "...: unique constraint on accounts_member (user_id, project_id)"
        if t.ref and not self.cat.column(*t.ref) and rest and (rest[0].kind in ("type", "kw") or rest[0].text in (":", "(")):
            return True  # "...: monitor.packet_size INTEGER NOT NULL DEFAULT 56"
        if t.kind == "verb" and t.text.lower() not in ("be", "become", "stay", "remain", "keep"):
            return not DELETED.match(self.sentence[t.start:].lower())
        ahead = toks[i:next((j for j in range(i, len(toks)) if toks[j].text in (",", ";")), len(toks))]
        if t.value == "for" and any(x.kind == "verb" for x in ahead):
            return True  # "..., and for documents in status 'COMPLETED' set it to their updatedAt"
        if toks[i - 1].value == "so" and t.is_("it", "that", "they", "we", "the", "nothing", "nobody", "both"):
            return True  # "..., so it matches posts and comments"
        if t.is_("the", "this", "it", "that", "which", "they", "there", "nobody", "nothing") \
                and any(x.value in ("is", "are", "was", "were", "isn't", "aren't") for x in rest) \
                and not any(x.kind in ("verb", "kw", "type") for x in rest):
            return True
        return (t.named or t.value in ("it", "its", "they", "both")) and (any(
            x.text.lower() in ("should", "must", "needs", "need", "has", "have", "can", "may", "gets", "get")
            for x in rest[:2]) or bool(rest) and rest[0].kind == "kw" and re.match(r"(?:must|should|can)", rest[0].text.lower()))

    def _head_only(self, toks: list[Tok]) -> bool:
        """ "orders:" or "comments.body:" or "Two fixes:" before what is asked."""
        content = self._content(toks)
        if any(t.value == "table" for t in toks) and any(t.value in ("new", "create") or t.kind == "verb" for t in toks):
            return False  # "new table wishlists: ..." is the change itself
        if content and content[0].ref and not self.cat.column(*content[0].ref) and not any(t.kind == "verb" for t in toks):
            return False  # "tags.quorum: integer, default 2" is the column itself
        return True

    def _remember_names(self, toks: list[Tok], head: bool = False) -> None:
        """What a clause names, for a later "it": its table, its columns."""
        tables = self.tables_named(toks)
        cols = [(t.ref[0], self.cat.column(*t.ref)) for t in toks if t.ref and self.cat.column(*t.ref)]
        for t in toks:
            if t.owners and not t.ref and not t.table:
                inside = [x for x in tables if x in t.owners]
                owner = (inside or t.owners)[0]
                if (inside or len(t.owners) == 1) and self.cat.column(owner, t.name).lower() == t.name.lower():
                    cols.append((owner, self.cat.column(owner, t.name)))  # as written: "values" is no column
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
        first = next((t for t in toks if t.named and not t.owners or t.ref), None)
        if first is not None:
            self.last["subject"] = ("index", first.index) if first.index else ("constraint", first.constraint) \
                if first.constraint else ("column", (first.ref[0], self.cat.column(*first.ref))) \
                if first.ref and self.cat.column(*first.ref) else None

    # -- refs
    def ask_owner(self, name: str, owners: list[str]) -> tuple[str, str]:
        chosen = [t for t in owners if self.answer and (t.lower() == self.answer or self.cat.table(self.answer) == t)]
        if len(chosen) == 1:
            return chosen[0], self.cat.column(chosen[0], name)
        raise Ambiguous(f"Which table's {name!r} do you mean: {', '.join(owners)}?", owners)

    # -- emit
    def emit(self, op: dict) -> None:
        """Add an operation; an attribute of a column this spec adds goes into its definition
        ("add X ..., and make it not null"), and an operation said twice counts once."""
        self.changed += 1
        if self.holding:
            self.trace.append(f"emit: held until the end (said as a fact): {op}")
            self.tentative.append(op)
            return self._record(op, catalog=False)
        self.emitted += 1
        ops = self.out.operations
        if op in ops:
            return
        if op["op"] == "rename_column" and ops and ops[-1]["op"] in ("add_index", "add_unique_constraint", "add_foreign_key",
                                                                     "add_check_constraint") and not ops[-1].get("name"):
            ops[-1]["name"] = op["new_name"]  # "index community(title), call it idx_community_title"
            return
        if op["op"] == "add_index" and op.get("unique"):  # a unique constraint said twice, as an index
            ops[:] = [o for o in ops if not (o["op"] == "add_unique_constraint" and o["table"] == op["table"]
                                             and sorted(o["columns"]) == sorted(op["columns"]))]
        change = {"rename_column": {"name": op.get("new_name")}, "set_default": {"default": op.get("default")},
                  "alter_column_type": {"type": op.get("new_type")}, **_AMENDS}.get(op["op"])
        new = next((i for i, o in enumerate(ops) if o["op"] == "add_column" and o["table"] == op["table"]
                    and o["column"]["name"] == op.get("column")), None)
        if change and new is not None and (op["op"] == "rename_column" or not any(
                o.get("column") == op["column"] and o.get("table") == op["table"] for o in ops[new + 1:])):
            ops[new]["column"] = {**ops[new]["column"], **change}  # "..., call it is_paying", "..., and make it not null"
            self.trace.append(f"emit: {op['op']} folded into the new column {op['table']}.{op['column']}")
            return self._record(op)
        self.trace.append(f"emit: {op}")
        ops.append(op)
        self._record(op)

    def _record(self, op: dict, catalog: bool = True) -> None:
        """Keep the catalog and "it" in step with what the spec does so far."""
        kind, table = op["op"], op.get("table")
        cat = self.cat if catalog else copy.deepcopy(self.cat)
        if kind == "create_table":
            cat.create(table, [c["name"] for c in op["columns"]])
            self.last.update(table=table, columns=[])
        elif kind == "add_column":
            cat.add(table, op["column"]["name"])
            name = op["column"]["name"]
            same = [c for c in self.last.get("columns") or [] if c[1] == name and c[0] != table]  # "x to A, B and C"
            self.last.update(table=table, columns=same + [(table, name)])
        elif kind == "rename_column":
            cat.rename_column(table, op["column"], op["new_name"])
            self.last.update(table=table, columns=[(table, op["new_name"])])
        elif kind == "rename_table":
            cat.rename_table(table, op["new_name"])
            self.last.update(table=op["new_name"])
        elif kind in ("drop_index", "drop_constraint"):
            self.last.update({kind[5:]: (table, op["name"]), "table": table})
        elif isinstance(op.get("column"), str):
            cols = self.last.get("columns") if self.last.get("table") == table else None
            same = [c for c in (cols or []) if c[0] == table]
            self.last.update(table=table, columns=same if (table, op["column"]) in same else [(table, op["column"])])
        elif op.get("columns") and table:
            self.last.update(table=table, columns=[(table, c) for c in op["columns"]])
        elif table:
            self.last["table"] = table
