-- Kanboard (kanboard/kanboard), MySQL, schema versions in app/Schema/Mysql.php. Written for
-- the request corpus: the tables the requests touch, as they stood before those versions.
CREATE TABLE users (
    id INT NOT NULL AUTO_INCREMENT,
    username VARCHAR(50) NOT NULL,
    password VARCHAR(255),
    name VARCHAR(255),
    email VARCHAR(255),
    role VARCHAR(25) NOT NULL DEFAULT 'app-user',
    language VARCHAR(5),
    PRIMARY KEY (id),
    UNIQUE KEY users_username_idx (username)
) ENGINE=InnoDB CHARSET=utf8;

CREATE TABLE projects (
    id INT NOT NULL AUTO_INCREMENT,
    name VARCHAR(50) NOT NULL,
    is_active TINYINT(1) DEFAULT 1,
    token VARCHAR(255),
    is_everybody_allowed TINYINT(1) DEFAULT '0',
    description TEXT,
    PRIMARY KEY (id),
    UNIQUE KEY `name` (name),
    UNIQUE KEY `name_2` (name)
) ENGINE=InnoDB CHARSET=utf8;

CREATE TABLE tasks (
    id INT NOT NULL AUTO_INCREMENT,
    title VARCHAR(255) NOT NULL,
    project_id INT NOT NULL,
    column_id INT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB CHARSET=utf8;

CREATE TABLE comments (
    id INT NOT NULL AUTO_INCREMENT,
    task_id INT NOT NULL,
    user_id INT DEFAULT 0,
    date_creation BIGINT NOT NULL,
    comment TEXT,
    reference VARCHAR(50),
    PRIMARY KEY (id),
    FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
) ENGINE=InnoDB CHARSET=utf8;

CREATE TABLE settings (
    `option` VARCHAR(100) PRIMARY KEY,
    `value` VARCHAR(255) DEFAULT ''
) ENGINE=InnoDB CHARSET=utf8;

CREATE TABLE actions (
    id INT NOT NULL AUTO_INCREMENT,
    project_id INT,
    event_name VARCHAR(50),
    action_name VARCHAR(50),
    PRIMARY KEY (id),
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB CHARSET=utf8;
