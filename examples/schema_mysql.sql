-- The example application schema (examples/schema.sql) for MySQL 8 / MariaDB 10.11+.
-- Row counts are hints for duration estimates (a DDL file carries none of its own).

-- migsmith: rows=10000
CREATE TABLE orgs (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name varchar(255) NOT NULL,
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- migsmith: rows=1200000
CREATE TABLE users (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_id bigint,
    email varchar(255) NOT NULL,
    name varchar(255),
    email_confirmed_at datetime,
    legacy_avatar text,
    created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY users_org_id_fkey (org_id),
    CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB;

-- migsmith: rows=4500000
CREATE TABLE posts (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id bigint NOT NULL,
    title varchar(255) NOT NULL,
    body text,
    views int NOT NULL DEFAULT 0,
    status varchar(20),
    created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY posts_user_id_idx (user_id),
    CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;
CREATE INDEX posts_created_idx ON posts (created);

-- migsmith: rows=9000000
CREATE TABLE comments (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    post_id bigint NOT NULL,
    author_id bigint,
    body text NOT NULL,
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;
