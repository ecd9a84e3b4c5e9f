"""InnoDB online DDL: the ALGORITHM/LOCK clause each ALTER names, with its reason, and the
metadata locks each statement takes (performance_schema.metadata_locks names).
"""

from __future__ import annotations

from migsmith.tools.planning import actions as A
from migsmith.tools.planning.plan import ExpectedLock, LockInfo
from migsmith.tools.spec.expressions import is_volatile
from migsmith.tools.spec.identifiers import sql_string

# Metadata lock types (performance_schema.metadata_locks.LOCK_TYPE).
MDL_EXCLUSIVE = "EXCLUSIVE"  # brief, at the start and end of every ALTER; blocks everything

MDL_SHARED_UPGRADABLE = "SHARED_UPGRADABLE"  # online DDL while it works: reads and writes go on

MDL_SHARED_NO_WRITE = "SHARED_NO_WRITE"  # ALGORITHM=COPY / LOCK=SHARED: writes wait

MDL_SHARED_WRITE = "SHARED_WRITE"  # DML (the backfill)

MDL_SHARED_READ = "SHARED_READ"

_BLOCKS = {
    MDL_EXCLUSIVE: (True, True),
    MDL_SHARED_NO_WRITE: (False, True),
    MDL_SHARED_UPGRADABLE: (False, False),
    MDL_SHARED_WRITE: (False, False),
    MDL_SHARED_READ: (False, False),
}

INSTANT = "ALGORITHM=INSTANT"

INPLACE = "ALGORITHM=INPLACE, LOCK=NONE"

COPY = "ALGORITHM=COPY, LOCK=SHARED"

class MySQLOnline:
    """Algorithms, guards and metadata locks per action."""

    def action_in_transaction(self, action: A.Action) -> bool:
        return False

    def lock_info(self, mode: str) -> LockInfo:
        reads, writes = _BLOCKS.get(mode, (True, True))
        return LockInfo(mode=mode, blocks_reads=reads, blocks_writes=writes)

    def online_rule(self, action: A.Action) -> tuple[str, str]:
        """(ALGORITHM/LOCK clause, reason) for one ALTER TABLE action."""
        mdb = self.is_mariadb
        match action:
            case A.AddColumn(column=col):
                if col.default is not None and is_volatile(col.default, "mysql"):
                    return COPY, ("a non-deterministic default is computed per row: only "
                                  "ALGORITHM=COPY can add it")
                return INSTANT, ("adding a column is INSTANT (MySQL 8.0.12+, MariaDB 10.3+): "
                                 "metadata only")
            case A.DropColumn() | A.RestoreColumn():
                if isinstance(action, A.RestoreColumn):
                    return INSTANT, "re-adding the column is INSTANT"
                if self.instant_drop_column:
                    return INSTANT, ("dropping a column is INSTANT (MySQL 8.0.29+, "
                                     "MariaDB 10.4+)")
                return INPLACE, ("dropping a column rebuilds the table in place; reads and "
                                 "writes continue (LOCK=NONE)")
            case A.RenameColumn():
                if self.instant_rename_column:
                    return INSTANT, "renaming a column is INSTANT (MySQL 8.0.28+, MariaDB 10.5+)"
                return INPLACE, "renaming a column is in place, metadata only"
            case A.SetNotNull() | A.DropNotNull():
                return INPLACE, ("changing NULL / NOT NULL rebuilds the table in place; reads and "
                                 "writes continue (LOCK=NONE)")
            case A.AlterColumnType(old_type=old, new_type=new):
                ob, nb = self.varchar_bytes(old), self.varchar_bytes(new)
                # the length prefix grows from one byte to two at 256 bytes: crossing it is a
                # copy on MariaDB too (measured on 10.11: sakila's VARCHAR(45) -> (100))
                if ob and nb and nb >= ob and (ob < 256) == (nb < 256):
                    if mdb:
                        return INSTANT, ("extending a VARCHAR within the same length-prefix "
                                         "size is INSTANT on MariaDB 10.4+")
                    return INPLACE, ("extending a VARCHAR within the same length-byte size "
                                     "(both under or both over 256 bytes) is in place")
                return COPY, (f"{old} -> {new} changes the stored data: only ALGORITHM=COPY "
                              "can do it, and it blocks writes for the whole copy")
            case A.SetDefault() | A.DropDefault():
                return INSTANT, "changing a default is INSTANT: metadata only"
            case A.CreateIndex() | A.DropIndex():
                return INPLACE, ("index builds and drops are in place: reads and writes continue "
                                 "(LOCK=NONE); the build is logged and replayed at the end")
            case A.AddConstraint(constraint=con, not_valid=True) if (
                    con.kind == "foreign_key" and mdb):
                return INSTANT, ("with foreign_key_checks=0 MariaDB adds a foreign key as "
                                 "metadata only (INSTANT); existing rows are checked by the "
                                 "step's precondition instead")
            case A.AddConstraint(constraint=con, not_valid=False) if con.kind == "foreign_key":
                return COPY, ("with foreign_key_checks on, InnoDB validates the existing rows "
                              "by copying the table (writes wait)")
            case A.AddConstraint(constraint=con) if con.kind == "foreign_key":
                return INPLACE, ("a foreign key is added in place only with foreign_key_checks=0 "
                                 "(otherwise ALGORITHM=COPY); existing rows are checked by the "
                                 "step's precondition instead")
            case A.AddConstraint(constraint=con) if con.kind in ("unique", "primary_key"):
                return INPLACE, "a unique key is an index build in place (LOCK=NONE)"
            case A.AddConstraint():
                return COPY, ("adding a CHECK constraint validates every row with "
                              "ALGORITHM=COPY, blocking writes (measured on MariaDB 10.11)")
            case A.DropConstraint(constraint=con):
                if con.kind == "check" and mdb:
                    return INSTANT, "dropping a CHECK constraint is INSTANT"
                return INPLACE, "dropping a constraint is in place, metadata only"
        return "", ""

    def online(self, action: A.Action) -> str:
        clause, _ = self.online_rule(action)
        return f", {clause}" if clause else ""

    def guard(self, statement: str, kind: str, table: str, name: str, present: bool,
              always: bool = False) -> str:
        """Run ``statement`` only if the column/index/constraint ``name`` is ``present`` (or
        absent). MariaDB says IF [NOT] EXISTS in the statement itself (see if_exists); MySQL 8
        has no such clause for columns, indexes and constraints, so the statement is prepared
        from a string chosen by an information_schema lookup (``always``: also on MariaDB, for
        statements with no IF EXISTS there, such as RENAME INDEX). Either way a down can follow
        an up that stopped part way."""
        from migsmith.tools.dialects.base import _expect
        from migsmith.tools.planning.parse_back import statement_kind

        statement = statement.strip()
        if (self.if_exists_ddl and not always) or not statement:
            _expect(statement_kind(statement)) if statement else None
            return statement
        _expect("SET", "PREPARE", "EXECUTE", "DEALLOCATE")
        view, column = {"column": ("COLUMNS", "COLUMN_NAME"), "index": ("STATISTICS", "INDEX_NAME"),
                        "constraint": ("TABLE_CONSTRAINTS", "CONSTRAINT_NAME")}[kind]
        exists = (f"EXISTS (SELECT 1 FROM information_schema.{view} WHERE TABLE_SCHEMA = "
                  f"DATABASE() AND TABLE_NAME = {sql_string(table, 'mysql')} AND {column} = "
                  f"{sql_string(name, 'mysql')})")
        body = statement.rstrip(";")
        return (f"SET @migsmith_sql = IF({'' if present else 'NOT '}{exists},\n"
                f"    {sql_string(body, 'mysql')}, 'DO 0');\n"
                "PREPARE migsmith_stmt FROM @migsmith_sql;\nEXECUTE migsmith_stmt;\n"
                "DEALLOCATE PREPARE migsmith_stmt;")

    def if_exists(self) -> str:
        return "IF EXISTS " if self.if_exists_ddl else ""

    def if_not_exists(self) -> str:
        return "IF NOT EXISTS " if self.if_exists_ddl else ""

    def expected_locks(self, action: A.Action) -> list[ExpectedLock]:
        def lock(table, mode):
            return [ExpectedLock(table=table, mode=mode)]

        clause, _ = self.online_rule(action)
        table = getattr(action, "table", None)
        match action:
            case A.CreateIndex(index=idx) | A.DropIndex(index=idx):
                table = idx.table
            case A.AddConstraint(constraint=con) | A.DropConstraint(constraint=con):
                table = con.table
                if con.kind == "foreign_key" and con.ref_table:
                    return lock(table, MDL_SHARED_UPGRADABLE) + lock(con.ref_table, MDL_SHARED_READ)
            case A.Backfill(table=t):
                return lock(t, MDL_SHARED_WRITE)
            case A.SyncTrigger(table=t) | A.DropSyncTrigger(sync=A.SyncTrigger(table=t)):
                return lock(t, MDL_EXCLUSIVE)
            case A.RawComment() | A.Analyze() | A.ValidateConstraint():
                return []
            case A.CreateTable(table=tb) | A.DropTable(table=tb) | A.RestoreTable(table=tb):
                return lock(tb.name, MDL_EXCLUSIVE)
            case A.CreateView(table=t) | A.DropView(table=t):
                return lock(t, MDL_SHARED_READ)
        name = table.name if hasattr(table, "name") else table
        if not name:
            return []
        if clause.startswith("ALGORITHM=COPY"):
            return lock(name, MDL_SHARED_NO_WRITE)
        if clause == INPLACE:
            return lock(name, MDL_SHARED_UPGRADABLE)
        return lock(name, MDL_EXCLUSIVE)
