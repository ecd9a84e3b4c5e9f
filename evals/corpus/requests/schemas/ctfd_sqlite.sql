-- CTFd (CTFd/CTFd), SQLite (its default database), Alembic migrations. Written for the
-- request corpus: the tables the requests touch, as they stood before those migrations.
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(128),
    password VARCHAR(128),
    email VARCHAR(128) UNIQUE,
    type VARCHAR(80),
    verified BOOLEAN,
    created DATETIME
);

CREATE TABLE challenges (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(80),
    description TEXT,
    value INTEGER,
    category VARCHAR(80),
    type VARCHAR(80),
    state VARCHAR(80) NOT NULL
);

CREATE TABLE pages (
    id INTEGER NOT NULL PRIMARY KEY,
    title VARCHAR(80),
    route VARCHAR(128) UNIQUE,
    content TEXT,
    draft BOOLEAN,
    hidden BOOLEAN,
    auth_required BOOLEAN
);

CREATE TABLE awards (
    id INTEGER NOT NULL PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    name VARCHAR(80),
    description TEXT,
    date DATETIME,
    value INTEGER,
    category VARCHAR(80)
);

CREATE TABLE files (
    id INTEGER NOT NULL PRIMARY KEY,
    type VARCHAR(80),
    location TEXT,
    challenge_id INTEGER REFERENCES challenges (id) ON DELETE CASCADE,
    page_id INTEGER REFERENCES pages (id)
);

CREATE TABLE tokens (
    id INTEGER NOT NULL PRIMARY KEY,
    type VARCHAR(32),
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created DATETIME,
    expiration DATETIME,
    value VARCHAR(128) UNIQUE
);
