-- Uptime Kuma (louislam/uptime-kuma), MariaDB (2.x), knex migrations. Written for the
-- request corpus: the tables the requests touch, as they stood before those migrations.
CREATE TABLE monitor (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(150),
    active TINYINT(1) NOT NULL DEFAULT 1,
    `interval` INT NOT NULL DEFAULT 20,
    url TEXT,
    type VARCHAR(20),
    push_token VARCHAR(20) DEFAULT NULL,
    dns_last_result VARCHAR(255),
    created_date DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE heartbeat (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    important TINYINT(1) NOT NULL DEFAULT 0,
    monitor_id INT UNSIGNED NOT NULL,
    status SMALLINT NOT NULL,
    msg TEXT,
    time DATETIME NOT NULL,
    ping INT,
    duration INT NOT NULL DEFAULT 0,
    down_count INT NOT NULL DEFAULT 0,
    CONSTRAINT heartbeat_monitor_id_foreign FOREIGN KEY (monitor_id) REFERENCES monitor (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE status_page (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug VARCHAR(255) NOT NULL,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    published TINYINT(1) NOT NULL DEFAULT 1,
    UNIQUE KEY status_page_slug_unique (slug)
) ENGINE=InnoDB;

CREATE TABLE monitor_tls_info (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    monitor_id INT UNSIGNED NOT NULL,
    info_json TEXT,
    CONSTRAINT monitor_tls_info_monitor_id_foreign FOREIGN KEY (monitor_id) REFERENCES monitor (id) ON DELETE CASCADE
) ENGINE=InnoDB;
