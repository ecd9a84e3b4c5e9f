"""PostgreSQL lock modes: what each statement takes, what that blocks, and which locks a step
takes up front. Mode names are the ones pg_locks reports.
"""

from __future__ import annotations

from migsmith.tools.planning import actions as A
from migsmith.tools.planning.plan import ExpectedLock, LockInfo

ACCESS_EXCLUSIVE = "AccessExclusiveLock"

SHARE_UPDATE_EXCLUSIVE = "ShareUpdateExclusiveLock"

SHARE_ROW_EXCLUSIVE = "ShareRowExclusiveLock"

SHARE = "ShareLock"

ROW_EXCLUSIVE = "RowExclusiveLock"

ACCESS_SHARE = "AccessShareLock"

ROW_SHARE = "RowShareLock"

# What each lock mode blocks for ordinary traffic (SELECT takes AccessShare, DML RowExclusive).
_BLOCKS = {
    ACCESS_EXCLUSIVE: (True, True),
    "ExclusiveLock": (False, True),
    SHARE_ROW_EXCLUSIVE: (False, True),
    SHARE: (False, True),
    SHARE_UPDATE_EXCLUSIVE: (False, False),
    ROW_EXCLUSIVE: (False, False),
    ROW_SHARE: (False, False),
    ACCESS_SHARE: (False, False),
}

_LEVEL = {ACCESS_SHARE: 1, ROW_SHARE: 2, ROW_EXCLUSIVE: 3, SHARE_UPDATE_EXCLUSIVE: 4, SHARE: 5,
          SHARE_ROW_EXCLUSIVE: 6, "ExclusiveLock": 7, ACCESS_EXCLUSIVE: 8}

_MODE_SQL = {ACCESS_SHARE: "ACCESS SHARE", ROW_SHARE: "ROW SHARE", ROW_EXCLUSIVE: "ROW EXCLUSIVE",
             SHARE_UPDATE_EXCLUSIVE: "SHARE UPDATE EXCLUSIVE", SHARE: "SHARE",
             SHARE_ROW_EXCLUSIVE: "SHARE ROW EXCLUSIVE", "ExclusiveLock": "EXCLUSIVE",
             ACCESS_EXCLUSIVE: "ACCESS EXCLUSIVE"}

class PostgresLocks:
    """Lock modes per action, transactions per action, and the locks a step takes first."""

    def action_in_transaction(self, action: A.Action) -> bool:
        """False for what must commit on its own: concurrent index builds, batched backfills,
        and validation scans (inside a transaction that also added the constraint, the scan
        would run under that statement's ACCESS EXCLUSIVE lock)."""
        match action:
            case A.CreateIndex() | A.DropIndex():
                return not action.concurrently
            case A.Backfill():
                return action.batch_size == 0
            case A.ValidateConstraint():
                return False
            case A.SetNotNull():
                return action.check is None
            case A.RestoreColumn():
                return not action.online
        return True

    def locks_to_take(self, actions: list[A.Action]) -> list[tuple[str, str]]:
        created = {a.table.name for a in actions if isinstance(a, (A.CreateTable, A.RestoreTable))}
        created |= {a.name for a in actions if isinstance(a, A.CreateView)}
        # LOCK TABLE on a view also locks every table in its query, in the same mode: locking
        # the compatibility view up front would hold ACCESS EXCLUSIVE on the renamed table
        # itself, which DROP VIEW never takes. Found by migsmith verify (observed locks).
        created |= {a.name for a in actions if isinstance(a, A.DropView)}
        # so do the views re-created around a change (their locks are taken by the
        # statements themselves, briefly)
        created |= {a.name for a in actions if isinstance(a, (A.DefineObject, A.DropObject,
                                                               A.ReplaceObject))
                    and a.kind in ("view", "materialized_view")}
        created |= {n for a in actions if isinstance(a, A.RenameView)
                    for n in (a.name, a.new_name)}
        # A table renamed in this step is locked under its old name; its new name does not
        # exist yet when the locks are taken. Found by migsmith verify.
        created |= {a.new_name for a in actions if isinstance(a, A.RenameTable)}
        strongest: dict[str, str] = {}
        for action in actions:
            for lock in self.expected_locks(action):
                if lock.table in created:
                    continue
                if _LEVEL.get(lock.mode, 8) > _LEVEL.get(strongest.get(lock.table, ""), 0):
                    strongest[lock.table] = lock.mode
        # first-mention order: the order the step's own statements would take them
        return [(table, _MODE_SQL[mode]) for table, mode in strongest.items()
                if _BLOCKS.get(mode, (True, True))[1]]

    def lock_only(self, actions: list[A.Action]) -> set[str]:
        # CREATE INDEX ... ON ONLY and ATTACH lock the partitioned table alone; a plain LOCK
        # TABLE on it would lock every partition too. Found by migsmith verify.
        alone = {a.index.table for a in actions if isinstance(a, A.CreateIndex) and a.only}
        alone |= {a.table for a in actions if isinstance(a, A.AttachIndex)}
        others = {lk.table for a in actions
                  if not (isinstance(a, A.AttachIndex) or isinstance(a, A.CreateIndex) and a.only)
                  for lk in self.expected_locks(a)}
        return alone - others

    def lock_timeout_ms(self, actions, options, statement_ms: int) -> int:
        modes = {lk.mode for a in actions for lk in self.expected_locks(a)}
        if modes and all(not _BLOCKS.get(m, (True, True))[1] for m in modes) \
                and not any(isinstance(a, A.Backfill) for a in actions):
            return max(options.lock_timeout_ms, statement_ms or 0)
        return options.lock_timeout_ms

    def lock_info(self, mode: str) -> LockInfo:
        reads, writes = _BLOCKS.get(mode, (True, True))
        return LockInfo(mode=mode, blocks_reads=reads, blocks_writes=writes)

    def expected_locks(self, action: A.Action) -> list[ExpectedLock]:
        """What ``action`` locks: on a partitioned table, every partition too (PostgreSQL
        recurses), except for the statements made to stay on the parent (ON ONLY, ATTACH)."""
        locks = self._own_locks(action)
        if isinstance(action, A.AttachIndex) or isinstance(action, A.CreateIndex) and action.only:
            return locks
        tree = getattr(self, "partitions", None) or {}
        out = []
        for lk in locks:
            out.append(lk)
            out += [ExpectedLock(table=p, mode=lk.mode) for p in tree.get(lk.table, ())
                    if not any(o.table == p for o in locks)]
        return out

    def _own_locks(self, action: A.Action) -> list[ExpectedLock]:
        def lock(table, mode):
            return [ExpectedLock(table=table, mode=mode)]

        match action:
            case A.CreateIndex(index=idx, concurrently=c):
                return lock(idx.table, SHARE_UPDATE_EXCLUSIVE if c else SHARE)
            case A.DropIndex(index=idx, concurrently=c):
                return lock(idx.table, SHARE_UPDATE_EXCLUSIVE if c else ACCESS_EXCLUSIVE)
            case A.AddConstraint(constraint=con) if con.kind == "foreign_key" and \
                    con.table in (getattr(self, "partitions", None) or {}):
                # On a partitioned table PostgreSQL takes ACCESS EXCLUSIVE on the referenced
                # table, even when it only attaches the partitions' keys. Found by migsmith
                # verify (observed locks, PG 16).
                return lock(con.table, SHARE_ROW_EXCLUSIVE) + lock(con.ref_table, ACCESS_EXCLUSIVE)
            case A.AddConstraint(constraint=con):
                if con.kind == "foreign_key":
                    return lock(con.table, SHARE_ROW_EXCLUSIVE) + lock(con.ref_table, SHARE_ROW_EXCLUSIVE)
                return lock(con.table, ACCESS_EXCLUSIVE)
            case A.ValidateConstraint(table=t, ref_table=ref):
                return lock(t, SHARE_UPDATE_EXCLUSIVE) + (lock(ref, ROW_SHARE) if ref else [])
            case A.DropConstraint(constraint=con):
                extra = lock(con.ref_table, ACCESS_EXCLUSIVE) if con.kind == "foreign_key" else []
                return lock(con.table, ACCESS_EXCLUSIVE) + extra
            case A.LockTable(table=t, mode=m):
                return lock(t, next(k for k, v in _MODE_SQL.items() if v == m))
            case A.Backfill(table=t, keep_columns=keep) if keep:
                # the guard that keeps the table's own triggers from rewriting columns is a
                # trigger: CREATE TRIGGER takes SHARE ROW EXCLUSIVE, DROP TRIGGER ACCESS
                # EXCLUSIVE (each in a lock-retried DO block, briefly)
                return lock(t, ROW_EXCLUSIVE) + lock(t, SHARE_ROW_EXCLUSIVE) + \
                    lock(t, ACCESS_EXCLUSIVE)
            case A.Backfill(table=t):
                return lock(t, ROW_EXCLUSIVE)
            case A.SyncTrigger(table=t):
                return lock(t, SHARE_ROW_EXCLUSIVE)
            case A.DropSyncTrigger(sync=s):
                return lock(s.table, ACCESS_EXCLUSIVE)
            case A.Analyze(table=t):
                return lock(t, SHARE_UPDATE_EXCLUSIVE)
            case A.CreateView(table=t):
                return lock(t, ACCESS_SHARE)
            case A.DropView(name=n):
                return lock(n, ACCESS_EXCLUSIVE)
            case A.CreateTable(table=tb):
                return lock(tb.name, ACCESS_EXCLUSIVE)
            case A.RenameTable(table=t):
                return lock(t, ACCESS_EXCLUSIVE)
            case A.RawComment():
                return []
            case A.AttachIndex(table=t):
                return lock(t, SHARE_UPDATE_EXCLUSIVE)
            case A.DefineObject(kind=k, table=t) | A.DropObject(kind=k, table=t) | \
                    A.ReplaceObject(kind=k, table=t):
                if k == "function":
                    return []
                if k == "trigger" and isinstance(action, A.DefineObject):
                    return lock(t, SHARE_ROW_EXCLUSIVE)
                return lock(t, ACCESS_EXCLUSIVE)
            case A.RenameView(name=n, new_name=m):
                return lock(n, ACCESS_EXCLUSIVE) + lock(m, ACCESS_EXCLUSIVE)
            case _:
                table = getattr(action, "table", None)
                name = table.name if hasattr(table, "name") else table
                return lock(name, ACCESS_EXCLUSIVE) if name else []
