"""DDL outside a transaction that cannot be re-run after a partial failure."""

from pglast import ast
from pglast.enums import AlterTableType, ObjectType, OnCommitAction

from migsmith.tools.lint import pg

id = "prefer-robust-stmts"
severity = "warning"
category = "taste"
message = "statement outside a transaction without IF [NOT] EXISTS cannot be re-run after a partial failure"
why = """
A migration that runs outside a transaction (necessarily so for CONCURRENTLY statements) and
fails half-way has already applied its first statements. Re-running it then fails on the
objects that exist (or are gone) already, and someone has to repair it by hand. IF NOT EXISTS /
IF EXISTS make each statement idempotent (ADD CONSTRAINT has no such clause: precede it with
DROP CONSTRAINT IF EXISTS). Inside a transaction this is not needed: a failure rolls everything
back. An index without a name is reported too: re-running it silently creates a second copy.
Renames count as well: ALTER TABLE/INDEX/SEQUENCE/VIEW ... RENAME TO needs IF EXISTS, and a
renamed column or constraint has no IF EXISTS at all (the second run fails on the old name), so
it belongs in a DO block that checks the catalog first.
"""
safe_rewrite = """
CREATE TABLE IF NOT EXISTS tbl (...);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_name ON tbl (col);
ALTER TABLE tbl ADD COLUMN IF NOT EXISTS col text;
DROP INDEX CONCURRENTLY IF EXISTS idx_name;
ALTER TABLE tbl DROP CONSTRAINT IF EXISTS tbl_fk;
ALTER TABLE tbl ADD CONSTRAINT tbl_fk FOREIGN KEY (other_id) REFERENCES other (id) NOT VALID;
ALTER INDEX IF EXISTS old_idx RENAME TO new_idx;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_name = 'tbl' AND column_name = 'old_name') THEN
    ALTER TABLE tbl RENAME COLUMN old_name TO new_name;
  END IF;
END $$;
"""

_DROPPABLE = {
    ObjectType.OBJECT_TABLE: "DROP TABLE", ObjectType.OBJECT_INDEX: "DROP INDEX",
    ObjectType.OBJECT_TYPE: "DROP TYPE", ObjectType.OBJECT_VIEW: "DROP VIEW",
    ObjectType.OBJECT_MATVIEW: "DROP MATERIALIZED VIEW", ObjectType.OBJECT_SEQUENCE: "DROP SEQUENCE",
    ObjectType.OBJECT_DOMAIN: "DROP DOMAIN", ObjectType.OBJECT_SCHEMA: "DROP SCHEMA",
}


_RENAMED = {
    ObjectType.OBJECT_TABLE: "ALTER TABLE", ObjectType.OBJECT_INDEX: "ALTER INDEX",
    ObjectType.OBJECT_SEQUENCE: "ALTER SEQUENCE", ObjectType.OBJECT_VIEW: "ALTER VIEW",
    ObjectType.OBJECT_MATVIEW: "ALTER MATERIALIZED VIEW", ObjectType.OBJECT_FOREIGN_TABLE: "ALTER FOREIGN TABLE",
}


def _rename_problem(node):
    if node.renameType in (ObjectType.OBJECT_COLUMN, ObjectType.OBJECT_TABCONSTRAINT):
        what = "COLUMN" if node.renameType == ObjectType.OBJECT_COLUMN else "CONSTRAINT"
        return (f"RENAME {what} {node.subname} TO {node.newname} (a re-run fails on the old name, and "
                f"there is no IF EXISTS for it: check the catalog in a DO block)")
    if node.renameType in _RENAMED and not node.missing_ok:
        return f"{_RENAMED[node.renameType]} ... RENAME TO {node.newname} without IF EXISTS"
    return None


def _problems(node, state):
    if isinstance(node, ast.CreateStmt):
        temp_dropped_at_commit = pg.is_temporary(node.relation) and node.oncommit == OnCommitAction.ONCOMMIT_DROP
        if not node.if_not_exists and not temp_dropped_at_commit:
            yield "CREATE TABLE without IF NOT EXISTS"
    elif isinstance(node, ast.IndexStmt):
        if node.idxname is None:
            yield "CREATE INDEX without a name (a re-run creates a duplicate index)"
        elif not node.if_not_exists:
            yield "CREATE INDEX without IF NOT EXISTS"
    elif isinstance(node, (ast.CreateSeqStmt, ast.CreateExtensionStmt)) and not node.if_not_exists:
        yield f"{'CREATE SEQUENCE' if isinstance(node, ast.CreateSeqStmt) else 'CREATE EXTENSION'} without IF NOT EXISTS"
    elif isinstance(node, ast.DropStmt) and node.removeType in _DROPPABLE and not node.missing_ok:
        yield f"{_DROPPABLE[node.removeType]} without IF EXISTS"
    elif isinstance(node, ast.RenameStmt):
        problem = _rename_problem(node)
        if problem:
            yield problem
    for cmd in pg.alter_cmds(node):
        if cmd.missing_ok:
            continue
        if cmd.subtype == AlterTableType.AT_AddColumn:
            yield "ADD COLUMN without IF NOT EXISTS"
        elif cmd.subtype == AlterTableType.AT_DropColumn:
            yield "DROP COLUMN without IF EXISTS"
        elif cmd.subtype == AlterTableType.AT_DropConstraint:
            yield "DROP CONSTRAINT without IF EXISTS"
        elif cmd.subtype == AlterTableType.AT_AddConstraint and getattr(cmd.def_, "conname", None):
            # ADD CONSTRAINT has no IF NOT EXISTS; a DROP CONSTRAINT IF EXISTS of the same name
            # just before it makes the pair re-runnable.
            if (node.relation.relname, cmd.def_.conname) not in state.dropped_if_exists:
                yield f"ADD CONSTRAINT {cmd.def_.conname} without a DROP CONSTRAINT IF EXISTS before it"


def check(ctx):
    if ctx.in_transaction:
        return
    for problem in _problems(ctx.node, ctx.state):
        yield ctx.hit(f"{problem}: re-running the migration after a partial failure fails here")
