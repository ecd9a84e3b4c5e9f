-- CTFd (CTFd/CTFd), MySQL/MariaDB, Alembic migrations. Written for the request corpus: the
-- tables the requests touch, as they stood before those migrations (simplified).
CREATE TABLE teams (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    oauth_id INT NULL,
    name VARCHAR(128) NULL,
    email VARCHAR(128) NULL,
    password VARCHAR(128) NULL,
    hidden TINYINT(1) NULL,
    banned TINYINT(1) NULL,
    created DATETIME(6) NULL,
    UNIQUE KEY email (email)
) ENGINE=InnoDB;

CREATE TABLE users (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    oauth_id INT NULL,
    name VARCHAR(128) NULL,
    password VARCHAR(128) NULL,
    email VARCHAR(128) NULL,
    type VARCHAR(80) NULL,
    verified TINYINT(1) NULL,
    team_id INT NULL,
    created DATETIME(6) NULL,
    UNIQUE KEY email (email),
    CONSTRAINT users_ibfk_1 FOREIGN KEY (team_id) REFERENCES teams (id)
) ENGINE=InnoDB;

CREATE TABLE challenges (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(80) NULL,
    description TEXT NULL,
    connection_info TEXT NULL,
    max_attempts INT NULL,
    value INT NULL,
    category VARCHAR(80) NULL,
    type VARCHAR(80) NULL,
    state VARCHAR(80) NOT NULL,
    requirements JSON NULL
) ENGINE=InnoDB;

CREATE TABLE hints (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    type VARCHAR(80) NULL,
    challenge_id INT NULL,
    content TEXT NULL,
    cost INT NULL,
    requirements JSON NULL,
    CONSTRAINT hints_ibfk_1 FOREIGN KEY (challenge_id) REFERENCES challenges (id) ON DELETE CASCADE
) ENGINE=InnoDB;
