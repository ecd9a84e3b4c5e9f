-- Lemmy (LemmyNet/lemmy), PostgreSQL. Written for the request corpus: the tables and columns
-- the requests in tune.jsonl touch, as they stood before those migrations (reconstructed from
-- the project's Diesel migrations; simplified, not a copy of them).
CREATE TYPE post_listing_mode_enum AS ENUM ('List', 'Card', 'SmallCard');

CREATE TABLE instance (
    id serial PRIMARY KEY,
    domain varchar(255) NOT NULL UNIQUE,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE person (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    preferred_username varchar(255),
    actor_id varchar(255) NOT NULL UNIQUE,
    admin boolean NOT NULL DEFAULT false,
    local boolean NOT NULL DEFAULT true,
    instance_id int REFERENCES instance (id),
    public_key text,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE local_user (
    id serial PRIMARY KEY,
    person_id int NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    password_encrypted text NOT NULL,
    theme varchar(20) NOT NULL DEFAULT 'browser',
    default_listing_type smallint NOT NULL DEFAULT 1,
    show_new_post_notifs boolean NOT NULL DEFAULT false,
    totp_2fa_secret text,
    totp_2fa_url text
);

CREATE TABLE community (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    title varchar(255) NOT NULL,
    description text,
    creator_id int REFERENCES person (id),
    actor_id varchar(255) NOT NULL UNIQUE,
    followers_url varchar(255) NOT NULL,
    local boolean NOT NULL DEFAULT true,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE community_person_ban (
    id serial PRIMARY KEY,
    community_id int NOT NULL REFERENCES community (id) ON DELETE CASCADE,
    person_id int NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    published timestamp NOT NULL DEFAULT now(),
    UNIQUE (community_id, person_id)
);

CREATE TABLE person_ban (
    id serial PRIMARY KEY,
    person_id int NOT NULL UNIQUE REFERENCES person (id) ON DELETE CASCADE,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE site (
    id serial PRIMARY KEY,
    name varchar(20) NOT NULL CONSTRAINT site_name_key UNIQUE,
    description text,
    creator_id int REFERENCES person (id),
    actor_id varchar(255) NOT NULL UNIQUE,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE local_site (
    id serial PRIMARY KEY,
    site_id int NOT NULL UNIQUE REFERENCES site (id) ON DELETE CASCADE,
    federation_strict_allowlist boolean NOT NULL DEFAULT true,
    federation_http_fetch_retry_limit int NOT NULL DEFAULT 25,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE post (
    id serial PRIMARY KEY,
    name varchar(200) NOT NULL,
    url text,
    body text,
    creator_id int NOT NULL REFERENCES person (id),
    community_id int NOT NULL REFERENCES community (id),
    embed_html text,
    ap_id varchar(255) NOT NULL DEFAULT 'http://fake.com',
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE comment (
    id serial PRIMARY KEY,
    creator_id int NOT NULL REFERENCES person (id),
    post_id int NOT NULL REFERENCES post (id),
    content text NOT NULL,
    ap_id varchar(255) NOT NULL DEFAULT 'http://fake.com',
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE private_message (
    id serial PRIMARY KEY,
    creator_id int NOT NULL REFERENCES person (id),
    recipient_id int NOT NULL REFERENCES person (id),
    content text NOT NULL,
    ap_id varchar(255) NOT NULL DEFAULT 'http://fake.com',
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE post_report (
    id serial PRIMARY KEY,
    creator_id int NOT NULL REFERENCES person (id),
    post_id int NOT NULL REFERENCES post (id),
    original_post_name varchar(100) NOT NULL,
    reason text NOT NULL,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE comment_report (
    id serial PRIMARY KEY,
    creator_id int NOT NULL REFERENCES person (id),
    comment_id int NOT NULL REFERENCES comment (id),
    original_comment_text text NOT NULL,
    reason text NOT NULL,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE password_reset_request (
    id serial PRIMARY KEY,
    local_user_id int NOT NULL REFERENCES local_user (id) ON DELETE CASCADE,
    token_encrypted text NOT NULL,
    published timestamp NOT NULL DEFAULT now()
);

CREATE TABLE post_saved (
    id serial PRIMARY KEY,
    post_id int NOT NULL REFERENCES post (id),
    person_id int NOT NULL REFERENCES person (id),
    published timestamp NOT NULL DEFAULT now(),
    UNIQUE (post_id, person_id)
);

CREATE TABLE comment_saved (
    id serial PRIMARY KEY,
    comment_id int NOT NULL REFERENCES comment (id),
    person_id int NOT NULL REFERENCES person (id),
    published timestamp NOT NULL DEFAULT now(),
    UNIQUE (comment_id, person_id)
);

CREATE TABLE federation_queue_state (
    id serial PRIMARY KEY,
    instance_id int NOT NULL UNIQUE REFERENCES instance (id),
    last_successful_id bigint NOT NULL,
    fail_count int NOT NULL,
    last_retry timestamptz NOT NULL
);

CREATE TABLE mod_remove_community (
    id serial PRIMARY KEY,
    mod_person_id int NOT NULL REFERENCES person (id),
    community_id int NOT NULL REFERENCES community (id),
    reason text,
    removed boolean DEFAULT true,
    expires timestamp,
    when_ timestamp NOT NULL DEFAULT now()
);

CREATE TABLE mod_lock_post (
    id serial PRIMARY KEY,
    mod_person_id int NOT NULL REFERENCES person (id),
    post_id int NOT NULL REFERENCES post (id),
    locked boolean DEFAULT true,
    when_ timestamp NOT NULL DEFAULT now()
);

CREATE TABLE local_image (
    local_user_id int NOT NULL REFERENCES local_user (id) ON DELETE CASCADE,
    pictrs_alias text PRIMARY KEY,
    pictrs_delete_token text NOT NULL,
    published timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person_actions (
    person_id int NOT NULL REFERENCES person (id),
    target_id int NOT NULL REFERENCES person (id),
    followed timestamptz,
    blocked timestamptz,
    PRIMARY KEY (person_id, target_id)
);

CREATE TABLE instance_actions (
    person_id int NOT NULL REFERENCES person (id),
    instance_id int NOT NULL REFERENCES instance (id),
    blocked_at timestamptz,
    PRIMARY KEY (person_id, instance_id)
);

CREATE TABLE oauth_provider (
    id serial PRIMARY KEY,
    display_name text NOT NULL,
    issuer text NOT NULL,
    client_id text NOT NULL UNIQUE,
    enabled boolean NOT NULL DEFAULT true
);
