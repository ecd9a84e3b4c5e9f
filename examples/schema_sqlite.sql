-- The example application schema (examples/schema.sql) for SQLite 3.35+.
-- Row counts are hints for duration estimates (a DDL file carries none of its own).

-- migsmith: rows=10000
CREATE TABLE orgs (
    id integer PRIMARY KEY,
    name text NOT NULL,
    created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migsmith: rows=1200000
CREATE TABLE users (
    id integer PRIMARY KEY,
    org_id integer REFERENCES orgs (id),
    email text NOT NULL,
    name text,
    email_confirmed_at text,
    legacy_avatar text,
    created text NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migsmith: rows=4500000
CREATE TABLE posts (
    id integer PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id),
    title text NOT NULL,
    body text,
    views integer NOT NULL DEFAULT 0,
    status varchar(20),
    created text NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX posts_user_id_idx ON posts (user_id);
CREATE INDEX posts_created_idx ON posts (created);

-- migsmith: rows=9000000
CREATE TABLE comments (
    id integer PRIMARY KEY,
    post_id integer NOT NULL,
    author_id integer,
    body text NOT NULL,
    created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP
);
