"""The offline planner's reading of a request: plain words in, ChangeSpec operations out.

Deterministic and schema-aware: it resolves which table owns a column from the catalog that
list_tables returned, understands common phrasings of every ChangeSpec operation, and reports
what it could not understand or what is ambiguous instead of guessing. It only produces a drop
when the clause itself asks for one.
"""

from __future__ import annotations

import re

from migsmith.agent.backends.offline.catalog import Catalog
from migsmith.agent.backends.offline.clauses import ClauseReaders
from migsmith.agent.backends.offline.lexicon import (
    BATCH, BOOLEAN_VALUES, DOWNTIME_OK, FILLER, LOCK_TIMEOUT, NAME, NOISE_WORDS, PAUSE, QUOTED,
    RAW_SQL_TYPES, REF, SPLIT, VALUE_WORDS, VERBS, type_for)
from migsmith.agent.backends.offline.outcome import (
    Ambiguous, Context, Interpretation, NoIntent, NotUnderstood)
from migsmith.tools.errors import did_you_mean

__all__ = ["Catalog", "Interpretation", "interpret"]

def interpret(request: str, catalog: Catalog, *, previous: dict | None = None,
              answer: str | None = None) -> Interpretation:
    """Read ``request`` against ``catalog``. ``previous`` is the spec being amended (chat),
    ``answer`` the user's reply to a question this function asked before."""
    return _Reader(catalog, previous, answer).read(request)


class _Reader(ClauseReaders):
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
        self.context_table: str | None = None  # "orders: ..." names the table for what follows
        self.context_column: str | None = None  # "comments.body: allow null" names the column
        self.text = ""  # the whole request, lower-cased (a later "call it X" names an earlier column)
        if previous:
            self.out.operations = [dict(op) for op in previous.get("operations", [])]
            self.out.options = dict(previous.get("options") or {})
            for op in self.out.operations:
                self._remember(op)

    # ------------------------------------------------------------------ driver
    def read(self, request: str) -> Interpretation:
        if whole := re.fullmatch(r"\s*([\"'`])(.*)\1\s*", request, re.DOTALL):
            request = whole.group(2)  # the whole request in quotes
        original = " ".join(request.split())
        text = self._protect_quotes(request.strip())
        text = FILLER.sub(" ", text.lower())
        text = self._read_options(self._sql_to_words(self._rails_to_words(text)))
        self.text = text
        if why := (re.match(rf"^([^:]{{2,200}}?):\s+(?=(?:{VERBS})\b)(.+)$", text.strip())
                   or re.match(rf"^({NAME}\.{NAME}):\s+(.+)$", text.strip())):
            head, text = why.group(1).strip(), why.group(2)
            table = self.table_or_none(re.sub(r"^(?:the\s+)?(?:table\s+)?|\s+table$", "", head))
            if table:  # "orders: add shipped_at timestamptz"
                self.context_table = table
            elif re.fullmatch(rf"{NAME}\.{NAME}", head):  # "comments.body: allow null"
                self.context_table, self.context_column = self.column(head)
            else:  # a reason: "comments should know their org: add ...", "new posts should ...: add ..."
                self.out.description = self._show(head)
                named = self._mentioned_tables(head)
                subject = re.match(rf"(?:the\s+|new\s+|all\s+|every\s+)*({NAME})\b", head)
                if subject and self.table_or_none(subject.group(1)):
                    self.context_table = self.table_or_none(subject.group(1))
                elif len(named) == 1:
                    self.context_table = named[0]
                self._mention(head)  # what the reason names is what a following "it" means
        text = re.sub(rf"(?:^|\n)\s*(?:[-*•]|\d{{1,2}}[.)])\s+|(?<=\s)\d{{1,2}}[.)]\s+(?=(?:{VERBS})\b)",
                      ". ", text)  # "- add ...", "1. rename ... 2. make ..."
        sentences = [x for x in re.split(r"[.!?](?:\s+|$)|\n+", text) if x.strip(" ,:-")]
        background: list[str] = []
        context: list[tuple[str, str]] = []
        for sentence in sentences:
            before = self.changes
            hard: list[str] = []
            soft: list[str] = []
            for clause in SPLIT.split(sentence):
                clause = re.sub(r"\s+", " ", (clause or "").strip(" ,:-"))
                clause = re.sub(r"(?:[\s,]+(?:and|or|but|so))+$", "", clause)  # "..., and" before "also"
                if not clause or self._is_filler(clause):
                    continue
                try:
                    self._clause(clause)
                except Context as exc:
                    context.append((str(exc), self._show(clause)))
                except NoIntent as exc:
                    mentioned = self._mention(clause)
                    if mentioned or re.match(r"(?:we|we're|we've|i|i'm|i've|it|it's|this|that|they|our|there|"
                                r"there's|since|because|as)\b", clause):
                        context.append((str(exc), self._show(clause)))  # a reason, not a request
                    else:
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

    def _mention(self, clause: str) -> bool:
        """A clause that asks for nothing but names one column sets what a later "it" means."""
        try:
            table, cols = self._target(clause, allow_it=False)
        except (NotUnderstood, Ambiguous):
            return False
        if len(cols) == 1:
            self.last_table, self.last_column = table, cols[0]
            return True
        if not cols and len(self._mentioned_tables(clause)) == 1:  # "order_items is a bad name"
            self.last_table, self.last_column = table, None
            return True
        return False

    @staticmethod
    def _rails_to_words(text: str) -> str:
        """Rails migration calls, said in words: "add_column :users, :admin, :boolean,
        default: false" -> "add column admin boolean to users default false"."""
        sym = r":?([a-z_][a-z0-9_]*)"
        rules = (
            (rf"add_column\s+{sym}\s*,\s*{sym}\s*,\s*{sym}(.*)", r"add column \2 \3 to \1 \4"),
            (rf"add_index\s+{sym}\s*,\s*\[([^\]]+)\](.*)", r"add index on \1(\2) \3"),
            (rf"add_index\s+{sym}\s*,\s*{sym}(.*)", r"add index on \1(\2) \3"),
            (rf"rename_column\s+{sym}\s*,\s*{sym}\s*,\s*{sym}\s*", r"rename \1.\2 to \3"),
            (rf"rename_table\s+{sym}\s*,\s*{sym}\s*", r"rename table \1 to \2"),
            (rf"remove_column\s+{sym}\s*,\s*{sym}.*", r"drop column \1.\2"),
            (rf"change_column_null\s+{sym}\s*,\s*{sym}\s*,\s*false.*", r"make \1.\2 not null"),
            (rf"change_column_null\s+{sym}\s*,\s*{sym}\s*,\s*true.*", r"allow nulls in \1.\2"),
            (rf"change_column_default\s+{sym}\s*,\s*{sym}\s*,\s*(?:from:\s*\S+\s*,\s*)?(?:to:\s*)?(\S+)\s*",
             r"set the default of \1.\2 to \3"),
        )
        for pattern, words in rules:
            if m := re.fullmatch(pattern, text.strip()):
                said = m.expand(words)
                said = re.sub(r",?\s*null:\s*false", " not null", said)
                said = re.sub(r",?\s*null:\s*true", " nullable", said)
                said = re.sub(r",?\s*default:\s*", " default ", said)
                said = re.sub(r",?\s*unique:\s*true", " unique", said)
                said = re.sub(r"\badd index on (\S+) unique\b", r"add unique index on \1", said)
                return re.sub(r"[:\s]+(?=\w)", " ", said).replace(" (", "(").strip()
        return text

    @staticmethod
    def _sql_to_words(text: str) -> str:
        """One ALTER TABLE statement, said the way a person would (several are refused before
        any of this runs): "alter table users add column age integer" -> "add column age
        integer to users"."""
        m = re.match(rf"^\s*alter\s+table\s+(?:if\s+exists\s+)?({REF})\s+(.+?)\s*;?\s*$", text)
        if not m:
            return text
        table, rest = m.groups()
        for pattern, words in (
                (r"add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(.+)", r"add column \1 to {t}"),
                (r"rename\s+(?:column\s+)?(\S+)\s+to\s+(\S+)", r"rename {t}.\1 to \2"),
                (r"rename\s+to\s+(\S+)", r"rename table {t} to \1"),
                (r"drop\s+(?:column\s+)?(?:if\s+exists\s+)?(\S+)", r"drop column {t}.\1"),
                (r"alter\s+(?:column\s+)?(\S+)\s+(?:set\s+data\s+)?type\s+(.+)", r"change the type of {t}.\1 to \2"),
                (r"alter\s+(?:column\s+)?(\S+)\s+set\s+not\s+null", r"make {t}.\1 not null"),
                (r"alter\s+(?:column\s+)?(\S+)\s+drop\s+not\s+null", r"allow nulls in {t}.\1"),
                (r"alter\s+(?:column\s+)?(\S+)\s+set\s+default\s+(.+)", r"set the default of {t}.\1 to \2"),
                (r"alter\s+(?:column\s+)?(\S+)\s+drop\s+default", r"drop the default of {t}.\1")):
            if re.fullmatch(pattern, rest):
                return re.sub(pattern, words.replace("{t}", table), rest)
        return text

    def _protect_quotes(self, text: str) -> str:
        def repl(m: re.Match) -> str:
            key = f"__q{len(self.quotes)}__"
            quote = "'" if m.group(1) is not None else ('"' if m.group(2) is not None else "`")
            self.quotes[key] = (quote, m.group(1) or m.group(2) or m.group(3))
            return key
        return QUOTED.sub(repl, text)

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
        # what joined the options to the rest: "..., batches of 2000 with a pause of 50ms"
        text = re.sub(r"(?:,\s*|\s+)(?:(?:with|and|using|in|at)(?:\s+an?)?\s*)+(?=$|[,.;!?])", "", text)
        self.changes += self.out.options != before
        return text

    def _read_option_words(self, text: str) -> str:
        opts = self.out.options
        if m := BATCH.search(text):
            opts["batch_size"] = int(next(g for g in m.groups() if g).replace("_", "").replace(",", ""))
            text = text[:m.start()] + " " + text[m.end():]
        if m := PAUSE.search(text):
            n = int(m.group(1))
            opts["batch_pause_ms"] = n if m.group(2).startswith("m") else n * 1000
            text = text[:m.start()] + " " + text[m.end():]
        if m := LOCK_TIMEOUT.search(text):
            n = int(m.group(1))
            opts["lock_timeout_ms"] = n if m.group(2).startswith("m") else n * 1000
            text = text[:m.start()] + " " + text[m.end():]
        if m := DOWNTIME_OK.search(text):
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
            self.new_columns.setdefault(table, []).append(op["new_name"])
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
        """Tables a clause names, in order; then the table a "TABLE: ..." prefix set."""
        out = []
        for tok in re.findall(REF, clause):
            if tok == exclude or tok in NOISE_WORDS:
                continue
            t = self.table_or_none(tok)
            if t and t not in out:
                out.append(t)
        if self.context_table and self.context_table not in out:
            out.append(self.context_table)
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
        if self.context_column and not [t for t in toks if t not in NOISE_WORDS]:
            return self.context_table, [self.context_column]  # "comments.body: allow null"
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
        if not found and RAW_SQL_TYPES.fullmatch(phrase.strip()):
            return phrase.strip()
        if not found:
            raise NotUnderstood(f"unknown type {phrase!r}")
        return found
