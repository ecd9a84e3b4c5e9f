-- Example application schema used by the README's first command and the eval suite.
-- Row counts are hints for duration estimates (a DDL file carries none of its own).

-- migsmith: rows=10000
CREATE TABLE orgs (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migsmith: rows=1200000
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    org_id bigint REFERENCES orgs (id),
    email text NOT NULL,
    name text,
    email_confirmed_at timestamptz,
    legacy_avatar text,
    created timestamp NOT NULL DEFAULT now()
);

-- migsmith: rows=4500000
CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    title text NOT NULL,
    body text,
    views integer NOT NULL DEFAULT 0,
    status varchar(20),
    created timestamp NOT NULL DEFAULT now()
);
CREATE INDEX posts_user_id_idx ON posts (user_id);
CREATE INDEX posts_created_idx ON posts (created);

-- migsmith: rows=9000000
CREATE TABLE comments (
    id bigserial PRIMARY KEY,
    post_id bigint NOT NULL,
    author_id bigint,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
