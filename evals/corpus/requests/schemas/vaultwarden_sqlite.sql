-- Vaultwarden (dani-garcia/vaultwarden), SQLite, Diesel migrations. Written for the request
-- corpus: the tables the requests touch, as they stood before those migrations.
CREATE TABLE users (
    uuid TEXT NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash BLOB NOT NULL,
    salt BLOB NOT NULL,
    password_iterations INTEGER NOT NULL,
    akey TEXT NOT NULL,
    security_stamp TEXT NOT NULL
);

CREATE TABLE organizations (
    uuid TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    billing_email TEXT NOT NULL
);

CREATE TABLE ciphers (
    uuid TEXT NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    user_uuid TEXT REFERENCES users (uuid),
    organization_uuid TEXT REFERENCES organizations (uuid),
    atype INTEGER NOT NULL,
    name TEXT NOT NULL,
    notes TEXT,
    data TEXT NOT NULL,
    deleted_at DATETIME
);

CREATE TABLE collections (
    uuid TEXT NOT NULL PRIMARY KEY,
    org_uuid TEXT NOT NULL REFERENCES organizations (uuid),
    name TEXT NOT NULL
);

CREATE TABLE devices (
    uuid TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    user_uuid TEXT NOT NULL REFERENCES users (uuid),
    name TEXT NOT NULL,
    atype INTEGER NOT NULL,
    push_token TEXT,
    refresh_token TEXT NOT NULL,
    twofactor_remember TEXT,
    PRIMARY KEY (uuid, user_uuid)
);

CREATE TABLE twofactor (
    uuid TEXT NOT NULL PRIMARY KEY,
    user_uuid TEXT NOT NULL REFERENCES users (uuid),
    atype INTEGER NOT NULL,
    enabled BOOLEAN NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (user_uuid, atype)
);

CREATE TABLE sends (
    uuid TEXT NOT NULL PRIMARY KEY,
    user_uuid TEXT REFERENCES users (uuid),
    organization_uuid TEXT REFERENCES organizations (uuid),
    name TEXT NOT NULL,
    notes TEXT,
    atype INTEGER NOT NULL,
    data TEXT NOT NULL,
    key TEXT NOT NULL,
    password_hash BLOB,
    access_count INTEGER NOT NULL,
    creation_date DATETIME NOT NULL,
    revision_date DATETIME NOT NULL,
    deletion_date DATETIME NOT NULL,
    disabled BOOLEAN NOT NULL
);

CREATE TABLE sso_auth (
    state TEXT NOT NULL PRIMARY KEY,
    client_challenge TEXT NOT NULL,
    nonce TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_response TEXT,
    auth_response TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
