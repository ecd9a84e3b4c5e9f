-- Atuin (atuinsh/atuin), client-side SQLite databases, sqlx migrations. Written for the
-- request corpus: the history, record store and scripts tables as they stood before the
-- migrations the requests come from (the client keeps them in separate files; one file here).
CREATE TABLE history (
    id text PRIMARY KEY,
    timestamp integer NOT NULL,
    duration integer NOT NULL,
    exit integer NOT NULL,
    command text NOT NULL,
    cwd text NOT NULL,
    session text NOT NULL,
    hostname text NOT NULL,
    deleted_at integer,
    UNIQUE (timestamp, cwd, command)
);
CREATE INDEX idx_history_timestamp ON history (timestamp);
CREATE INDEX idx_history_command ON history (command);

CREATE TABLE events (
    id text PRIMARY KEY,
    timestamp integer NOT NULL,
    hostname text NOT NULL,
    event_type text NOT NULL,
    history_id text NOT NULL
);
CREATE UNIQUE INDEX history_event_idx ON events (event_type, history_id);

CREATE TABLE store (
    id text PRIMARY KEY,
    idx integer,
    host text NOT NULL,
    tag text NOT NULL,
    timestamp integer NOT NULL,
    version text NOT NULL,
    data blob NOT NULL,
    cek blob NOT NULL
);
CREATE UNIQUE INDEX record_uniq ON store (host, tag, idx);

CREATE TABLE scripts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    shebang TEXT NOT NULL,
    script TEXT NOT NULL,
    inserted_at INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);
