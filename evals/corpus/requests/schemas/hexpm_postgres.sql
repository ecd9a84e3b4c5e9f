-- hex.pm (hexpm/hexpm), PostgreSQL, Ecto migrations. Written for the request corpus: the
-- tables and columns the requests touch, as they stood before those migrations (simplified).
CREATE TABLE users (
    id serial PRIMARY KEY,
    username varchar(255) NOT NULL,
    password text NOT NULL,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);
CREATE UNIQUE INDEX users_username_idx ON users (lower(username));

CREATE TABLE organizations (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    public boolean NOT NULL DEFAULT false,
    billing_active boolean NOT NULL DEFAULT false,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);

CREATE TABLE repositories (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    public boolean NOT NULL DEFAULT false,
    organization_id integer REFERENCES organizations (id)
);

CREATE TABLE packages (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    repository_id integer NOT NULL REFERENCES repositories (id),
    meta jsonb,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);

CREATE TABLE releases (
    id serial PRIMARY KEY,
    package_id integer NOT NULL REFERENCES packages (id),
    version varchar(255) NOT NULL,
    checksum varchar(255) NOT NULL,
    meta jsonb,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);

CREATE TABLE requirements (
    id serial PRIMARY KEY,
    release_id integer NOT NULL REFERENCES releases (id),
    dependency_id integer NOT NULL REFERENCES packages (id),
    requirement varchar(255) NOT NULL,
    optional boolean NOT NULL DEFAULT false
);
CREATE INDEX requirements_dependency_id_index ON requirements (dependency_id);

CREATE TABLE downloads (
    id serial PRIMARY KEY,
    release_id integer NOT NULL REFERENCES releases (id),
    downloads integer NOT NULL,
    day date NOT NULL
);

CREATE TABLE keys (
    id serial PRIMARY KEY,
    user_id integer REFERENCES users (id),
    name varchar(255) NOT NULL,
    secret_first varchar(255) NOT NULL,
    secret_second varchar(255) NOT NULL,
    revoke_at timestamp,
    inserted_at timestamp(0) NOT NULL
);

CREATE TABLE audit_logs (
    id serial PRIMARY KEY,
    action varchar(255) NOT NULL,
    params jsonb NOT NULL,
    user_id integer REFERENCES users (id),
    key_id integer CONSTRAINT audit_logs_key_id_fkey REFERENCES keys (id) ON DELETE RESTRICT,
    inserted_at timestamp(0) NOT NULL
);

CREATE TABLE oauth_tokens (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_session_id bigint,
    parent_token_id bigint,
    token_first varchar(255) NOT NULL,
    revoked_at timestamp,
    inserted_at timestamp NOT NULL,
    updated_at timestamp NOT NULL
);

CREATE TABLE package_searches (
    id serial PRIMARY KEY,
    package_id integer REFERENCES packages (id),
    term text NOT NULL,
    frequency integer DEFAULT 1,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);
CREATE UNIQUE INDEX package_searches_term_index ON package_searches (term);

CREATE TABLE organization_sso_failures (
    id bigserial PRIMARY KEY,
    organization_id integer NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    reason text NOT NULL,
    inserted_at timestamp NOT NULL
);
