-- Lobsters (lobsters/lobsters), MariaDB era, Rails migrations. Written for the request
-- corpus: the tables the requests touch, as they stood before those migrations (simplified).
CREATE TABLE users (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username VARCHAR(50) NOT NULL,
    email VARCHAR(100) NOT NULL,
    password_digest VARCHAR(75) NOT NULL,
    created_at DATETIME NOT NULL,
    is_admin TINYINT(1) NOT NULL DEFAULT 0,
    mailing_list_enabled TINYINT(1) DEFAULT 0,
    UNIQUE KEY username (username)
) ENGINE=InnoDB;

CREATE TABLE keystores (
    `key` VARCHAR(50) NOT NULL DEFAULT '' PRIMARY KEY,
    value INT NULL
) ENGINE=InnoDB;

CREATE TABLE messages (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME NOT NULL,
    author_user_id INT NOT NULL,
    recipient_user_id INT NOT NULL,
    has_been_read TINYINT(1) DEFAULT 0,
    subject VARCHAR(100) NULL,
    body TEXT NULL,
    random_hash VARCHAR(30) NULL
) ENGINE=InnoDB;

CREATE TABLE categories (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    category VARCHAR(25) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE tags (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tag VARCHAR(25) NOT NULL DEFAULT '',
    description VARCHAR(100) NULL,
    hotness_mod INT DEFAULT 0,
    UNIQUE KEY tag (tag)
) ENGINE=InnoDB;

CREATE TABLE stories (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME NULL,
    user_id INT NOT NULL,
    url VARCHAR(250) DEFAULT '',
    title VARCHAR(150) NOT NULL DEFAULT '',
    description MEDIUMTEXT NULL,
    short_id VARCHAR(6) NOT NULL DEFAULT '',
    is_expired TINYINT(1) DEFAULT 0,
    is_moderated TINYINT(1) DEFAULT 0,
    hotness DECIMAL(20,10) DEFAULT 0.0,
    UNIQUE KEY unique_short_id (short_id)
) ENGINE=InnoDB;

CREATE TABLE comments (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NULL,
    short_id VARCHAR(10) NOT NULL DEFAULT '',
    story_id INT NOT NULL,
    user_id INT NOT NULL,
    parent_comment_id INT NULL,
    comment MEDIUMTEXT NOT NULL,
    upvotes INT NOT NULL DEFAULT 0,
    downvotes INT NOT NULL DEFAULT 0,
    KEY story_id_short_id (story_id, short_id)
) ENGINE=InnoDB;

CREATE TABLE votes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT NOT NULL,
    story_id INT NOT NULL,
    comment_id INT NULL,
    vote TINYINT NOT NULL,
    reason VARCHAR(1) NULL,
    KEY user_id_story_id (user_id, story_id)
) ENGINE=InnoDB;

CREATE TABLE hats (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME NULL,
    updated_at DATETIME NULL,
    user_id INT NULL,
    granted_by_user_id INT NULL,
    hat VARCHAR(255) NULL,
    link VARCHAR(255) NULL
) ENGINE=InnoDB;

CREATE TABLE moderations (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    moderator_user_id INT NULL,
    story_id INT NULL,
    comment_id INT NULL,
    user_id INT NULL,
    action MEDIUMTEXT NULL,
    reason MEDIUMTEXT NULL
) ENGINE=InnoDB;

CREATE TABLE invitations (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT NULL,
    email VARCHAR(255) NULL,
    code VARCHAR(255) NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    memo MEDIUMTEXT NULL
) ENGINE=InnoDB;
