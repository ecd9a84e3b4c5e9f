-- Plume (Rust/Diesel) on PostgreSQL, reconstructed by hand for the held-out request corpus.
-- A composite of the tables as they stood just before the migrations/postgres/*/up.sql files
-- the requests come from (Plume-org/Plume, 2018-2022); no request depends on another.

CREATE TABLE instances (
    id SERIAL PRIMARY KEY,
    local_domain VARCHAR NOT NULL,
    public_domain VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    local BOOLEAN NOT NULL DEFAULT 'f',
    blocked BOOLEAN NOT NULL DEFAULT 'f',
    creation_date TIMESTAMP NOT NULL DEFAULT now(),
    open_registrations BOOLEAN NOT NULL DEFAULT 't',
    short_description TEXT NOT NULL DEFAULT '',
    long_description TEXT NOT NULL DEFAULT '',
    default_license TEXT NOT NULL DEFAULT 'CC-0'
);

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    username VARCHAR NOT NULL,
    display_name VARCHAR NOT NULL DEFAULT '',
    outbox_url VARCHAR NOT NULL,
    inbox_url VARCHAR NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT 'f',
    summary TEXT NOT NULL DEFAULT '',
    email TEXT,
    hashed_password TEXT,
    instance_id INTEGER REFERENCES instances(id) ON DELETE CASCADE NOT NULL,
    creation_date TIMESTAMP NOT NULL DEFAULT now(),
    ap_url TEXT NOT NULL DEFAULT '',
    private_key TEXT,
    public_key TEXT NOT NULL DEFAULT '',
    shared_inbox_url VARCHAR,
    followers_endpoint VARCHAR NOT NULL DEFAULT '',
    avatar_id INTEGER
);

CREATE TABLE medias (
    id SERIAL PRIMARY KEY,
    file_path TEXT NOT NULL DEFAULT '',
    alt_text TEXT NOT NULL DEFAULT '',
    is_remote BOOLEAN NOT NULL DEFAULT 'f',
    remote_url TEXT,
    sensitive BOOLEAN NOT NULL DEFAULT 'f',
    content_warning TEXT,
    owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE NOT NULL
);

ALTER TABLE users ADD CONSTRAINT users_avatar_id_fkey FOREIGN KEY (avatar_id) REFERENCES medias(id) ON DELETE CASCADE;

CREATE TABLE blogs (
    id SERIAL PRIMARY KEY,
    actor_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    outbox_url VARCHAR NOT NULL,
    inbox_url VARCHAR NOT NULL,
    instance_id INTEGER REFERENCES instances(id) ON DELETE CASCADE NOT NULL,
    creation_date TIMESTAMP NOT NULL DEFAULT now(),
    ap_url TEXT NOT NULL DEFAULT '',
    private_key TEXT,
    public_key TEXT NOT NULL DEFAULT '',
    fqn TEXT NOT NULL DEFAULT ''
);

CREATE TABLE posts (
    id SERIAL PRIMARY KEY,
    blog_id INTEGER REFERENCES blogs(id) ON DELETE CASCADE NOT NULL,
    slug VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT 'f',
    license VARCHAR NOT NULL DEFAULT 'CC-0',
    creation_date TIMESTAMP NOT NULL DEFAULT now(),
    ap_url VARCHAR NOT NULL DEFAULT '',
    subtitle TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    cover_id INTEGER DEFAULT NULL,
    CONSTRAINT posts_cover_id_fkey FOREIGN KEY (cover_id) REFERENCES medias(id)
);

CREATE TABLE follows (
    id SERIAL PRIMARY KEY,
    follower_id INTEGER REFERENCES users(id) ON DELETE CASCADE NOT NULL,
    following_id INTEGER REFERENCES users(id) ON DELETE CASCADE NOT NULL
);

CREATE TABLE notifications (
    id SERIAL PRIMARY KEY,
    title VARCHAR NOT NULL DEFAULT '',
    content TEXT,
    link VARCHAR,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE NOT NULL,
    creation_date TIMESTAMP NOT NULL DEFAULT now(),
    data VARCHAR
);

CREATE TABLE tags (
    id SERIAL PRIMARY KEY,
    tag TEXT NOT NULL DEFAULT '',
    is_hastag BOOLEAN NOT NULL DEFAULT 'f',
    post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE NOT NULL
);

CREATE TABLE email_blocklist (
    id SERIAL PRIMARY KEY,
    email_address TEXT UNIQUE,
    note TEXT,
    notify_user BOOLEAN DEFAULT FALSE,
    notification_text TEXT
);
