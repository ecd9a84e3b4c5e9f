-- Lobsters (lobsters/lobsters), SQLite era (2025 on), Rails migrations. Written for the
-- request corpus: the tables the requests touch, as they stood before those migrations.
CREATE TABLE users (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    username varchar(50) NOT NULL,
    email varchar(100) NOT NULL,
    created_at datetime(6) NOT NULL
);
CREATE UNIQUE INDEX index_users_on_username ON users (username);

CREATE TABLE keystores (
    id integer,
    "key" varchar(50) DEFAULT '' NOT NULL,
    value bigint
);
CREATE UNIQUE INDEX "key" ON keystores ("key");

CREATE TABLE messages (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    created_at datetime(6) NOT NULL,
    author_user_id bigint,
    recipient_user_id bigint NOT NULL,
    has_been_read boolean DEFAULT 0,
    subject varchar(100),
    body text,
    short_id varchar(30)
);

CREATE TABLE stories (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    created_at datetime(6),
    user_id bigint NOT NULL,
    title varchar(150) DEFAULT '' NOT NULL,
    short_id varchar(6) DEFAULT '' NOT NULL,
    hotness decimal(20,10) DEFAULT 0.0 NOT NULL,
    merged_story_id bigint,
    CONSTRAINT stories_merged_story_id_fk FOREIGN KEY (merged_story_id) REFERENCES stories (id)
);
CREATE INDEX index_stories_on_merged_story_id ON stories (merged_story_id);
CREATE INDEX hotness_idx ON stories (hotness);

CREATE TABLE tags (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    tag varchar(25) NOT NULL,
    description varchar(100),
    hotness_mod float DEFAULT 0.0
);

CREATE TABLE suggested_taggings (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    story_id bigint NOT NULL,
    tag_id bigint NOT NULL,
    user_id bigint NOT NULL
);

CREATE TABLE mod_activities (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    item_type varchar NOT NULL,
    item_id bigint NOT NULL,
    token varchar NOT NULL,
    created_at datetime(6) NOT NULL,
    updated_at datetime(6) NOT NULL
);
CREATE UNIQUE INDEX index_mod_activities_on_item_type_and_item_id ON mod_activities (item_type, item_id);
CREATE INDEX index_mod_activities_on_item ON mod_activities (item_type, item_id);
CREATE UNIQUE INDEX index_mod_activities_on_token ON mod_activities (token);
