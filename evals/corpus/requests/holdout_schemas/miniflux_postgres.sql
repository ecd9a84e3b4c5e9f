-- Miniflux (Go, raw SQL migrations in internal/database/migrations.go) on PostgreSQL,
-- reconstructed by hand for the held-out request corpus. A composite of the tables as they
-- stood just before the migrations the requests come from (miniflux/v2); no request depends
-- on another one having run.

CREATE TYPE entry_status AS ENUM ('unread', 'read', 'removed');

CREATE TABLE users (
    id serial NOT NULL,
    username text NOT NULL UNIQUE,
    password text,
    is_admin bool DEFAULT 'f',
    language text DEFAULT 'en_US',
    timezone text DEFAULT 'UTC',
    theme text DEFAULT 'default',
    last_login_at timestamp with time zone,
    double_tap boolean DEFAULT 't',
    PRIMARY KEY (id)
);

CREATE TABLE user_sessions (
    id serial NOT NULL,
    user_id int NOT NULL,
    token text NOT NULL UNIQUE,
    created_at timestamp with time zone DEFAULT now(),
    user_agent text,
    ip text,
    PRIMARY KEY (id),
    UNIQUE (user_id, token),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE categories (
    id serial NOT NULL,
    user_id int NOT NULL,
    title text NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (user_id, title),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE feeds (
    id bigserial NOT NULL,
    user_id int NOT NULL,
    category_id int NOT NULL,
    title text NOT NULL,
    feed_url text NOT NULL,
    site_url text NOT NULL,
    checked_at timestamp with time zone DEFAULT now(),
    etag_header text DEFAULT '',
    last_modified_header text DEFAULT '',
    parsing_error_msg text DEFAULT '',
    parsing_error_count int DEFAULT 0,
    scraper_rules text DEFAULT '',
    rewrite_rules text DEFAULT '',
    crawler boolean DEFAULT 'f',
    PRIMARY KEY (id),
    UNIQUE (user_id, feed_url),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE
);

CREATE TABLE entries (
    id bigserial NOT NULL,
    user_id int NOT NULL,
    feed_id bigint NOT NULL,
    hash text NOT NULL,
    published_at timestamp with time zone NOT NULL,
    title text NOT NULL,
    url text NOT NULL,
    author text,
    content text,
    status entry_status DEFAULT 'unread',
    starred bool DEFAULT 'f',
    document_vectors tsvector,
    PRIMARY KEY (id),
    UNIQUE (feed_id, hash),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    FOREIGN KEY (feed_id) REFERENCES feeds (id) ON DELETE CASCADE
);
CREATE INDEX entries_feed_idx ON entries USING btree (feed_id);
CREATE INDEX document_vectors_idx ON entries USING gin (document_vectors);

CREATE TABLE enclosures (
    id bigserial NOT NULL,
    user_id int NOT NULL,
    entry_id bigint NOT NULL,
    url text NOT NULL,
    size int DEFAULT 0,
    mime_type text DEFAULT '',
    PRIMARY KEY (id),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    FOREIGN KEY (entry_id) REFERENCES entries (id) ON DELETE CASCADE
);

CREATE TABLE integrations (
    user_id int NOT NULL,
    pinboard_enabled bool DEFAULT 'f',
    pinboard_token text DEFAULT '',
    fever_enabled bool DEFAULT 'f',
    fever_username text DEFAULT '',
    fever_password text DEFAULT '',
    fever_token text DEFAULT '',
    wallabag_enabled bool DEFAULT 'f',
    wallabag_url text DEFAULT '',
    PRIMARY KEY (user_id)
);
