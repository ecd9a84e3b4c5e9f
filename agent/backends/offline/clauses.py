"""One reader per kind of clause ("add ...", "drop ...", "rename ...", "index ...").

A mixin of the offline planner's reader (parse.py): each method reads one clause, resolves
names through the reader's catalog helpers and emits ChangeSpec operations, or raises
NotUnderstood / Ambiguous saying why not.
"""

from __future__ import annotations

import re

from migsmith.agent.backends.offline.lexicon import (
    BOOLEAN_VALUES, CONDITION, NAME, NOISE_WORDS, NOT_NULL, NULLABLE, ON_DELETE, REF, TBL, TYPE_RE,
    VALUE_WORDS, type_from_column_name)
from migsmith.agent.backends.offline.outcome import Context, NoIntent, NotUnderstood
from migsmith.tools.errors import did_you_mean


# Words an "add a column" clause may carry besides the name, type, table and modifiers.
_ADD_WORDS = {"_type_", "add", "introduce", "include", "put", "needs", "flag", "track", "store",
              "record", "keep", "save", "want", "wants", "get", "gets", "new", "called", "named",
              "nullable", "optional", "another", "extra", "also", "too", "please", "value"}


class ClauseReaders:
    named_later: str | None = None  # a name "call it X" gave to a column added before it

    def _clause(self, c: str) -> None:
        """Send a clause to the reader of the first intent it shows.

        Order matters because phrasings overlap: row deletions and drops before anything that
        says "delete", renames before adds, "add a column" before foreign keys and checks
        (a new column may reference a table), constraints before indexes, and the loose
        "X needs a Y" add last, after defaults, NOT NULL and type changes.
        """
        if (m := re.search(r"\b(?:no longer|don'?t|do not|doesn'?t|does not|never) (?:need|use)s?\b"
                           r"(?!\s+(?:a|any|the|its)\s+default)(?!\s+to\s+be\b)"
                           r"|\b(?:is|are) (?:unused|deprecated|obsolete|no longer used)\b"
                           r"|\b(?:is|are) already\b", c)) \
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
        if gone := re.search(rf"^when\s+(?:an?|the)\s+({NAME})\s+is\s+deleted,?\s+(?:its|their|the)\s+({NAME})\s+"
                             rf"(?:should|must|need to|have to)\s+(?:go|be deleted|disappear|be removed)(?:\s+too|\s+as well)?$", c):
            parent, child = self.table(gone.group(1)), self.table(gone.group(2))
            key = self.has_column(child, gone.group(1).rstrip("s") + "_id")
            if not key:
                raise NotUnderstood(f"{child} has no {gone.group(1).rstrip('s')}_id column pointing at {parent}")
            return self.foreign_key(f"{child}.{key} references {parent} on delete cascade")
        if every := re.search(rf"^(?:every|each|all)\s+({NAME})\s+(?:has|have|must have|should have|needs?)\s+(?:an?\s+)?({NAME})$", c):
            table = self.table(every.group(1))  # "every customer has an email": NOT NULL
            return self.set_not_null(f"make {table}.{self._existing(table, self._name(every.group(2)))} not null")
        if by_default := re.search(rf"^(?:new\s+)?({NAME})\s+(?:should|must|will)\s+(?:have|get|start with)\s+"
                                   rf"(__q\d+__|[\w.()'+-]+)\s+({NAME})\s+by default$", c):
            table = self.table(by_default.group(1))  # "new products should have 0 stock by default"
            col = self._existing(table, self._name(by_default.group(3)))
            return self.set_default(f"set the default of {table}.{col} to {by_default.group(2)}")
        if fill := re.search(rf"^(?:all\s+|every\s+|any\s+)?({NAME})\s+(?:with|without)\s+(?:no|an?|an empty|a missing)\s+({NAME})\s+"
                             rf"(?:should|must|will)\s+(?:get|have|receive|be given|become|be set to|be)\s+(.+)$", c):
            table = self.table(fill.group(1))  # "users with no name should get 'anonymous'"
            col = self._existing(table, self._name(fill.group(2)))
            return self.backfill(f"set {table}.{col} to {fill.group(3)} where {col} is null")
        if types := re.search(rf"^(?:(?P<what>.+?)\s*:?\s+)?(?:from\s+)?(?:{TYPE_RE.pattern})\s*(?:->|=>|→|to)\s*"
                              rf"(?P<new>{TYPE_RE.pattern})\s*$", c):
            what = types.group("what") or (f"{self.context_table}.{self.context_column}" if self.context_column else "it")
            return self.alter_type(f"change {what} to {types.group('new')}")  # "views on posts: integer -> bigint"
        if self.named_later and re.fullmatch(rf"(?:call|name) it\s+{self.named_later}", c):
            return  # already used as the name of the column added before
        if re.search(rf"\bcreate\b.*\btable\b|\bnew table\b|\b(?:need|want)s?\s+an?\s+(?:new\s+)?{NAME}\s+table\b", c):
            return self.create_table(c)
        if re.search(r"^(?:delete|truncate|remove|wipe|empty|clear|purge)\s+(?:all\s+)?(?:the\s+)?"
                     r"(?:rows|records|data|entries|contents)\b|^(?:delete|truncate|wipe|empty|clear|purge)"
                     r"\s+(?:all|every)\b|^truncate\b|^delete\s+from\b|^insert\s+into\b", c):
            raise NotUnderstood(f"{self._show(c)!r} changes rows, which is not a schema change; "
                                "migsmith plans schema changes (a table is removed with \"drop "
                                "table NAME\")")
        if re.search(r"\b(?:drop|remove|delete|get rid of|rid of|discard)\b", ON_DELETE.sub(" ", c)):
            return self.drop(c)
        if re.search(r"->|=>|→|\brenamed?\b|\b(?:should|to) be (?:called|named)\b|\.\w+\s+should be \w+_\w+\b|\bname of\b|\bcall(?:ed)?\s+.+?\s+instead\b", c) \
                and not re.search(r"\bforeign key\b|\bfk\b|\breferences?\b", c):
            return self.rename(c)
        add_index = re.match(r"(?:add|create|build)\s+(?:(?:an?|the|whatever|any|some)\s+)?(?:new\s+)?(?:unique\s+|partial\s+|"
                             r"(?:gin|gist|brin|hash|btree|spgist)\s+|composite\s+)*index", c)
        if (re.match(r"(?:add|introduce|include|put)\b", c) and not add_index and not re.match(
                r"(?:add|put)\s+(?:an?\s+)?(?:new\s+)?(?:foreign key|fk|check|constraint|unique constraint|"
                r"unique\s+(?:constraint|index|key|on|to|for|\()|default|not null|reference)", c)):
            return self.add_column(c)
        if re.search(r"\b(?:foreign key|fk|references?|referencing|points? (?:at|to)|link)\b|"
                     r"\b(?:cascade|become null|be set to null)\b.*\bdeleted\b", c):
            return self.foreign_key(c)
        if re.match(r"(?:set|update|backfill|fill|populate|copy|recompute|recalculate|compute|reset)\b", c) and not re.search(
                r"\bdefault\b|\bnot null\b|\bnullable\b|\btype\b|\brequired\b|\bunique\b",
                CONDITION.sub("", c)):
            return self.backfill(c)
        if re.search(r"\b(?:must not|mustn'?t|should not|shouldn'?t|can'?t|cannot|may not|never) be (?:empty|blank)\b|"
                     r"\bthan\s+\d+\s+char(?:acter)?s\s+(?:should|must|will)\s+be\s+(?:rejected|refused|invalid|disallowed|not allowed)|"
                     r"\b(?:can|may|must|should) only be\b|\bcontain\b|"
                     r"\bonly allow\b|\ballow only\b|\bcheck\b|\b(?:positive|negative|non-negative|at least|at most|no more than|"
                     r"greater than|less than|more than|between|one of|not empty|non-empty|below|above|"
                     r"exceed|under zero)\b|[<>]", c):
            return self.check(c)
        if add_index or re.search(r"\bindex(?:ed|es)?\b|\bidx\b|\blook ?ups?\b|\blook(?:ed|ing)? up\b|\blook(?:s|ed|ing)?\s+\w+\s+up\b|\bquer(?:y|ies|ied) by\b|"
                                  r"\bsearch(?:es|ed|ing)? by\b|\bslow\b|\bspeed up\b|\bfaster\b|"
                                  r"\bfilter(?:s|ed|ing)? by\b|\bsort(?:s|ed|ing)? by\b|\bordered by\b|"
                                  r"\b(?:search|filter|sort|find|quer(?:y|ie))(?:es|s|ed|ing)?\b[^.]*?\bby\b|"
                                  r"\btakes? (?:seconds|forever|ages|minutes)\b", c):
            return self.index(c)
        if re.search(r"\bunique\b|\bno duplicates?\b|\bno two\b|\b(?:only|at most) once\b|\bappears? once\b|\bonce per\b|"
                     r"\b(?:never|not|can'?t|cannot)\b.*\b(?:have|share|use|reuse) the same\b", c):
            return self.unique(c)
        if (re.search(r"\b(?:needs?|should have|must have|wants?|gets?)\s+(?:an?|the|some)?\s*(?:new\s+)?", c)
                and self._names_new_column(c)):
            return self.add_column(c)
        if re.search(r"\bno default\b|\bwithout (?:a )?default\b|\b(?:shouldn'?t|should not|must not|"
                     r"doesn'?t need to|does not need to|no longer needs? to|won'?t) have (?:a|any) default\b|"
                     r"\b(?:shouldn'?t|should not|must not|doesn'?t|does not|won'?t) default\b|"
                     r"\b(?:no longer|doesn'?t|does not|don'?t) needs? (?:a|any|its) default\b", c):
            return self.drop_default(c)
        if re.search(r"\bdefaults?\b|\bdefaulting\b|\bstarts? (?:as|with|at|out as)\b", c):
            return self.set_default(c)
        if NOT_NULL.search(c):
            return self.set_not_null(c)
        if NULLABLE.search(c):
            return self.drop_not_null(c)
        if TYPE_RE.search(c) and re.search(r"\b(?:type|convert|widen|change|alter|make|should be|"
                                           r"must be|be|turn|switch|into|hold|fit|store|limit|cap)\b", c):
            return self.alter_type(c)
        if re.search(r"\b(?:needs?|should have|must have|new|store|track|record|wants?)\b", c):
            owner = re.search(rf"\b({NAME})'s\s+({NAME})\b", c)  # "store the user's timezone"
            named = next((t for t in re.findall(rf"\(\s*({NAME})\s*\)", c) if "_" in t or t in self.quotes), None)
            if owner and named and self.table_or_none(owner.group(1)):  # "... phone is verified (phone_verified)"
                return self.add_column(f"add {named} to {self.table_or_none(owner.group(1))}")
            if owner and self.table_or_none(owner.group(1)) and owner.group(2) not in NOISE_WORDS:
                return self.add_column(f"add {owner.group(2)} to {self.table_or_none(owner.group(1))}")
            if not re.search(rf"\b(?:column|field|flag|called|named)\b|__q\d+__|\b{NAME}_{NAME}\b", c):
                raise NoIntent(f"{self._show(c)!r}: name the column to add, e.g. \"add "
                                    f"a column published_at to posts\"")
            return self.add_column(c)
        raise NoIntent(f"did not understand {self._show(c)!r}")

    # create_table -----------------------------------------------------------
    def create_table(self, c: str) -> None:
        m = next((m for m in (re.search(rf"\btable\s+(?:called\s+|named\s+)?({NAME})\b(.*)$", c),
                              re.search(rf"\b({NAME})\s+table\b(.*)$", c))
                  if m and m.group(1) not in NOISE_WORDS), None)
        if not m:
            raise NotUnderstood(f"{self._show(c)!r}: what is the new table called?")
        name = self._name(m.group(1))
        if self.cat.table(name) and self.cat.table(name).lower() == name.lower():
            raise NotUnderstood(f"table {name!r} already exists")
        rest = re.sub(r"^\s*(?:with|having|containing|that has|:)?\s*(?:the\s+)?(?:columns?|fields?)?\s*:?\s*",
                      "", m.group(2)).strip()
        together = re.search(r"\s*,?\s*(?:and\s+)?unique\s+(?:on|over|across)\s+(?:both|all(?: of them)?|them)\s*$", rest)
        if together:  # "..., unique on both"
            rest = rest[:together.start()].strip()
        all_ref = re.search(rf"\s*,?\s*(?:with\s+)?(?:both|all|each)(?:\s+of them)?\s+referenc(?:es|ing)\s+({NAME})\s*$", rest)
        if all_ref:  # "(follower_id bigint, followee_id bigint) with both referencing users"
            rest = rest[:all_ref.start()].strip()
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1]  # "create table t (a text, b int)": the list's own parentheses
        # commas inside a type's parentheses (numeric(12,2)) do not separate columns
        rest = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(",", "\0"), rest)
        columns: list[dict] = []
        fks: list[dict] = []
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", rest):
            part = part.replace("\0", ",").strip()
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
        if all_ref:
            target = self.table(all_ref.group(1))
            fks += [{"op": "add_foreign_key", "table": name, "columns": [col["name"]], "ref_table": target,
                     "ref_columns": [(self.cat.pks.get(target) or ["id"])[0]]}
                    for col in columns if not col.get("primary_key")]
        uniques = [col.pop("_unique") and col["name"] for col in columns if col.get("_unique")]
        if together:
            fks.append({"op": "add_unique_constraint", "table": name,
                        "columns": [col["name"] for col in columns if not col.get("primary_key")]})
        self._emit({"op": "create_table", "table": name, "columns": columns})
        for fk in fks:
            self._emit(fk)
        for cname in uniques:
            self._emit({"op": "add_unique_constraint", "table": name, "columns": [cname]})

    def _column_def(self, part: str, table: str) -> tuple[dict, dict | None]:
        fk = None
        ref = re.search(rf"\breferenc(?:es|ing)\s+({NAME})(?:\s*\(\s*({NAME})\s*\)|\.({NAME}))?", part)
        if ref:
            part = part[:ref.start()]
        pk = bool(re.search(r"\bprimary key\b", part))
        part = re.sub(r"\bprimary key\b", " ", part)
        unique = bool(re.search(r"\bunique\b", part))
        part = re.sub(r"\bunique\b", " ", part)
        default = None
        if dm := re.search(r"\bdefault(?:s| value)?(?: of| to)?\s+(\S+(?: time| timestamp)?)", part):
            default = self.default_value(dm.group(1))
            part = part[:dm.start()]
        not_null = bool(NOT_NULL.search(part))
        part = NOT_NULL.sub(" ", part)
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
        if extra := [w for w in words[1:] if w not in ("null", "nullable")]:
            raise NotUnderstood(f"did not understand {', '.join(map(repr, extra))} in column "
                                f"{self._show(part.strip())!r} of new table {table!r}")
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
        if unique:
            col["_unique"] = True  # becomes an add_unique_constraint after the create
        return col, fk

    # add_column -------------------------------------------------------------
    def add_column(self, c: str) -> None:
        if several := re.match(rf"^(?:add|introduce)\s+(?:(?:the\s+)?columns?\s+)?(.+?)\s+(?:to|on|in|into)\s+{TBL}\s*$", c):
            listed = re.sub(r"\([^)]*\)", lambda m: m.group(0).replace(",", "\0"), several.group(1))
            parts = [p.strip().replace("\0", ",") for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", listed)
                     if p.strip()]  # commas inside parentheses (numeric(12,2)) do not separate
            if len(parts) > 1 and all(TYPE_RE.search(p) and re.match(NAME, p) for p in parts):
                for part in parts:  # "add latitude double precision and longitude double precision to orgs"
                    self.add_column(f"add {part} to {several.group(2)}")
                return
        body = c
        ref = re.search(rf"\s*,?\s*(?:that |which |and )?(?:references?|referencing|points? (?:at|to))\s+"
                        rf"(?:the\s+)?({NAME})(?:\s*\(\s*({NAME})\s*\)|\.({NAME}))?(?:\s+table)?", body)
        if ref:  # "add an author_id column to posts that references users"
            body = body[:ref.start()] + " " + body[ref.end():]
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
        not_null = bool(NOT_NULL.search(body))
        body = NOT_NULL.sub(" ", body)
        nullable = bool(NULLABLE.search(body))
        body = NULLABLE.sub(" ", body)
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
                elif m and not self.table_or_none(m.group(1)) and not self.context_table:
                    self.table(m.group(1))  # raises with a near-match hint
                else:
                    raise NotUnderstood(f"{self._show(c)!r}: add the column to which table? "
                                        f"(tables: {', '.join(self.cat.columns)})")
        # the purpose is not part of the column: "add a flag on orgs to mark paying customers"
        body = re.sub(r"\b(?:to|so we can|so that we can)\s+(?:mark|track|flag|show|store|record|indicate|note|"
                      r"remember|know|say|tell|see)\b[^,]*", " ", body)
        body = re.sub(r"\bfor\s+(?:the\s+)?(?:soft[- ]?delet\w*|audit\w*|analytics|reporting|tracking|"
                      r"debugging|billing|gdpr|compliance|caching|search|sorting|the dashboard)\b[^,]*",
                      " ", body)  # "add deleted_at to comments for soft deletes"
        typ = None
        if array := re.search(rf"\b({NAME}(?:\s*\(\d+(?:,\s*\d+)?\))?)\s*\[\]", body):
            typ = self.sql_type(array.group(1)) + "[]"  # "tags text[]"
            body = body[:array.start()] + " _type_ " + body[array.end():]
        elif (unknown := re.search(rf"\b(?:of type|type)\s+({NAME}(?:\s*\([\d, ]+\))?)", body)) \
                and not TYPE_RE.fullmatch(unknown.group(1)):
            body = body.replace(unknown.group(0), " _type_ ")
            typ = self.sql_type(unknown.group(1))  # a SQL type the lexicon lacks, or a clear error
        explicit = re.search(r"\b(?:of type|type|as an?|as)\s+(" + TYPE_RE.pattern + ")", body)
        # the most specific phrase wins: "string, up to 500 characters" is varchar(500)
        type_m = explicit or max(TYPE_RE.finditer(body), key=lambda m: len(m.group(0)), default=None)
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
            leads = [m.group(1) for m in (
                *re.finditer(rf"^(?:add|introduce|include|put)\s+{skip}({NAME})\b", body.strip()),
                *re.finditer(rf"\b(?:needs?|should have|must have|wants?|gets?|to have|have)\s+{skip}({NAME})\b", body))]
            lead = next((w for w in leads if w in words), None)
            named = [w for w in words if w in self.quotes or "_" in w.strip("_")]
            if lead:
                name = lead
            elif named:
                name = named[0]
            elif later := re.search(rf"\b(?:call|name) it\s+({NAME})\b", self.text):
                name = later.group(1)  # "add a flag on orgs to mark paying customers? call it is_paying"
                self.named_later = name
                words = []
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
        leftover = [w for w in re.findall(NAME, TYPE_RE.sub(" ", body))
                    if (w not in NOISE_WORDS or w in ("index", "unique", "make", "set")) and w != name
                    and w not in _ADD_WORDS and not self.table_or_none(w)]
        if leftover:  # nothing in the clause is dropped on the floor
            raise NotUnderstood(f"did not understand {', '.join(map(repr, leftover))} in "
                                f"{self._show(c)!r}")
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
        if ref:
            self.foreign_key(f"{table}.{name} references {ref.group(1)}"
                             + (f"({ref.group(2) or ref.group(3)})" if ref.group(2) or ref.group(3) else ""))
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
        first = re.search(rf"\b{verb}\b", c)
        before = [w for w in re.findall(NAME, c[:first.start()]) if w not in NOISE_WORDS] if first else []
        if re.search(r"\bdefault\b", c):
            return self.drop_default(c)
        if NOT_NULL.search(c) and not re.search(r"\bcolumn\b", c):
            return self.drop_not_null(c)
        if before:  # data goes only when the clause is about nothing else
            raise NotUnderstood(f"did not understand {self._show(c[:first.start()].strip())!r} before "
                                f"{first.group(0)!r} in {self._show(c)!r}; say only what to remove")
        if m := re.search(rf"{verb}\s+(?:the\s+)?(?:(?:unique|partial)\s+)?index\s+(?:on\s+|for\s+)?(.+)$", c):
            return self.drop_index(m.group(1))
        if m := re.search(rf"{verb}\s+(?:the\s+)?(?:(?:check|unique|foreign key|fk|primary key)\s+(?:constraint\s+)?"
                          rf"|constraint\s+)({NAME})(?:\s+(?:from|on|of)\s+{TBL})?", c):
            name = self._name(m.group(1))
            table = self.table(m.group(2)) if m.group(2) else None
            self._emit({"op": "drop_constraint", "table": table or self._constraint_table(name),
                        "name": name})
            return
        if view := re.search(rf"{verb}\s+(?:the\s+)?(?:materialized\s+)?view\s+({NAME})", c):
            raise NotUnderstood(f"{view.group(1)!r}: migsmith plans changes to tables, not views")
        if named := re.search(rf"{verb}\s+(?:the\s+)?(?:index\s+|constraint\s+)?({NAME})(?:\s+(?:index|constraint))?\s*$", c):
            name = self._name(named.group(1))
            tables = [t for t, idx in self.cat.indexes.items() if name in idx]
            owners = [t for t, cons in self.cat.constraints.items() if name in cons]
            if tables and not owners:  # "get rid of posts_user_id_idx"
                self._emit({"op": "drop_index", "name": name})
                return
            if owners:  # "drop the users_org_id_fkey constraint"
                self._emit({"op": "drop_constraint", "table": owners[0], "name": name})
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
            rest = c[m.end():]
            if more := re.match(rf"\s*(?:,|and|,\s*and)\s+(?:the\s+)?(?:column\s+)?({REF}(?:\s*(?:,|and)\s*{REF})*)\s*$", rest):
                self._emit({"op": "drop_column", "table": table, "column": col})
                for other in re.findall(REF, more.group(1)):  # "drop customers.phone and customers.full_name"
                    if other != "and":
                        t2, c2 = self.column(other, None if "." in other else table, c)
                        self._emit({"op": "drop_column", "table": t2, "column": c2})
                return
            self._no_leftover(c, rest)
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
                      r"\b(?:shouldn'?t|should not|must not|doesn'?t|does not|won'?t) default(?: to anything)?\b|"
                      r"\b(?:no longer|doesn'?t|does not|don'?t) needs? (?:a|any|its) default\b|"
                      r"\banymore\b|\bany longer\b|\bshould have\b|\bhas\b", " ", c)
        table, cols = self._target(body)
        for col in cols:
            self._emit({"op": "drop_default", "table": table, "column": col})

    def drop_not_null(self, c: str) -> None:
        body = NULLABLE.sub(" ", NOT_NULL.sub(" ", c))
        table, cols = self._target(body)
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: which column?")
        for col in cols:
            if not self._amend_new_column(table, col, nullable=True):
                self._emit({"op": "drop_not_null", "table": table, "column": col})

    # rename -----------------------------------------------------------------
    def rename(self, c: str) -> None:
        if arrow := re.search(rf"(?:^|\brename\s+)({REF})\s*(?:->|=>|→)\s*({NAME})\s*(?:\(\s*rename\s*\))?", c.strip()):
            rest = c.strip()[arrow.end():]
            c = f"rename {arrow.group(1)} to {arrow.group(2)}{rest}"  # "users.name -> display_name"
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
            rf"(?:the\s+)?({REF})(?:\s+(?:column|field|table))?(?:\s+(?:in|on|of)\s+{TBL})?\s+(?:should|to)\s+be\s+"
            rf"(?:called|named|renamed(?:\s+to)?)\s+({NAME})(?:\s+(?:in|on|of)\s+{TBL})?",
            rf"call\s+(?:the\s+)?({REF})(?:\s+column)?(?:\s+(?:in|on|of)\s+{TBL})?\s+({NAME})\s+instead"
            rf"(?:\s+(?:in|on|of)\s+{TBL})?",
            rf"^(?:the\s+)?({NAME}\.{NAME})()\s+should\s+be\s+({NAME}_{NAME}(?:_{NAME})*)()(?=\s+like\b|\s*$)",
        ]
        for pat in pats:
            if m := re.search(pat, c):
                old, t1, new, t2 = m.groups()
                tword = t1 or t2
                if "." not in old and not tword and self.table_or_none(old) and not self._owners(self._name(old)):
                    self._emit({"op": "rename_table", "table": self.table(old), "new_name": self._name(new)})
                    return
                if old in ("it", "that", "this") and not self.last_column and self.last_table:
                    self._emit({"op": "rename_table", "table": self.last_table, "new_name": self._name(new)})
                    return  # "order_items is a bad name; call it line_items instead"
                table, col = self.column(old, tword, c)
                self._emit({"op": "rename_column", "table": table, "column": col,
                            "new_name": self._name(new)})
                rest = re.sub(r"^\s+like\s+.*$", "", c[m.end():])  # "... like everywhere else"
                if more := re.match(rf"(?:and\s+)?((?:the\s+)?{REF}\s+{to}\s+.+)$", rest.strip(" ,")):
                    return self.rename("rename " + more.group(1))
                self._no_leftover(c, rest, ignore={old.split(".")[-1], new, table, table.rstrip("s")})
                return
        raise NotUnderstood(f"did not understand the rename {self._show(c)!r}; say \"rename "
                            f"COLUMN to NEW_NAME in TABLE\"")

    def _given_name(self, c: str) -> tuple[str, str | None]:
        """The clause without an explicit index/constraint name, and that name
        ("add index posts_status_idx on ...", "add constraint users_email_key unique ...")."""
        m = re.search(rf"\b(?:index|constraint|foreign key|fk|check)\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?({NAME})\s+"
                      rf"(?=on\b|from\b|unique\b|check\b|foreign\b|primary\b|\()", c)
        if (m and "_" in m.group(1) and m.group(1) not in NOISE_WORDS and not self.table_or_none(m.group(1))
                and not self._owners(self._name(m.group(1)))):  # "index author_id on comments": a column
            return c[:m.start(1)] + c[m.end(1):], self._name(m.group(1))
        return c, None

    def _names_new_column(self, c: str) -> bool:
        """The clause names a snake_case or quoted word that no mentioned table has."""
        tables = self._mentioned_tables(c)
        placed = {m.group(1) for pat in (rf"\b(?:column|field|called|named)\s+(?=({NAME}))",
                                         rf"\b({NAME})\s+(?:column|field)\b",
                                         rf"\b(?:to have|should have|must have|needs?)\s+(?:an?|some)\s+({NAME})\b")
                  for m in re.finditer(pat, c)} - NOISE_WORDS
        for tok in re.findall(NAME, c):
            name = self._name(tok)
            if (tok in self.quotes or "_" in name.strip("_") or tok in placed) \
                    and not self.table_or_none(tok) and not any(self.has_column(t, name) for t in tables):
                return True
        return False

    def _no_leftover(self, c: str, rest: str, ignore: set[str] = frozenset()) -> None:
        words = [w for w in re.findall(NAME, rest) if w not in NOISE_WORDS and w not in ignore]
        names_something = any(self.table_or_none(w) or self._owners(self._name(w)) for w in words)
        if words and rest.lstrip().startswith(",") and not names_something:
            self.out.assumptions.append(f"read {self._show(rest.strip(' ,'))!r} as background")
            return
        if words:
            raise NotUnderstood(f"did not understand {self._show(rest)!r} in {self._show(c)!r}")

    # indexes and constraints ------------------------------------------------
    def index(self, c: str) -> None:
        if paren := re.search(r"\s*(?:for\s+[\w\s]+?\s+only\s*)?\(([^()]*\b(?:is(?: not)? null|=|<|>|in)\b[^()]*)\)\s*$", c):
            c = c[:paren.start()] + f" where {paren.group(1)}"  # "index users.email for confirmed users only (...)"
        if q := re.search(rf"\bselect\s+.+?\s+from\s+({NAME})\s+where\s+(.+?)(?:\s+order\s+by\s+(.+?))?"
                          rf"(?:\s+(?:limit|so|is|are|takes|runs)\b.*)?$", c):
            return self._index_for_query(c, q)  # "why is SELECT ... WHERE post_id = $1 slow?"
        where = None
        if m := CONDITION.search(c):
            where = self.expression(m.group(1))
            c = c[:m.start()]
        unique = bool(re.search(r"\bunique\b", c))
        method = (re.search(r"\b(gin|gist|brin|hash|btree|spgist)\b", c) or [None, None])[1]
        c = re.sub(r"\busing\s+(?:gin|gist|brin|hash|btree|spgist)\b", " ", c)
        c, name = self._given_name(c)
        if m := re.search(rf"\b(?:called|named)\s+({NAME})", c):
            name = self._name(m.group(1))
            c = c[:m.start()] + c[m.end():]
        if (re.search(r"\b(?:both|them|those|these|all of them)\b", c) and self.out.operations
                and self.out.operations[-1]["op"] == "add_index" and len(self.out.operations[-1]["columns"]) > 1):
            return  # "look up posts by a and b, add an index on both": the index just read
        dotted = re.findall(rf"\b({NAME})\.({NAME})\b", c)
        if len({t for t, _ in dotted}) > 1 and not where:  # "index comments.author_id and posts.status"
            for t, col in dotted:
                self.index(f"index {t}.{col}" + (" unique" if unique else ""))
            return
        if listed := self._column_list(c):
            table, cols = listed
        else:
            bare = re.fullmatch(r"(?:we need |add |create |build )?(?:an? |the |whatever |any )?(?:new )?index(?:es)?"
                                r"(?: (?:for|on) (?:it|that|this)| (?:it|that|this|they) needs?)?", c.strip())
            if bare and self.out.operations and self.out.operations[-1]["op"] == "add_index":
                return  # "sorted by created_at, add an index": the index just read
            if bare and self.last_column:  # "add a column nickname to users, add an index"
                table, cols = self.last_table, [self.last_column]
            else:
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

    def _index_for_query(self, c: str, q: re.Match) -> None:
        """An index serving a query the request quotes: its WHERE columns, then ORDER BY."""
        table = self.table(q.group(1))
        words = re.findall(NAME, q.group(2)) + re.findall(NAME, q.group(3) or "")
        cols = list(dict.fromkeys(col for w in words if (col := self.has_column(table, w))))
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: the query filters on no column of {table}")
        if not self._duplicate_index(table, cols, False, None):
            self._emit({"op": "add_index", "table": table, "columns": cols})
        self.out.assumptions.append(f"index for the quoted query: {table}({', '.join(cols)})")

    def _column_list(self, c: str) -> tuple[str, list[str]] | None:
        """TABLE(a, b) or TABLE on (a, b): a table and its listed columns."""
        m = re.search(rf"\b({NAME})(?:\s+(?:on|over|by))?\s*\(\s*({NAME}(?:\s*,\s*{NAME})*)\s*\)", c)
        if not m:
            return None
        word = m.group(1)
        if word in NOISE_WORDS or word in ("index", "idx", "constraint", "key"):
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
        c, name = self._given_name(c)
        if name and not re.search(r"\bunique\b", c[:12] + c):
            name = None
        cond = CONDITION.search(c) or re.search(r"\(([^()]*\b(?:is(?: not)? null|=|<|>|in)\b[^()]*)\)\s*$", c)
        if cond:  # unique among some rows only: a unique partial index
            where = self.expression(cond.group(1))
            body = re.sub(r"\bamong\b.*$", "", c[:cond.start()])
            table, cols = self._column_list(body) or self._target(body)
            if not cols:
                raise NotUnderstood(f"{self._show(c)!r}: unique over which column(s)?")
            self._emit({"op": "add_index", "table": table, "columns": cols, "unique": True, "where": where})
            return
        if listed := self._column_list(c):
            table, cols = listed
        else:
            per = re.search(rf"\b(?:per|within|for each|in each)\s+({NAME})", c)
            body = c[:per.start()] if per else c
            if per and (where := re.search(rf"\b(?:in|on|of|for)\s+(?:the\s+)?({NAME})(?:\s+table)?\s*$",
                                           c[per.end():])) and self.table_or_none(where.group(1)):
                body += f" in {where.group(1)}"  # "... only once per order in order_items"
            table, cols = self._target(body)
            if per:
                scope = self._name(per.group(1))
                scol = self.has_column(table, scope) or self.has_column(table, scope.rstrip("s") + "_id")
                if not scol:
                    raise NotUnderstood(f"{self._show(c)!r}: {table} has no column for {scope!r}")
                cols = [scol] + [x for x in cols if x != scol]
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: unique over which column(s)?")
        self._emit({"op": "add_unique_constraint", "table": table, "columns": cols,
                    **({"name": name} if name else {})})

    def foreign_key(self, c: str) -> None:
        c, name = self._given_name(c)
        on_delete = None
        if m := ON_DELETE.search(c):
            on_delete = m.group(1) or "cascade"
            c = c[:m.start()] + c[m.end():]
        c = re.sub(r"\s+(?:foreign key|fk|constraint)\s*(?=,|$)", "", c.strip(" ,;"))  # "a -> b foreign key"
        if gone := re.search(rf"\s*(?:and\s+)?(?:should\s+)?(cascade|be deleted|go away|become null|be set to null|be nulled)"
                             rf"\s+(?:when|if)\s+(?:an?|the|its)\s+({NAME})\s+is\s+deleted\s*$", c):
            nulls = "null" in gone.group(1)  # "... and become null if the user is deleted"
            c = c[:gone.start()] + ("" if re.search(r"\breferences?\b|\bto\b", c[:gone.start()])
                                    else f" references {gone.group(2)}")
            on_delete = on_delete or ("set null" if nulls else "cascade")
        m = re.search(rf"(?:\b(?:to|references?|referencing|points? (?:at|to)|at)|->|=>)\s+(?:the\s+)?({NAME})"
                      rf"(?:\s*\(\s*({NAME})\s*\)|\.({NAME}))?(?:\s+table)?\s*$",
                      re.sub(r"\s+(?:with|and)\s*$", "", c.strip(" ,;")))
        if not m:
            raise NotUnderstood(f"{self._show(c)!r}: which table should it reference?")
        ref_table = self.table(m.group(1))
        ref_col = self._name(m.group(2) or m.group(3) or "") or (self.cat.pks.get(ref_table) or [None])[0]
        if not ref_col:
            raise NotUnderstood(f"{ref_table} has no primary key; say which column to reference")
        self._existing(ref_table, ref_col)
        source = c[:m.start()]
        source = re.sub(r"\b(?:add|an?|foreign key|fk|from|on|link|should|must|constraint)\b", " ", source)
        if not re.findall(NAME, source) and self.last_column:  # "... comments.post_id ...; add a foreign key to posts"
            table, cols = self.last_table, [self.last_column]
        else:
            table, cols = self._target(source)
        cols = [x for x in cols if not (table == ref_table and x == ref_col)]
        if len(cols) != 1:
            raise NotUnderstood(f"{self._show(c)!r}: which column holds the reference?")
        op = {"op": "add_foreign_key", "table": table, "columns": cols, "ref_table": ref_table,
              "ref_columns": [ref_col], **({"name": name} if name else {})}
        if on_delete:
            op["on_delete"] = on_delete
        self._emit(op)

    def check(self, c: str) -> None:
        c, name = self._given_name(c)
        named = {"name": name} if name else {}
        if m := re.search(rf"\bcheck(?:\s+constraint)?\s+(?:on|to|for)\s+{TBL}\s*(?:that|so that|:|ensuring|where)?\s*(.+)$", c):
            table = self.table(m.group(1))
            expression = re.sub(r"^\((.*)\)$", r"\1", m.group(2).strip())  # "on posts (views >= 0)"
            self._emit({"op": "add_check_constraint", "table": table,
                        "expression": self.expression(expression), **named})
            return
        if m := re.search(r"\bcheck(?:\s+constraint)?\s+(?:that|so that|ensuring|where|:)\s+(.+)$", c):
            expression = self.expression(m.group(1))
            table, _ = self._target(re.sub(r"__q\d+__", " ", m.group(1)))
            expression = re.sub(rf"\b{re.escape(table)}\.(?=\w)", "", expression)  # own columns, bare
            self._emit({"op": "add_check_constraint", "table": table, "expression": expression})
            return
        if m := re.search(r"^(.+?)\s+(?:can|may|must|should) only be\s+(.+)$", c):  # "status on posts can only be a or b"
            table, cols = self._target(m.group(1))
            if len(cols) == 1:
                return self.check(f"{table}.{cols[0]} must be one of {m.group(2)}")
        if m := re.search(rf"\b(?:only allow|allow only)\s+(.+?)\s+(?:in|for|on|as)\s+(?:the\s+)?({REF})(?:\s+column)?$", c):
            table, col = self.column(m.group(2), None, c)
            return self.check(f"{table}.{col} must be one of {m.group(1)}")
        if m := re.search(r"\b(?:must|should|has to|have to|needs? to)\s+contain\s+(?:an?\s+)?(\S+)$", c):
            table, cols = self._target(c[:m.start()])
            if len(cols) == 1:  # "users.email must contain an @"
                piece = self.value(m.group(1)) if m.group(1) in self.quotes else "'" + m.group(1).replace("'", "''") + "'"
                self._emit({"op": "add_check_constraint", "table": table,
                            "expression": f"position({piece} in {cols[0]}) > 0"})
                return
        phrases = [
            (r"(?:longer|more) than\s+(\d+)\s+char(?:acter)?s\s+(?:should|must|will)\s+be\s+(?:rejected|refused|invalid|"
             r"disallowed|not allowed)", "char_length({c}) <= {n}"),
            (r"(?:can'?t|cannot|can not|must not|may not|should not|shouldn'?t|never|not)\s+(?:exceed|go (?:above|over)|"
             r"be (?:more|greater|higher|larger) than|be above|be over)\s+(-?\d+(?:\.\d+)?)", "{c} <= {n}"),
            (r"(?:can'?t|cannot|can not|must not|may not|should not|shouldn'?t|never|not)\s+(?:go (?:below|under)|"
             r"be (?:less|lower|smaller) than|be below|be under)\s+(-?\d+(?:\.\d+)?)", "{c} >= {n}"),
            (r"(?:must|should|can'?t|cannot|can not|may not|never)?\s*(?:be\s+|go\s+)?(?:non-negative|not negative|negative|below zero|less than zero)", "{c} >= 0"),
            (r"(?:must be|should be|be|is)?\s*(?:positive|greater than zero|above zero|more than zero)", "{c} > 0"),
            (r"(?:must be|should be|be)?\s*(?:at least|no less than|>=)\s*(-?\d+(?:\.\d+)?)", "{c} >= {n}"),
            (r"(?:must be|should be|be)?\s*(?:at most|no more than|not more than|<=)\s*(-?\d+(?:\.\d+)?)", "{c} <= {n}"),
            (r"(?:must be|should be|be)?\s*(?:greater than|more than|above|>)\s*(-?\d+(?:\.\d+)?)", "{c} > {n}"),
            (r"(?:must be|should be|be)?\s*(?:less than|below|<)\s*(-?\d+(?:\.\d+)?)", "{c} < {n}"),
            (r"(?:must be|should be|be)?\s*between\s+(-?\d+(?:\.\d+)?)\s+and\s+(-?\d+(?:\.\d+)?)", "{c} BETWEEN {n} AND {m}"),
            (r"(?:must be|should be|be)?\s*one of\s+(.+)$", "{c} IN ({list})"),
            (r"(?:(?:must not|mustn'?t|should not|shouldn'?t|can'?t|cannot|may not|never)\s+be\s+(?:empty|blank)|"
             r"(?:must|should|can'?t|cannot)?\s*(?:be\s+)?(?:not empty|non-empty|not blank|empty))", "{c} <> ''"),
        ]
        for pat, template in phrases:
            if m := re.search(pat, c):
                try:
                    table, cols = self._target(c[:m.start()] or c)
                except NotUnderstood:
                    table, cols = None, []
                if len(cols) != 1:  # "products can't have a negative price": the column comes after
                    table, cols = self._target(c[:m.start()] + " " + c[m.end():])
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
        c = re.sub(r"\s+instead of\s+\S+\s*$", "", c)  # "... should be clock_timestamp() instead of now()"
        m = (re.search(r"\bdefault(?:s| value)?(?:\s+(?:of|value of|should be|is|=|:))?\s+(?:to\s+)?"
                       r"((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)\s*$", c)
             or re.search(r"\b(?:defaults?|defaulting)\s+to\s+((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)", c)
             or re.search(r"\bdefault\s+.+?\s+to\s+((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)\s*$", c)
             or re.search(r"\bstarts? (?:as|with|at|out as)\s+((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w.()'+-]+)\s*$", c)
             or re.search(r"\b(?:filled|set|populated)\s+(?:with|to)\s+((?:the )?current (?:time|timestamp|date)|"
                          r"__q\d+__|[\w.()'+-]+)\s+by default\b", c)
             or re.search(r"\bdefault(?: value)?\s+(?:of\s+|=\s*)?((?:the )?current (?:time|timestamp|date)|__q\d+__|[\w()'+-]+)"
                          r"\s+(?:for|on|of|to)\s", c))
        if not m:
            raise NotUnderstood(f"{self._show(c)!r}: default to what value?")
        value = self.default_value(m.group(1))
        body = c[:m.start(1)] + " " + c[m.end(1):]
        body = re.sub(r"\b(?:set|give|default|defaults|defaulting|value|should|starts?|out)\b", " ", body)
        table, cols = self._target(body)
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: the default of which column?")
        for col in cols:
            if self._amend_new_column(table, col, default=value):
                continue
            self._emit({"op": "set_default", "table": table, "column": col, "default": value})
        if NOT_NULL.search(c):  # "make it not null default 0"
            for col in cols:
                if not self._amend_new_column(table, col, nullable=False):
                    self._emit({"op": "set_not_null", "table": table, "column": col})

    def set_not_null(self, c: str) -> None:
        table, cols = self._target(NOT_NULL.sub(" ", c))
        if not cols:
            raise NotUnderstood(f"{self._show(c)!r}: which column should be NOT NULL?")
        for col in cols:
            if self._amend_new_column(table, col, nullable=False):
                continue
            self._emit({"op": "set_not_null", "table": table, "column": col})

    def _new_column_type(self, table: str, col: str) -> str | None:
        return next((op["column"]["type"] for op in self.out.operations if op["op"] == "add_column"
                     and op["table"] == table and op["column"]["name"] == col), None)

    def _amend_new_column(self, table: str, col: str, **changes) -> bool:
        """A column this spec adds takes the attribute directly ("also make it not null")."""
        for i, op in enumerate(self.out.operations):
            if op["op"] == "add_column" and op["table"] == table and op["column"]["name"] == col:
                if any(later.get("table") == table and later.get("column") == col
                       for later in self.out.operations[i + 1:]):
                    return False  # "add it nullable, backfill it, then make it not null": as said
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
        if m := CONDITION.search(c):
            where = self.expression(m.group(1))
            c = c[:m.start()]
        if scope := re.search(rf"\s+(?:for|on|in|across)\s+(?:all|every|each)(?:\s+(?:the|of the))?\s+({NAME})\s*$", c):
            c = c[:scope.start()]
            table_word = self.table_or_none(scope.group(1))
            m2 = re.match(rf"^(set|backfill|fill(?:\s+in)?|populate)\s+(?:the\s+)?(?:column\s+)?({REF})(.*)$", c)
            if table_word and m2 and "." not in m2.group(2) and not re.match(r"\s+(?:in|on|of|for)\s", m2.group(3)):
                c = f"{m2.group(1)} {m2.group(2)} in {table_word}{m2.group(3)}"  # "... for all posts"
        if every := re.match(rf"^(?:set|reset|update)\s+(?:every|each|all)\s+({NAME})'s\s+({NAME})\s+to\s+(.+)$", c):
            c = f"set {every.group(2)} in {every.group(1)} to {every.group(3)}"  # "reset every post's views to 0"
        if u := re.match(rf"^update\s+{TBL}\s+set\s+({REF})\s*(?:to|=)\s*(.+)$", c):
            c = f"set {u.group(2)} in {u.group(1)} to {u.group(3)}"
        m = (re.search(rf"^(?:set|update|backfill|fill(?:\s+in)?|populate|recompute|recalculate|compute|reset)\s+(?:the\s+)?(?:column\s+)?({REF})"
                       rf"(?:\s+column)?(?:\s+in(?=\s+(?:from|with)\b))?(?:\s+(?:in|on|of|for)\s+(?:all\s+)?{TBL})?\s+(?:to|with|from|=|as|using)\s+(.+)$", c)
             or re.search(rf"^copy\s+(.+?)\s+(?:into|to)\s+(?:the\s+)?(?:column\s+)?({REF})(?:\s+(?:in|on|of|for)\s+{TBL})?$", c))
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
        if re.fullmatch(NAME, expression) and self._new_column_type(table, col) == "boolean" \
                and self.has_column(table, expression) and self._new_column_type(table, expression) != "boolean":
            self.out.assumptions.append(f"{table}.{col} is true where {expression} is set")
            expression = f"{expression} IS NOT NULL"  # "fill email_verified from email_confirmed_at"
        if where:  # "where it is null": it is the column being set
            where = re.sub(r"\bit'?s\b", f"{col} is", where)  # "where it's null"
            where = re.sub(r"\b(?:it|its value)\b", col, where)
        op = {"op": "backfill", "table": table, "column": col, "expression": expression}
        if where:
            op["where"] = where
        self._emit(op)
