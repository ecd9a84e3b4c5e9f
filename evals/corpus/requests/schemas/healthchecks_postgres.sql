-- Healthchecks (healthchecks/healthchecks), PostgreSQL, Django migrations. Written for the
-- request corpus: the Django tables the requests touch, as they stood before those
-- migrations (simplified; Django keeps model defaults in Python, not in the database).
CREATE TABLE auth_user (
    id serial PRIMARY KEY,
    username varchar(150) NOT NULL UNIQUE,
    email varchar(254) NOT NULL,
    date_joined timestamptz NOT NULL
);

CREATE TABLE accounts_project (
    id serial PRIMARY KEY,
    code uuid NOT NULL UNIQUE,
    name varchar(200) NOT NULL,
    owner_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
    api_key varchar(128) NOT NULL,
    api_key_readonly varchar(128) NOT NULL,
    badge_key varchar(150) NOT NULL UNIQUE
);

CREATE TABLE accounts_profile (
    id serial PRIMARY KEY,
    user_id integer NOT NULL UNIQUE REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
    next_report_date timestamptz,
    reports_allowed boolean NOT NULL,
    bill_to text NOT NULL,
    api_key varchar(128) NOT NULL,
    api_key_id varchar(128) NOT NULL,
    api_key_readonly varchar(128) NOT NULL,
    check_limit integer NOT NULL,
    team_limit integer NOT NULL,
    sort varchar(20) NOT NULL
);

CREATE TABLE accounts_member (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
    project_id integer NOT NULL REFERENCES accounts_project (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX accounts_member_user_id_idx ON accounts_member (user_id);
CREATE INDEX accounts_member_project_id_idx ON accounts_member (project_id);

CREATE TABLE api_check (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    code uuid NOT NULL UNIQUE,
    project_id integer NOT NULL REFERENCES accounts_project (id) DEFERRABLE INITIALLY DEFERRED,
    kind varchar(10) NOT NULL,
    timeout interval NOT NULL,
    grace interval NOT NULL,
    subject varchar(200) NOT NULL,
    subject_fail varchar(200) NOT NULL,
    status varchar(6) NOT NULL,
    last_ping timestamptz,
    created timestamptz NOT NULL
);

CREATE TABLE api_channel (
    id serial PRIMARY KEY,
    code uuid NOT NULL UNIQUE,
    kind varchar(20) NOT NULL,
    value text NOT NULL,
    name varchar(100) NOT NULL,
    project_id integer NOT NULL REFERENCES accounts_project (id) DEFERRABLE INITIALLY DEFERRED,
    disabled boolean,
    created timestamptz NOT NULL
);

CREATE TABLE api_ping (
    id bigserial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES api_check (id) DEFERRABLE INITIALLY DEFERRED,
    n integer,
    created timestamptz NOT NULL,
    kind varchar(6),
    scheme varchar(10) NOT NULL,
    remote_addr inet,
    method varchar(10) NOT NULL,
    ua varchar(200) NOT NULL,
    body text
);

CREATE TABLE api_flip (
    id serial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES api_check (id) DEFERRABLE INITIALLY DEFERRED,
    created timestamptz NOT NULL,
    processed timestamptz,
    old_status varchar(8) NOT NULL,
    new_status varchar(8) NOT NULL
);
