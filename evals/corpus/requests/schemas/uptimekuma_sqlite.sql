-- Uptime Kuma (louislam/uptime-kuma), SQLite, the raw SQL patches of db/old_migrations and
-- the knex migrations. Written for the request corpus: the tables the requests touch, as they
-- stood before those patches (simplified, a few columns each).
CREATE TABLE user (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    username VARCHAR(255) NOT NULL UNIQUE,
    password VARCHAR(255),
    active BOOLEAN NOT NULL DEFAULT 1,
    timezone VARCHAR(150)
);

CREATE TABLE monitor (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(150),
    active BOOLEAN NOT NULL DEFAULT 1,
    user_id INTEGER REFERENCES user (id) ON DELETE SET NULL ON UPDATE CASCADE,
    interval INTEGER NOT NULL DEFAULT 20,
    url TEXT,
    type VARCHAR(20),
    weight INTEGER DEFAULT 2000,
    hostname VARCHAR(255),
    port INTEGER,
    created_date DATETIME NOT NULL DEFAULT (DATETIME('now')),
    keyword VARCHAR(255),
    maxretries INTEGER NOT NULL DEFAULT 0,
    body TEXT DEFAULT NULL,
    headers TEXT DEFAULT NULL
);

CREATE TABLE heartbeat (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    important BOOLEAN NOT NULL DEFAULT 0,
    monitor_id INTEGER NOT NULL REFERENCES monitor (id) ON DELETE CASCADE ON UPDATE CASCADE,
    status SMALLINT NOT NULL,
    msg TEXT,
    time DATETIME NOT NULL,
    ping INTEGER,
    duration INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX important ON heartbeat (important);
CREATE INDEX monitor_id ON heartbeat (monitor_id);

CREATE TABLE status_page (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    slug VARCHAR(255) NOT NULL UNIQUE,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    icon VARCHAR(255) NOT NULL,
    theme VARCHAR(30) NOT NULL,
    published BOOLEAN NOT NULL DEFAULT 1,
    search_engine_index BOOLEAN NOT NULL DEFAULT 1,
    show_tags BOOLEAN NOT NULL DEFAULT 0,
    password VARCHAR,
    created_date DATETIME NOT NULL DEFAULT (DATETIME('now')),
    modified_date DATETIME NOT NULL DEFAULT (DATETIME('now'))
);

CREATE TABLE notification (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(255),
    config VARCHAR(255),
    active BOOLEAN NOT NULL DEFAULT 1,
    user_id INTEGER NOT NULL
);
