"""The offline planner's reading of a request: plain words in, ChangeSpec operations out.

Deterministic and schema-aware: it resolves which table owns a column from the catalog that
list_tables returned, understands common phrasings of every ChangeSpec operation, and reports
what it could not understand or what is ambiguous instead of guessing. It only produces a drop
when the clause itself asks for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migsmith.agent.backends.offline.lexicon import (
    BOOLEAN_VALUES, FILLER, NOISE_WORDS, TYPE_RE, VALUE_WORDS, type_for, type_from_column_name)
from migsmith.tools.errors import did_you_mean

NAME = r"[a-z_][a-z0-9_$]*"
REF = rf"{NAME}(?:\.{NAME})?"  # column, table.column or schema.table
TBL = rf"(?:the\s+)?(?:table\s+)?({REF})(?:\s+table)?"
_QUOTED = re.compile(r"(?<![\w])'([^'\s][^']*?)'(?![\w])|\"([^\"]+)\"|`([^`]+)`")
_VERBS = (r"add|drop|remove|delete|rename|index|make|set|change|create|backfill|fill|populate|"
          r"allow|give|link|convert|widen|require|alter|mark|put|constrain|copy|update|"
          r"introduce|get rid")
_SPLIT = re.compile(rf"(?:[.!?](?:\s+|$)|;|\bthen\b|\balso\b|\bas well as\b|\bplus\b|"
                    rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?=(?:{_VERBS})\b))")
_NOT_NULL = re.compile(r"\b(?:not null|non-null|non null|not nullable|never (?:be )?null|"
                       r"required|mandatory|can'?t be null|cannot be null|can not be null|"
                       r"must not be null|must be set|always (?:be )?set|no nulls)\b")
_NULLABLE = re.compile(r"\b(?:nullable|optional|allow(?:s|ing)? nulls?|can be null|may be null|"
                       r"null allowed|nulls allowed|accept nulls?|can be (?:empty|blank|left empty|missing))\b")
_ON_DELETE = re.compile(r"\bon delete (cascade|restrict|set null|set default|no action)\b|"
                        r"\b(cascad(?:e|ing)) (?:on )?deletes?\b")
_BATCH = re.compile(r"\b(?:in |use |using )?batch(?:es)?(?: size)? of (\d[\d_,]*)(?: rows)?\b|"
                    r"\bbatch size (?:of |to |= ?)?(\d[\d_,]*)\b|\b(\d[\d_,]*) rows (?:per|a|each) batch\b")
_PAUSE = re.compile(r"\bpause (?:of |for )?(\d+) ?(ms|milliseconds?|s|seconds?)\b")
_DOWNTIME_OK = re.compile(r"\b(?:downtime|a maintenance window|maintenance window) (?:is |are )?"
                          r"(?:ok|okay|fine|allowed|acceptable)\b|\b(?:we )?can (?:take|afford|accept|have|schedule) "
                          r"(?:a |some )?(?:short |brief |small |little )?(?:downtime|maintenance window|"
                          r"outage)\b|\bduring (?:a|the) maintenance window\b|"
                          r"\bwith downtime\b|\bdowntime allowed\b")
_LOCK_TIMEOUT = re.compile(r"\block timeout (?:of |to )?(\d+) ?(ms|milliseconds?|s|seconds?)\b")
_CONDITION = re.compile(r"\s+(?:where|for (?:all )?rows where|for (?:all )?(?:rows|records) "
                        r"(?:with|whose)|when|whenever|if|only where|only for rows where)\s+(.+)$")


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


@dataclass
class Interpretation:
    operations: list[dict] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    question: str | None = None
    description: str | None = None  # the why, when the request gives one ("X is slow: ...")
    choices: list[str] = field(default_factory=list)


class NotUnderstood(Exception):
    pass


class NoIntent(NotUnderstood):
    """Nothing in the clause asks for a change (it may be background: "nobody uses it")."""


class Context(NoIntent):
    """A clause that only says what a later "it" means ("we no longer need the phone column")."""


class Ambiguous(Exception):
    def __init__(self, question: str, choices: list[str]):
        super().__init__(question)
        self.question, self.choices = question, choices


def interpret(request: str, catalog: Catalog, *, previous: dict | None = None,
              answer: str | None = None) -> Interpretation:
    """Read ``request`` against ``catalog``. ``previous`` is the spec being amended (chat),
    ``answer`` the user's reply to a question this function asked before."""
    return _Reader(catalog, previous, answer).read(request)


class _Reader:
    def __init__(self, catalog: Catalog, previous: dict | None, answer: str | None):
        self.cat = catalog
        self.dialect = catalog.dialect
        self.answer = answer.strip().strip("'\"`").lower() if answer else None
        self.out = Interpretation()
        self.quotes: dict[str, tuple[str, str]] = {}
        self.last_table: str | None = None
        self.last_column: str | None = None
        # Tables and columns this spec creates, so later clauses can refer to them.
        self.new_columns: dict[str, list[str]] = {}
        self.changes = 0  # operations added or amended by this request
        if previous:
            self.out.operations = [dict(op) for op in previous.get("operations", [])]
            self.out.options = dict(previous.get("options") or {})
            for op in self.out.operations:
                self._remember(op)

    # ------------------------------------------------------------------ driver
    def read(self, request: str) -> Interpretation:
        original = " ".join(request.split())
        text = self._protect_quotes(request.strip())
        text = FILLER.sub(" ", text.lower())
        text = self._read_options(text)
        if why := re.match(rf"^([^:]{{3,200}}?):\s+(?=(?:{_VERBS})\b)(.+)$", text.strip()):
            self.out.description = self._show(why.group(1).strip())
            text = why.group(2)
        sentences = [x for x in re.split(r"[.!?](?:\s+|$)|:\s+", text) if x.strip(" ,:-")]
        background: list[str] = []
        context: list[tuple[str, str]] = []
        for sentence in sentences:
            before = self.changes
            hard: list[str] = []
            soft: list[str] = []
            for clause in _SPLIT.split(sentence):
                clause = re.sub(r"\s+", " ", (clause or "").strip(" ,:-"))
                if not clause or self._is_filler(clause):
                    continue
                try:
                    self._clause(clause)
                except Context as exc:
                    context.append((str(exc), self._show(clause)))
                except NoIntent as exc:
                    soft.append(str(exc))
                except NotUnderstood as exc:
                    hard.append(str(exc))
                except Ambiguous as exc:
                    self.out.question, self.out.choices = exc.question, exc.choices
                    return self.out
            if soft and not hard and self.changes == before:
                background.append(self._show(sentence.strip()))  # a whole sentence of context
            else:
                self.out.problems += hard + soft
        if self.changed and not self.out.problems:
            background += [shown for _, shown in context]
            self.out.assumptions += [f"read {b!r} as background" for b in background]
        elif context and not self.out.problems:
            self.out.problems += [msg for msg, _ in context]
        elif not self.changed and not self.out.problems:
            shown = " ".join(background) or original
            self.out.problems.append(
                f"{shown!r} does not read as a schema change (did not understand it); say what "
                "should change, e.g. \"add a boolean column email_verified to users\"")
        return self.out

    def _protect_quotes(self, text: str) -> str:
        def repl(m: re.Match) -> str:
            key = f"__q{len(self.quotes)}__"
            quote = "'" if m.group(1) is not None else ('"' if m.group(2) is not None else "`")
            self.quotes[key] = (quote, m.group(1) or m.group(2) or m.group(3))
            return key
        return _QUOTED.sub(repl, text)

    def _show(self, text: str) -> str:
        for key, (q, val) in self.quotes.items():
            text = text.replace(key, f"{q}{val}{q}")
        return text

    def _name(self, token: str) -> str:
        return self.quotes[token][1] if token in self.quotes else token

    def _is_filler(self, clause: str) -> bool:
        words = re.findall(r"[a-z_']+", clause)
        meaningful = {"index", "unique", "required", "nullable", "optional", "default", "defaults",
                      "defaulting", "make", "add", "set", "not", "null", "store", "track", "keep",
                      "record", "save", "use"}
        return all((w in NOISE_WORDS and w not in meaningful) or w in {"it's", "urgent", "asap", "quick", "thank",
                                             "downtime", "no", "zero", "without", "safely",
                                             "safe", "production", "prod", "online",
                                             "live", "carefully"} for w in words)

    def _read_options(self, text: str) -> str:
        before = dict(self.out.options)
        text = self._read_option_words(text)
        self.changes += self.out.options != before
        return text

    def _read_option_words(self, text: str) -> str:
        opts = self.out.options
        if m := _BATCH.search(text):
            opts["batch_size"] = int(next(g for g in m.groups() if g).replace("_", "").replace(",", ""))
            text = text[:m.start()] + " " + text[m.end():]
        if m := _PAUSE.search(text):
            n = int(m.group(1))
            opts["batch_pause_ms"] = n if m.group(2).startswith("m") else n * 1000
            text = text[:m.start()] + " " + text[m.end():]
        if m := _LOCK_TIMEOUT.search(text):
            n = int(m.group(1))
            opts["lock_timeout_ms"] = n if m.group(2).startswith("m") else n * 1000
            text = text[:m.start()] + " " + text[m.end():]
        if m := _DOWNTIME_OK.search(text):
            opts["downtime_allowed"] = True
            text = text[:m.start()] + " " + text[m.end():]
        text = re.sub(r"\b(?:with )?(?:no|zero|without) downtime\b|\bonline\b|\bsafely\b", " ", text)
        return text

    def _remember(self, op: dict) -> None:
        table = op.get("table")
        if op["op"] == "create_table":
            self.new_columns[table] = [c["name"] for c in op["columns"]]
            self.last_table, self.last_column = table, None
        elif op["op"] == "add_column":
            self.new_columns.setdefault(table, []).append(op["column"]["name"])
            self.last_table, self.last_column = table, op["column"]["name"]
        elif op["op"] == "rename_column":
            self.last_table, self.last_column = table, op["new_name"]
        elif isinstance(op.get("column"), str):
            self.last_table, self.last_column = table, op["column"]
        elif op.get("columns") and table:
            self.last_table, self.last_column = table, op["columns"][0]
        elif table:
            self.last_table = table

    @property
    def changed(self) -> bool:
        return self.changes > 0

    def _emit(self, op: dict) -> None:
        self.changes += 1
        self.out.operations.append(op)
        self._remember(op)

    # --------------------------------------------------------------- resolution
    def table_or_none(self, word: str | None) -> str | None:
        if not word:
            return None
        word = self._name(word)
        if "." in word and not word.startswith("public."):
            return None
        return self.cat.table(word) or next((t for t in self.new_columns if t.lower() == word.lower()), None)

    def table(self, word: str) -> str:
        found = self.table_or_none(word)
        if found:
            return found
        name = self._name(word)
        hint = did_you_mean(name, list(self.cat.columns))
        raise NotUnderstood(f"unknown table {name!r}" + (f" ({hint})" if hint else
                            f" (tables: {', '.join(self.cat.columns)})"))

    def columns_of(self, table: str) -> list[str]:
        return self.cat.columns.get(table, []) + self.new_columns.get(table, [])

    def has_column(self, table: str, word: str) -> str | None:
        word = self._name(word).lower()
        cols = {c.lower(): c for c in self.columns_of(table)}
        if word in cols:
            return cols[word]
        if word.endswith("s") and word[:-1] in cols and word not in NOISE_WORDS:  # "emails"
            return cols[word[:-1]]
        return None

    def column(self, ref: str, table_word: str | None = None, clause: str = "") -> tuple[str, str]:
        """(table, column) for a column reference: table.column, 'it', or a bare name whose
        table is given, mentioned in the clause, or the only one that has it."""
        ref = self._name(ref)
        if ref in ("it", "that", "this", "them", "that column", "this column"):
            if self.last_table and self.last_column:
                return self.last_table, self.last_column
            raise NotUnderstood(f"{self._show(clause)!r}: 'it' refers to nothing earlier")
        if "." in ref:
            t, _, c = ref.rpartition(".")
            table = self.table(t)
            return table, self._existing(table, c)
        if table_word:
            table = self.table(table_word)
            return table, self._existing(table, ref)
        mentioned = [t for t in self._mentioned_tables(clause, exclude=ref)]
        for t in mentioned:
            if self.has_column(t, ref):
                return t, self.has_column(t, ref)
        if mentioned and not self._owners(ref):
            return mentioned[0], self._existing(mentioned[0], ref)
        return self._owner(ref)

    def _owners(self, col: str) -> list[str]:
        return [t for t in list(self.cat.columns) + [t for t in self.new_columns if t not in self.cat.columns]
                if self.has_column(t, col)]

    def _owner(self, col: str) -> tuple[str, str]:
        owners = self._owners(col)
        if self.answer and len(owners) > 1:
            chosen = [t for t in owners if t.lower() == self.answer or self.cat.table(self.answer) == t]
            if chosen:
                owners = chosen
        if len(owners) == 1:
            return owners[0], self.has_column(owners[0], col)
        if len(owners) > 1:
            raise Ambiguous(f"Which table's {col!r} do you mean: {', '.join(owners)}?", owners)
        all_cols = sorted({c for t in self.cat.columns for c in self.columns_of(t)})
        hint = did_you_mean(col, all_cols)
        raise NotUnderstood(f"no table has a column {col!r}" + (f" ({hint})" if hint else ""))

    def _existing(self, table: str, col: str) -> str:
        found = self.has_column(table, col)
        if found:
            return found
        hint = did_you_mean(col, self.columns_of(table))
        raise NotUnderstood(f"unknown column {col!r} in table {table!r}" +
                            (f" ({hint})" if hint else f" (columns: {', '.join(self.columns_of(table))})"))

    def _mentioned_tables(self, clause: str, exclude: str | None = None) -> list[str]:
        out = []
        for tok in re.findall(REF, clause):
            if tok == exclude or tok in NOISE_WORDS:
                continue
            t = self.table_or_none(tok)
            if t and t not in out:
                out.append(t)
        return out

    def _target(self, clause: str, *, allow_it: bool = True) -> tuple[str, list[str]]:
        """(table, columns) a clause talks about, from table.column, 'it', a table mention plus
        its columns, or columns whose table is unambiguous."""
        dotted = [m for m in re.findall(rf"\b({NAME}\.{NAME})\b", clause)]
        if dotted:
            pairs = [self.column(d) for d in dotted]
            table = pairs[0][0]
            return table, [c for t, c in pairs if t == table]
        toks = re.findall(NAME, clause)
        tables = self._mentioned_tables(clause)
        # a word can name both a table and a column elsewhere (users / user): a table wins
        for table in tables:
            cols = []
            for tok in toks:
                if tok in NOISE_WORDS and tok not in self.columns_of(table):
                    continue
                c = self.has_column(table, tok)
                other = self.table_or_none(tok)
                if not c and other and other != table:  # "posts by user" -> posts.user_id
                    c = self.has_column(table, tok.rstrip("s") + "_id")
                if c and c not in cols and other != table:
                    cols.append(c)
            if cols:
                return table, cols
        if allow_it and re.search(r"\b(it|them|that|this|those|these|both)\b", clause) and self.last_column:
            return self.last_table, [self.last_column]
        candidates = [tok for tok in toks if tok not in NOISE_WORDS and not self.table_or_none(tok)
                      and self._owners(self._name(tok))]
        if candidates:
            table, col = self._owner(self._name(candidates[0]))
            cols = [col] + [self.has_column(table, self._name(c)) for c in candidates[1:]
                            if self.has_column(table, self._name(c))]
            return table, list(dict.fromkeys(cols))
        if tables:
            unknown = self._unknown_names(clause, tables[0])
            if unknown:
                self._existing(tables[0], unknown[0])
            return tables[0], []
        unknown = self._unknown_names(clause, None)
        if unknown:
            self._owner(unknown[0])
        raise NotUnderstood(f"{self._show(clause)!r}: which table and column? (tables: "
                            f"{', '.join(self.cat.columns)})")

    def _unknown_names(self, clause: str, table: str | None) -> list[str]:
        """Words that look like identifiers (snake_case or quoted) but name nothing."""
        out = []
        for tok in re.findall(NAME, clause):
            name = self._name(tok)
            if tok in self.quotes or "_" in name.strip("_"):
                if not self.table_or_none(tok) and not (table and self.has_column(table, name)):
                    out.append(name)
        return out

    # ------------------------------------------------------------------- values
    def value(self, text: str) -> str:
        text = text.strip().rstrip(".").strip()
        text = re.sub(r"^(?:to|of|=|as|be|value|the value)\s+", "", text).strip()
        if text in self.quotes:
            q, val = self.quotes[text]
            if q == "`":
                return val
            return "'" + val.replace("'", "''") + "'"
        if text in BOOLEAN_VALUES:
            return BOOLEAN_VALUES[text]
        if text in VALUE_WORDS:
            return VALUE_WORDS[text]
        return self._show(text)

    def default_value(self, text: str) -> str:
        """A default must be a constant or a function call: a bare word is text left unquoted."""
        value = self.value(text)
        if re.fullmatch(NAME, value) and value.lower() not in ("true", "false", "null",
                                                               "current_timestamp", "current_date"):
            raise NotUnderstood(f"default {value!r}: quote text values ('{value}') or give a "
                                f"number, true/false, or a function like now()")
        return value

    def expression(self, text: str) -> str:
        """English-ish condition to SQL: keeps SQL as is, maps a few phrases."""
        text = self._show(text.strip().rstrip("."))
        rules = [(r"\bis not set\b|\bis missing\b|\bis empty\b", "IS NULL"),
                 (r"\bis set\b|\bis present\b|\bexists\b", "IS NOT NULL"),
                 (r"\bis true\b", "= true"), (r"\bis false\b", "= false"),
                 (r"\bequals\b|\bis equal to\b", "="), (r"\bis greater than\b", ">"),
                 (r"\bis less than\b", "<")]
        for pat, rep in rules:
            text = re.sub(pat, rep, text)
        return text

    def sql_type(self, phrase: str) -> str:
        found = type_for(phrase, self.dialect)
        if not found:
            raise NotUnderstood(f"unknown type {phrase!r}")
        return found

    # ------------------------------------------------------------------ clauses
    def _clause(self, c: str) -> None:
        if (m := re.search(r"\b(?:no longer|don'?t|do not|doesn'?t|does not|never) (?:need|use)s?\b"
                           r"|\b(?:is|are) (?:unused|deprecated|obsolete|no longer used)\b", c)) \
                and not re.match(r"(?:drop|remove|delete|get rid of)\b", c):
            # "we no longer need the phone column": says what "it" is, asks for nothing
            try:
                table, cols = self._target(c[:m.start()] + " " + c[m.end():], allow_it=False)
            except NotUnderstood:
                table, cols = None, []
            if cols:
                self.last_table, self.last_column = table, cols[0]
                raise Context(f"{self._show(c)!r} does not read as a schema change: it names "
                              f"{table}.{cols[0]} but asks for nothing; to remove it say "
                              f"\"drop {table}.{cols[0]}\"")
            raise Context(f"{self._show(c)!r} does not read as a schema change")
        if re.search(r"\bcreate\b.*\btable\b|\bnew table\b", c):
            return self.create_table(c)
        if re.search(r"^(?:delete|truncate|remove|wipe|empty|clear|purge)\s+(?:all\s+)?(?:the\s+)?"
                     r"(?:rows|records|data|entries|contents)\b|^(?:delete|truncate|wipe|empty|clear|purge)"
                     r"\s+(?:all|every)\b|^truncate\b", c):
            raise NotUnderstood(f"{self._show(c)!r} deletes rows, which is not a schema change; "
                                "migsmith plans schema changes (a table is removed with \"drop "
                                "table NAME\")")
        if re.search(r"\b(?:drop|remove|delete|get rid of|rid of|discard)\b", _ON_DELETE.sub(" ", c)):
            return self.drop(c)
        if re.search(r"\brename\b|\bshould be (?:called|named)\b|\bname of\b|\bcall(?:ed)? \S+ instead\b", c):
            return self.rename(c)
        add_index = re.match(r"(?:add|create|build)\s+(?:an?\s+)?(?:new\s+)?(?:unique\s+|partial\s+|"
                             r"(?:gin|gist|brin|hash|btree|spgist)\s+|composite\s+)*index", c)
        if (re.match(r"(?:add|introduce|include|put)\b", c) and not add_index and not re.match(
                r"(?:add|put)\s+(?:an?\s+)?(?:new\s+)?(?:foreign key|fk|check|constraint|unique constraint|"
                r"unique\b|default|not null|reference)", c)):
            return self.add_column(c)
        if re.search(r"\b(?:foreign key|fk|references?|referencing|points? (?:at|to)|link)\b", c):
            return self.foreign_key(c)
        if re.match(r"(?:set|update|backfill|fill|populate|copy)\b", c) and not re.search(
                r"\bdefault\b|\bnot null\b|\bnullable\b|\btype\b|\brequired\b|\bunique\b",
                _CONDITION.sub("", c)):
            return self.backfill(c)
        if re.search(r"\bcheck\b|\b(?:positive|negative|non-negative|at least|at most|no more than|"
                     r"greater than|less than|more than|between|one of|not empty|non-empty|below|above|"
                     r"exceed|under zero)\b|[<>]", c):
            return self.check(c)
        if add_index or re.search(r"\bindex(?:ed|es)?\b|\blook ?ups?\b|\blooked up\b|\bquer(?:y|ies|ied) by\b|"
                                  r"\bsearch(?:es|ed|ing)? by\b|\bslow\b|\bspeed up\b|\bfaster\b|"
                                  r"\bfilter(?:s|ed|ing)? by\b|\bsort(?:s|ed|ing)? by\b", c):
            return self.index(c)
        if re.search(r"\bunique\b|\bno duplicates?\b|\bno two\b", c):
            return self.unique(c)
        if (re.search(r"\b(?:needs?|should have|must have|wants?|gets?)\s+(?:an?|the|some)?\s*(?:new\s+)?", c)
                and self._names_new_column(c)):
            return self.add_column(c)
        if re.search(r"\bno default\b|\bwithout (?:a )?default\b|\b(?:shouldn'?t|should not|must not|"
                     r"doesn'?t need to|does not need to|no longer needs? to|won'?t) have (?:a|any) default\b", c):
            return self.drop_default(c)
        if re.search(r"\bdefaults?\b|\bdefaulting\b", c):
            return self.set_default(c)
        if _NOT_NULL.search(c):
            return self.set_not_null(c)
        if _NULLABLE.search(c):
            return self.drop_not_null(c)
        if TYPE_RE.search(c) and re.search(r"\b(?:type|convert|widen|change|alter|make|should be|"
                                           r"must be|be|turn|switch|into)\b", c):
            return self.alter_type(c)
        if re.search(r"\b(?:needs?|should have|must have|new|store|track|record|wants?)\b", c):
            owner = re.search(rf"\b({NAME})'s\s+({NAME})\b", c)  # "store the user's timezone"
            if owner and self.table_or_none(owner.group(1)) and owner.group(2) not in NOISE_WORDS:
                return self.add_column(f"add {owner.group(2)} to {self.table_or_none(owner.group(1))}")
            if not re.search(rf"\b(?:column|field|flag|called|named)\b|__q\d+__|\b{NAME}_{NAME}\b", c):
                raise NoIntent(f"{self._show(c)!r}: name the column to add, e.g. \"add "
                                    f"a column published_at to posts\"")
            return self.add_column(c)
        raise NoIntent(f"did not understand {self._show(c)!r}")

    # create_table -----------------------------------------------------------
    def create_table(self, c: str) -> None:
        m = re.search(rf"\btable\s+(?:called\s+|named\s+)?({NAME})\b(.*)$", c) or \
            re.search(rf"\b({NAME})\s+table\b(.*)$", c)
        if not m or m.group(1) in NOISE_WORDS:
            raise NotUnderstood(f"{self._show(c)!r}: what is the new table called?")
        name = self._name(m.group(1))
        if self.cat.table(name) and self.cat.table(name).lower() == name.lower():
            raise NotUnderstood(f"table {name!r} already exists")
        rest = re.sub(r"^\s*(?:with|having|containing|that has|:)?\s*(?:the\s+)?(?:columns?|fields?)?\s*:?\s*",
                      "", m.group(2)).strip(" ()")
        columns: list[dict] = []
        fks: list[dict] = []
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", rest):
            part = part.strip(" ()")
            if not part:
                continue
            col, fk = self._column_def(part, name)
            columns.append(col)
            if fk:
                fks.append(fk)
        if not any(col["name"] == "id" or col.get("primary_key") for col in columns):
            columns.insert(0, {"name": "id", "type": "bigint", "nullable": False,
                               "primary_key": True,
                               "default": None})
            columns[0].pop("default")
            self.out.assumptions.append(f"{name}: added an id bigint primary key")
        self._emit({"op": "create_table", "table": name, "columns": columns})
        for fk in fks:
            self._emit(fk)

    def _column_def(self, part: str, table: str) -> tuple[dict, dict | None]:
        fk = None
        ref = re.search(rf"\breferenc(?:es|ing)\s+({NAME})(?:\s*\(\s*({NAME})\s*\)|\.({NAME}))?", part)
        if ref:
            part = part[:ref.start()]
        pk = bool(re.search(r"\bprimary key\b", part))
        part = re.sub(r"\bprimary key\b", " ", part)
        default = None
        if dm := re.search(r"\bdefault(?:s| value)?(?: of| to)?\s+(\S+(?: time| timestamp)?)", part):
            default = self.default_value(dm.group(1))
            part = part[:dm.start()]
        not_null = bool(_NOT_NULL.search(part))
        part = _NOT_NULL.sub(" ", part)
        type_m = TYPE_RE.search(part)
        words = [w for w in re.findall(NAME, part[:type_m.start()] if type_m else part)
                 if w not in NOISE_WORDS]
        if not words:
            if type_m and " " not in type_m.group(0):
                words = [type_m.group(0)]
                type_m = None
            else:
                raise NotUnderstood(f"cannot read column {self._show(part)!r} of new table {table!r}")
        cname = self._name(words[0])
        ctype = self.sql_type(type_m.group(0)) if type_m else type_from_column_name(cname, self.dialect)[0]
        col = {"name": cname, "type": ctype, "nullable": not (not_null or pk)}
        if default is not None:
            col["default"] = default
        if pk:
            col["primary_key"] = True
        if ref:
            rt = self.table(ref.group(1))
            rc = ref.group(2) or ref.group(3) or (self.cat.pks.get(rt) or ["id"])[0]
            fk = {"op": "add_foreign_key", "table": table, "columns": [cname], "ref_table": rt,
                  "ref_columns": [rc]}
        return col, fk

    # add_column -------------------------------------------------------------
    def add_column(self, c: str) -> None:
        body = c
        table = None
        if dotted := re.search(rf"\b({NAME})\.({NAME})\b", body):
            table = self.table(dotted.group(1))
            body = body.replace(dotted.group(0), dotted.group(2))
        default = None
        if m := re.search(r"\b(?:with\s+)?(?:an?\s+)?default(?:s| value)?(?:\s+(?:of|to|value of|=|:))?\s+"
                          r"((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)"
                          r"|\bdefaulting to\s+((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)", body):
            default = self.default_value(m.group(1) or m.group(2))
            body = body[:m.start()] + " " + body[m.end():]
        not_null = bool(_NOT_NULL.search(body))
        body = _NOT_NULL.sub(" ", body)
        nullable = bool(_NULLABLE.search(body))
        body = _NULLABLE.sub(" ", body)
        unique = bool(re.search(r"\bunique\b", body))
        indexed = bool(re.search(r"\bindexed\b|\bwith an? index\b", body))
        body = re.sub(r"\bunique\b|\bindexed\b|\bwith an? index\b", " ", body)
        if not table:
            m = (re.search(rf"\b(?:to|on|in|into|for)\s+(?:the\s+)?(?:table\s+)?({NAME})(?:\s+table)?\b", body)
                 or re.search(rf"^(?:the\s+)?({NAME})(?:\s+table)?\s+(?:needs?|should have|must have|wants?|gets?)\b", body))
            candidates = [m] if m else []
            candidates += list(re.finditer(rf"\b(?:to|on|in|into|for)\s+(?:the\s+)?(?:table\s+)?({NAME})", body))
            for cand in candidates:
                if self.table_or_none(cand.group(1)):
                    table = self.table(cand.group(1))
                    body = body[:cand.start(1)] + " " + body[cand.end(1):]
                    break
            else:
                tables = self._mentioned_tables(body)
                if len(tables) == 1:
                    table = tables[0]
                    body = re.sub(rf"\b{re.escape(table)}\b|\b{re.escape(table.rstrip('s'))}\b", " ", body, count=1)
                elif m and not self.table_or_none(m.group(1)):
                    self.table(m.group(1))  # raises with a near-match hint
                else:
                    raise NotUnderstood(f"{self._show(c)!r}: add the column to which table? "
                                        f"(tables: {', '.join(self.cat.columns)})")
        typ = None
        explicit = re.search(r"\b(?:of type|type|as an?|as)\s+(" + TYPE_RE.pattern + ")", body)
        type_m = explicit or TYPE_RE.search(body)
        if type_m:
            phrase = explicit.group(1) if explicit else type_m.group(0)
            typ = self.sql_type(phrase)
            span = type_m.span()
            body = body[:span[0]] + " _type_ " + body[span[1]:]
        candidates = [m.group(1) for pat in (rf"\b(?:column|field|flag|called|named)\s+(?=({NAME}))",
                                             rf"\b({NAME})\s+(?:column|field)\b")
                      for m in re.finditer(pat, body)]
        name = next((n for n in candidates if n not in NOISE_WORDS | {"_type_"}), None)
        if not name:
            words = [w for w in re.findall(NAME, body) if w not in NOISE_WORDS and w != "_type_"
                     and w not in ("introduce", "include", "put", "needs", "flag")]
            skip = r"(?:(?:an?|the|new|some|one|more)\s+)*(?:_type_\s+)?"
            lead = (re.search(rf"^(?:add|introduce|include|put)\s+{skip}({NAME})\b", body.strip())
                    or re.search(rf"\b(?:needs?|should have|must have|wants?|gets?)\s+{skip}({NAME})\b", body))
            named = [w for w in words if w in self.quotes or "_" in w.strip("_")]
            if lead and lead.group(1) in words:
                name = lead.group(1)
            elif named:
                name = named[0]
            elif words:
                raise NotUnderstood(f"{self._show(c)!r}: what should the new column be called? "
                                    f"(e.g. \"add a column last_login_at to {table}\")")
            elif type_m and " " not in type_m.group(0) and not explicit:
                name, typ = type_m.group(0), None  # "add an amount column": the type word is the name
            else:
                raise NotUnderstood(f"{self._show(c)!r}: what should the new column be called?")
        more = re.search(rf"\b{re.escape(name)}((?:\s*,\s*{NAME})*\s*,?\s+and\s+{NAME})\b", body)
        if more and not indexed and not unique:  # "add first_name and last_name to customers"
            names = [name] + re.findall(NAME, more.group(1).replace(" and ", " , "))
            names = [n for n in names if n not in NOISE_WORDS and n != "_type_"]
            if len(names) > 1:
                for n in names:
                    rest = f"add {n} {type_m.group(0) if type_m else ''} column to {table}"
                    self.add_column(rest + (" not null" if not_null else "") +
                                    (f" default {default}" if default is not None else ""))
                return
        name = self._name(name)
        if self.has_column(table, name):
            raise NotUnderstood(f"column {name!r} already exists in table {table!r}")
        if typ is None:
            typ, why = type_from_column_name(name, self.dialect)
            self.out.assumptions.append(f"{table}.{name}: type {typ} ({why})")
        col = {"name": name, "type": typ, "nullable": True}
        if default is not None:
            col["default"] = default
        if typ == "boolean" and not nullable and not not_null:
            col.setdefault("default", "false")
            not_null = True
            self.out.assumptions.append(f"{table}.{name}: a flag, so NOT NULL DEFAULT "
                                        f"{col['default']}")
        if not_null:
            self._require_default(table, name, col)
            col["nullable"] = False
        self._emit({"op": "add_column", "table": table, "column": col})
        if unique:
            self._emit({"op": "add_index", "table": table, "columns": [name], "unique": True})
        elif indexed:
            self._emit({"op": "add_index", "table": table, "columns": [name]})

    def _require_default(self, table: str, name: str, col: dict) -> None:
        if col.get("default") is None and self.cat.rows.get(table) != 0 and table in self.cat.columns:
            if col["type"] == "boolean":
                col["default"] = "false"
                return
            raise NotUnderstood(
                f"{table}.{name} NOT NULL needs a default because {table} has rows; say e.g. "
                f"\"default ...\", or add it nullable, backfill it, then make it not null")

    # drops ------------------------------------------------------------------
    def drop(self, c: str) -> None:
        verb = r"(?:drop|remove|delete|get rid of|rid of|discard)"
        if re.search(r"\bdefault\b", c):
            return self.drop_default(c)
        if _NOT_NULL.search(c) and not re.search(r"\bcolumn\b", c):
            return self.drop_not_null(c)
        if m := re.search(rf"{verb}\s+(?:the\s+)?(?:(?:unique|partial)\s+)?index\s+(?:on\s+|for\s+)?(.+)$", c):
            return self.drop_index(m.group(1))
        if m := re.search(rf"{verb}\s+(?:the\s+)?(?:(?:check|unique|foreign key|fk|primary key)\s+(?:constraint\s+)?"
                          rf"|constraint\s+)({NAME})(?:\s+(?:from|on|of)\s+{TBL})?", c):
            name = self._name(m.group(1))
            table = self.table(m.group(2)) if m.group(2) else None
            self._emit({"op": "drop_constraint", "table": table or self._constraint_table(name),
                        "name": name})
            return
        if m := (re.search(rf"{verb}\s+(?:the\s+)?table\s+({REF})", c)
                 or re.search(rf"{verb}\s+(?:the\s+)?(?:whole\s+|entire\s+)?({REF})\s+table\b", c)):
            self._emit({"op": "drop_table", "table": self.table(m.group(1))})
            return
        if m := re.search(rf"{verb}\s+(?:the\s+)?(?:column\s+|field\s+)?({REF})(?:\s+(?:column|field))?"
                          rf"(?:\s+(?:from|on|in|of)\s+{TBL})?", c):
            ref, tword = m.group(1), m.group(2)
            if "." not in ref and not tword and self.table_or_none(ref) and not self._owners(self._name(ref)):
                raise NotUnderstood(f"{self._show(c)!r}: to drop the table say \"drop table "
                                    f"{self.table_or_none(ref)}\"")
            table, col = self.column(ref, tword, c)
            self._no_leftover(c, c[m.end():])
            self._emit({"op": "drop_column", "table": table, "column": col})
            return
        raise NotUnderstood(f"did not understand {self._show(c)!r}: what should be dropped?")

    def _constraint_table(self, name: str) -> str:
        owners = [t for t, names in self.cat.constraints.items() if name in names]
        if len(owners) == 1:
            return owners[0]
        known = sorted(n for names in self.cat.constraints.values() for n in names)
        hint = did_you_mean(name, known)
        if not owners and hint:
            raise NotUnderstood(f"unknown constraint {name!r} ({hint})")
        raise NotUnderstood(f"say which table constraint {name!r} is on (\"drop constraint "
                            f"{name} from TABLE\")")

    def drop_index(self, rest: str) -> None:
        rest = rest.strip()
        m = re.match(rf"({NAME})\s*$", rest)
        if m and not self.table_or_none(m.group(1)):
            self._emit({"op": "drop_index", "name": self._name(m.group(1))})
            return
        try:
            table, cols = (self._column_list(rest) or self._target(rest, allow_it=False))
        except NotUnderstood:
            table, cols = None, []
        found = [name for name, icols in self.cat.indexes.get(table, {}).items() if icols == cols]
        if cols and len(found) == 1:
            self._emit({"op": "drop_index", "name": found[0], "table": table})
            return
        if cols:
            raise NotUnderstood(f"no index on {table}({', '.join(cols)}) to drop" + (
                f"; indexes: {', '.join(self.cat.indexes[table])}" if self.cat.indexes.get(table) else ""))
        raise NotUnderstood(f"name the index to drop (\"drop index posts_created_idx\"); "
                            f"got {self._show(rest)!r}")

    def drop_default(self, c: str) -> None:
        body = re.sub(r"\b(?:drop|remove|delete|get rid of)\s+(?:the\s+)?default(?:\s+value)?\b|"
                      r"\bno default\b|\bwithout (?:a )?default\b|\b(?:shouldn'?t|should not|must not|"
                      r"doesn'?t need to|does not need to|no longer needs? to|won'?t) have (?:a|any) default\b|"
                      r"\banymore\b|\bany longer\b|\bshould have\b|\bhas\b", " ", c)
        table, cols = self._target(body)
        for col in cols:
            self._emit({"op": "drop_default", "table": table, "column": col})

    def drop_not_null(self, c: str) -> None:
        body = _NULLABLE.sub(" ", _NOT_NULL.sub(" ", c))
        table, cols = self._target(body)
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: which column?")
        for col in cols:
            if not self._amend_new_column(table, col, nullable=True):
                self._emit({"op": "drop_not_null", "table": table, "column": col})

    # rename -----------------------------------------------------------------
    def rename(self, c: str) -> None:
        to = r"(?:to|as|into)"
        if m := (re.search(rf"rename\s+(?:the\s+)?table\s+({REF})\s+{to}\s+({NAME})", c)
                 or re.search(rf"rename\s+(?:the\s+)?({REF})\s+table\s+{to}\s+({NAME})", c)):
            self._emit({"op": "rename_table", "table": self.table(m.group(1)), "new_name": self._name(m.group(2))})
            return
        pats = [
            rf"rename\s+(?:the\s+)?(?:column\s+|field\s+)?({REF})(?:\s+(?:column|field))?"
            rf"(?:\s+(?:in|on|of|from)\s+{TBL})?\s+{to}\s+({NAME})(?:\s+(?:column|field))?(?:\s+(?:in|on|of)\s+{TBL})?",
            rf"(?:change|update)\s+the\s+name\s+of\s+(?:the\s+)?(?:column\s+)?({REF})(?:\s+column)?"
            rf"(?:\s+(?:in|on|of)\s+{TBL})?\s+to\s+({NAME})(?:\s+(?:in|on|of)\s+{TBL})?",
            rf"(?:the\s+)?({REF})(?:\s+(?:column|field|table))?(?:\s+(?:in|on|of)\s+{TBL})?\s+should\s+be\s+"
            rf"(?:called|named|renamed(?:\s+to)?)\s+({NAME})(?:\s+(?:in|on|of)\s+{TBL})?",
            rf"call\s+(?:the\s+)?({REF})(?:\s+column)?(?:\s+(?:in|on|of)\s+{TBL})?\s+({NAME})\s+instead"
            rf"(?:\s+(?:in|on|of)\s+{TBL})?",
        ]
        for pat in pats:
            if m := re.search(pat, c):
                old, t1, new, t2 = m.groups()
                tword = t1 or t2
                if "." not in old and not tword and self.table_or_none(old) and not self._owners(self._name(old)):
                    self._emit({"op": "rename_table", "table": self.table(old), "new_name": self._name(new)})
                    return
                table, col = self.column(old, tword, c)
                self._emit({"op": "rename_column", "table": table, "column": col,
                            "new_name": self._name(new)})
                rest = c[m.end():].strip(" ,")
                if more := re.match(rf"(?:and\s+)?((?:the\s+)?{REF}\s+{to}\s+.+)$", rest):
                    return self.rename("rename " + more.group(1))
                self._no_leftover(c, rest)
                return
        raise NotUnderstood(f"did not understand the rename {self._show(c)!r}; say \"rename "
                            f"COLUMN to NEW_NAME in TABLE\"")

    def _names_new_column(self, c: str) -> bool:
        """The clause names a snake_case or quoted word that no mentioned table has."""
        tables = self._mentioned_tables(c)
        for tok in re.findall(NAME, c):
            name = self._name(tok)
            if (tok in self.quotes or "_" in name.strip("_")) and not self.table_or_none(tok) \
                    and not any(self.has_column(t, name) for t in tables):
                return True
        return False

    def _no_leftover(self, c: str, rest: str) -> None:
        words = [w for w in re.findall(NAME, rest) if w not in NOISE_WORDS]
        names_something = any(self.table_or_none(w) or self._owners(self._name(w)) for w in words)
        if words and rest.lstrip().startswith(",") and not names_something:
            self.out.assumptions.append(f"read {self._show(rest.strip(' ,'))!r} as background")
            return
        if words:
            raise NotUnderstood(f"did not understand {self._show(rest)!r} in {self._show(c)!r}")

    # indexes and constraints ------------------------------------------------
    def index(self, c: str) -> None:
        where = None
        if m := _CONDITION.search(c):
            where = self.expression(m.group(1))
            c = c[:m.start()]
        unique = bool(re.search(r"\bunique\b", c))
        method = (re.search(r"\b(gin|gist|brin|hash|btree|spgist)\b", c) or [None, None])[1]
        name = None
        if m := re.search(rf"\b(?:called|named)\s+({NAME})", c):
            name = self._name(m.group(1))
            c = c[:m.start()] + c[m.end():]
        if (re.search(r"\b(?:both|them|those|these|all of them)\b", c) and self.out.operations
                and self.out.operations[-1]["op"] == "add_index" and len(self.out.operations[-1]["columns"]) > 1):
            return  # "look up posts by a and b, add an index on both": the index just read
        if listed := self._column_list(c):
            table, cols = listed
        else:
            if re.fullmatch(r"(?:we need |add |create |build )?(?:an? )?(?:unique )?index(?: (?:for|on) (?:it|that|this))?", c.strip()) \
                    and self.out.operations and self.out.operations[-1]["op"] == "add_index" and not self.last_column:
                return
            table, cols = self._target(c)
            if not cols:
                if (self.out.operations and self.out.operations[-1]["op"] == "add_index"
                        and self.out.operations[-1]["table"] == table):
                    return  # "... is slow. we need an index": one index, said twice
                raise NotUnderstood(f"{self._show(c)!r}: index which column(s) of {table}?")
        if self._duplicate_index(table, cols, unique, where):
            return
        op = {"op": "add_index", "table": table, "columns": cols}
        if unique:
            op["unique"] = True
        if where:
            op["where"] = where
        if method:
            op["method"] = method
        if name:
            op["name"] = name
        self._emit(op)

    def _column_list(self, c: str) -> tuple[str, list[str]] | None:
        """TABLE(a, b) or TABLE on (a, b): a table and its listed columns."""
        m = re.search(rf"\b({NAME})(?:\s+(?:on|over|by))?\s*\(\s*({NAME}(?:\s*,\s*{NAME})*)\s*\)", c)
        if not m:
            return None
        word = m.group(1)
        if word in NOISE_WORDS or word in ("index", "constraint", "key"):
            tables = self._mentioned_tables(c[:m.start(2)])
            if len(tables) != 1:
                return None
            table = tables[0]
        else:
            table = self.table(word)
        return table, [self._existing(table, self._name(x.strip())) for x in m.group(2).split(",")]

    def _duplicate_index(self, table, cols, unique, where) -> bool:
        for name, existing in self.cat.indexes.get(table, {}).items():
            if existing == cols and not unique and not where:
                raise NotUnderstood(f"index {name!r} already covers {table}({', '.join(cols)})")
        return any(o["op"] == "add_index" and o["table"] == table and o["columns"] == cols
                   and bool(o.get("unique")) == unique and o.get("where") == where
                   for o in self.out.operations)

    def unique(self, c: str) -> None:
        if listed := self._column_list(c):
            table, cols = listed
        else:
            per = re.search(rf"\b(?:per|within|for each|in each)\s+({NAME})", c)
            body = c[:per.start()] if per else c
            table, cols = self._target(body)
            if per:
                scope = self._name(per.group(1))
                scol = self.has_column(table, scope) or self.has_column(table, scope.rstrip("s") + "_id")
                if not scol:
                    raise NotUnderstood(f"{self._show(c)!r}: {table} has no column for {scope!r}")
                cols = [scol] + [x for x in cols if x != scol]
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: unique over which column(s)?")
        self._emit({"op": "add_unique_constraint", "table": table, "columns": cols})

    def foreign_key(self, c: str) -> None:
        on_delete = None
        if m := _ON_DELETE.search(c):
            on_delete = m.group(1) or "cascade"
            c = c[:m.start()] + c[m.end():]
        m = re.search(rf"\b(?:to|references?|referencing|points? (?:at|to)|at)\s+(?:the\s+)?({NAME})"
                      rf"(?:\s*\(\s*({NAME})\s*\)|\.({NAME}))?(?:\s+table)?\s*$", c.strip(" ,;"))
        if not m:
            raise NotUnderstood(f"{self._show(c)!r}: which table should it reference?")
        ref_table = self.table(m.group(1))
        ref_col = self._name(m.group(2) or m.group(3) or "") or (self.cat.pks.get(ref_table) or [None])[0]
        if not ref_col:
            raise NotUnderstood(f"{ref_table} has no primary key; say which column to reference")
        self._existing(ref_table, ref_col)
        source = c[:m.start()]
        source = re.sub(r"\b(?:add|an?|foreign key|fk|from|on|link|should|must|constraint)\b", " ", source)
        table, cols = self._target(source)
        cols = [x for x in cols if not (table == ref_table and x == ref_col)]
        if len(cols) != 1:
            raise NotUnderstood(f"{self._show(c)!r}: which column holds the reference?")
        op = {"op": "add_foreign_key", "table": table, "columns": cols, "ref_table": ref_table,
              "ref_columns": [ref_col]}
        if on_delete:
            op["on_delete"] = on_delete
        self._emit(op)

    def check(self, c: str) -> None:
        if m := re.search(rf"\bcheck(?:\s+constraint)?\s+(?:on|to|for)\s+{TBL}\s*(?:that|so that|:|ensuring|where)?\s+(.+)$", c):
            table = self.table(m.group(1))
            self._emit({"op": "add_check_constraint", "table": table,
                        "expression": self.expression(m.group(2))})
            return
        if m := re.search(r"\bcheck(?:\s+constraint)?\s+(?:that|so that|ensuring|where|:)\s+(.+)$", c):
            expression = self.expression(m.group(1))
            table, _ = self._target(re.sub(r"__q\d+__", " ", m.group(1)))
            expression = re.sub(rf"\b{re.escape(table)}\.(?=\w)", "", expression)  # own columns, bare
            self._emit({"op": "add_check_constraint", "table": table, "expression": expression})
            return
        phrases = [
            (r"(?:must|should|can'?t|cannot|can not|may not|never)?\s*(?:be\s+|go\s+)?(?:non-negative|not negative|negative|below zero|less than zero)", "{c} >= 0"),
            (r"(?:must be|should be|be|is)?\s*(?:positive|greater than zero|above zero|more than zero)", "{c} > 0"),
            (r"(?:must be|should be|be)?\s*(?:at least|no less than|>=)\s*(-?\d+(?:\.\d+)?)", "{c} >= {n}"),
            (r"(?:must be|should be|be)?\s*(?:at most|no more than|not more than|<=)\s*(-?\d+(?:\.\d+)?)", "{c} <= {n}"),
            (r"(?:must be|should be|be)?\s*(?:greater than|more than|above|>)\s*(-?\d+(?:\.\d+)?)", "{c} > {n}"),
            (r"(?:must be|should be|be)?\s*(?:less than|below|<)\s*(-?\d+(?:\.\d+)?)", "{c} < {n}"),
            (r"(?:must be|should be|be)?\s*between\s+(-?\d+(?:\.\d+)?)\s+and\s+(-?\d+(?:\.\d+)?)", "{c} BETWEEN {n} AND {m}"),
            (r"(?:must be|should be|be)?\s*one of\s+(.+)$", "{c} IN ({list})"),
            (r"(?:must|should|can'?t|cannot)?\s*(?:be\s+)?(?:not empty|non-empty|empty)", "{c} <> ''"),
        ]
        for pat, template in phrases:
            if m := re.search(pat, c):
                table, cols = self._target(c[:m.start()] or c)
                if len(cols) != 1:
                    raise NotUnderstood(f"{self._show(c)!r}: a check on which column?")
                col = cols[0]
                groups = [g for g in m.groups() if g]
                listed = ""
                if "{list}" in template:
                    items = [x.strip() for x in re.split(r",|\bor\b|\band\b", groups[0]) if x.strip()]
                    listed = ", ".join(self.value(x) if x in self.quotes or re.fullmatch(r"-?\d+(?:\.\d+)?", x)
                                       else "'" + x.replace("'", "''") + "'" for x in items)
                if re.match(r"\s*(?:char(?:acter)?s|letters|long)\b", c[m.end():]) and "{n}" in template:
                    col = f"char_length({col})"  # "at most 200 characters"
                expr = template.format(c=col, n=groups[0] if groups else "",
                                       m=groups[1] if len(groups) > 1 else "", list=listed)
                self._emit({"op": "add_check_constraint", "table": table, "expression": expr})
                return
        raise NotUnderstood(f"did not understand the check {self._show(c)!r}; say \"add a check "
                            f"on TABLE that EXPRESSION\"")

    # column attributes ------------------------------------------------------
    def set_default(self, c: str) -> None:
        m = (re.search(r"\bdefault(?:s| value)?(?:\s+(?:of|value of|should be|is|=|:))?\s+(?:to\s+)?"
                       r"((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)\s*$", c)
             or re.search(r"\b(?:defaults?|defaulting)\s+to\s+((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)", c)
             or re.search(r"\bdefault\s+.+?\s+to\s+((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)\s*$", c))
        if not m:
            raise NotUnderstood(f"{self._show(c)!r}: default to what value?")
        value = self.default_value(m.group(1))
        body = c[:m.start(1)] + " " + c[m.end(1):]
        body = re.sub(r"\b(?:set|give|default|defaults|defaulting|value|should)\b", " ", body)
        table, cols = self._target(body)
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: the default of which column?")
        for col in cols:
            if self._amend_new_column(table, col, default=value):
                continue
            self._emit({"op": "set_default", "table": table, "column": col, "default": value})
        if _NOT_NULL.search(c):  # "make it not null default 0"
            for col in cols:
                if not self._amend_new_column(table, col, nullable=False):
                    self._emit({"op": "set_not_null", "table": table, "column": col})

    def set_not_null(self, c: str) -> None:
        table, cols = self._target(_NOT_NULL.sub(" ", c))
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: which column should be NOT NULL?")
        for col in cols:
            if self._amend_new_column(table, col, nullable=False):
                continue
            self._emit({"op": "set_not_null", "table": table, "column": col})

    def _amend_new_column(self, table: str, col: str, **changes) -> bool:
        """A column this spec adds takes the attribute directly ("also make it not null")."""
        for op in self.out.operations:
            if op["op"] == "add_column" and op["table"] == table and op["column"]["name"] == col:
                column = dict(op["column"], **changes)
                if changes.get("nullable") is False:
                    self._require_default(table, col, column)
                op["column"] = column
                self.changes += 1
                self.last_table, self.last_column = table, col
                return True
        return False

    def alter_type(self, c: str) -> None:
        using = None
        if m := re.search(r"\busing\s+(.+)$", c):
            using = self.expression(m.group(1))
            c = c[:m.start()]
        type_ms = list(TYPE_RE.finditer(c))
        target_m = type_ms[-1]
        new_type = self.sql_type(target_m.group(0))
        body = c[:target_m.start()]
        body = re.sub(r"\bfrom\s+\S+(?:\s+precision)?\s*$", " ", body.strip())
        for tm in type_ms[:-1]:
            body = body.replace(tm.group(0), " ")
        table, cols = self._target(body)
        if len(cols) != 1:
            raise NotUnderstood(f"{self._show(c)!r}: change the type of which column?")
        if not using and self._amend_new_column(table, cols[0], type=new_type):
            return  # "add a column nickname ... it should be text"
        op = {"op": "alter_column_type", "table": table, "column": cols[0], "new_type": new_type}
        if using:
            op["using"] = using
        self._emit(op)

    def backfill(self, c: str) -> None:
        where = None
        if m := _CONDITION.search(c):
            where = self.expression(m.group(1))
            c = c[:m.start()]
        if scope := re.search(rf"\s+(?:for|on|in|across)\s+(?:all|every|each)(?:\s+(?:the|of the))?\s+({NAME})\s*$", c):
            c = c[:scope.start()]
            table_word = self.table_or_none(scope.group(1))
            m2 = re.match(rf"^(set|backfill|fill(?:\s+in)?|populate)\s+(?:the\s+)?(?:column\s+)?({REF})(.*)$", c)
            if table_word and m2 and "." not in m2.group(2) and not re.match(r"\s+(?:in|on|of|for)\s", m2.group(3)):
                c = f"{m2.group(1)} {m2.group(2)} in {table_word}{m2.group(3)}"  # "... for all posts"
        if u := re.match(rf"^update\s+{TBL}\s+set\s+({REF})\s*(?:to|=)\s*(.+)$", c):
            c = f"set {u.group(2)} in {u.group(1)} to {u.group(3)}"
        m = (re.search(rf"^(?:set|update|backfill|fill(?:\s+in)?|populate)\s+(?:the\s+)?(?:column\s+)?({REF})"
                       rf"(?:\s+column)?(?:\s+(?:in|on|of|for)\s+(?:all\s+)?{TBL})?\s+(?:to|with|from|=|as|using)\s+(.+)$", c)
             or re.search(rf"^copy\s+(.+?)\s+(?:into|to)\s+(?:the\s+)?(?:column\s+)?({REF})(?:\s+(?:in|on|of)\s+{TBL})?$", c))
        if not m:
            raise NotUnderstood(f"did not understand the backfill {self._show(c)!r}; say \"set "
                                f"COLUMN in TABLE to VALUE where CONDITION\"")
        if c.startswith("copy"):
            expr, ref, tword = m.group(1), m.group(2), m.group(3)
        else:
            ref, tword, expr = m.groups()
        table, col = self.column(ref, tword, c)
        expression = self.value(expr) if expr.strip() in self.quotes or expr.strip() in BOOLEAN_VALUES \
            or expr.strip() in VALUE_WORDS else self.expression(expr)
        if where:  # "where it is null": it is the column being set
            where = re.sub(r"\b(?:it|its value)\b", col, where)
        op = {"op": "backfill", "table": table, "column": col, "expression": expression}
        if where:
            op["where"] = where
        self._emit(op)
