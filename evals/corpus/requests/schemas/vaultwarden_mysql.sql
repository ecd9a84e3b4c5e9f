-- Vaultwarden (dani-garcia/vaultwarden), MySQL/MariaDB, Diesel migrations. Written for the
-- request corpus: the tables the requests touch, as they stood before those migrations.
CREATE TABLE users (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    email VARCHAR(255) NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash BLOB NOT NULL,
    salt BLOB NOT NULL,
    password_iterations INTEGER NOT NULL,
    akey TEXT NOT NULL,
    security_stamp TEXT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE organizations (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    billing_email TEXT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE ciphers (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    user_uuid CHAR(36) NULL REFERENCES users (uuid),
    organization_uuid CHAR(36) NULL REFERENCES organizations (uuid),
    atype INTEGER NOT NULL,
    name TEXT NOT NULL,
    notes TEXT NULL,
    fields TEXT NULL,
    data TEXT NOT NULL,
    password_history TEXT NULL
) ENGINE=InnoDB;

CREATE TABLE collections (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    org_uuid CHAR(36) NOT NULL REFERENCES organizations (uuid),
    name TEXT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE users_collections (
    user_uuid CHAR(36) NOT NULL REFERENCES users (uuid),
    collection_uuid CHAR(36) NOT NULL REFERENCES collections (uuid),
    read_only BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (user_uuid, collection_uuid)
) ENGINE=InnoDB;

CREATE TABLE `groups` (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    organizations_uuid VARCHAR(40) NOT NULL REFERENCES organizations (uuid),
    name VARCHAR(100) NOT NULL,
    access_all BOOLEAN NOT NULL,
    creation_date DATETIME NOT NULL,
    revision_date DATETIME NOT NULL
) ENGINE=InnoDB;

CREATE TABLE collections_groups (
    collections_uuid VARCHAR(40) NOT NULL REFERENCES collections (uuid),
    groups_uuid CHAR(36) NOT NULL REFERENCES `groups` (uuid),
    read_only BOOLEAN NOT NULL,
    hide_passwords BOOLEAN NOT NULL,
    PRIMARY KEY (collections_uuid, groups_uuid)
) ENGINE=InnoDB;

CREATE TABLE twofactor (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    user_uuid CHAR(36) NOT NULL REFERENCES users (uuid),
    atype INTEGER NOT NULL,
    enabled BOOLEAN NOT NULL,
    data TEXT NOT NULL,
    last_used INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_uuid, atype)
) ENGINE=InnoDB;

CREATE TABLE twofactor_incomplete (
    user_uuid CHAR(36) NOT NULL REFERENCES users (uuid),
    device_uuid CHAR(36) NOT NULL,
    device_name TEXT NOT NULL,
    login_time DATETIME NOT NULL,
    ip_address TEXT NOT NULL,
    PRIMARY KEY (user_uuid, device_uuid)
) ENGINE=InnoDB;

CREATE TABLE auth_requests (
    uuid CHAR(36) NOT NULL PRIMARY KEY,
    user_uuid CHAR(36) NOT NULL,
    organization_uuid CHAR(36),
    request_device_identifier CHAR(36) NOT NULL,
    device_type INTEGER NOT NULL,
    request_ip TEXT NOT NULL,
    access_code TEXT NOT NULL,
    public_key TEXT NOT NULL,
    enc_key TEXT NOT NULL,
    master_password_hash TEXT NOT NULL,
    approved BOOLEAN,
    creation_date DATETIME NOT NULL,
    FOREIGN KEY (user_uuid) REFERENCES users (uuid),
    FOREIGN KEY (organization_uuid) REFERENCES organizations (uuid)
) ENGINE=InnoDB;

CREATE TABLE sso_users (
    user_uuid CHAR(36) NOT NULL PRIMARY KEY,
    identifier VARCHAR(768) NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    CONSTRAINT sso_users_ibfk_1 FOREIGN KEY (user_uuid) REFERENCES users (uuid)
) ENGINE=InnoDB;
