-- Firefly III (firefly-iii/firefly-iii), MySQL/MariaDB, Laravel migrations. Written for the
-- request corpus: the tables the requests touch, as they stood before those migrations
-- (simplified, a few columns each).
CREATE TABLE users (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    password VARCHAR(60) NOT NULL,
    remember_token VARCHAR(100) NULL,
    blocked TINYINT(1) NOT NULL DEFAULT 0,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL
) ENGINE=InnoDB;

CREATE TABLE user_groups (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(255) NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    UNIQUE KEY user_groups_title_unique (title)
) ENGINE=InnoDB;

CREATE TABLE transaction_currencies (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    deleted_at TIMESTAMP NULL,
    code VARCHAR(3) NOT NULL,
    name VARCHAR(255) NOT NULL,
    symbol VARCHAR(12) NOT NULL,
    decimal_places SMALLINT UNSIGNED NOT NULL DEFAULT 2,
    UNIQUE KEY transaction_currencies_code_unique (code)
) ENGINE=InnoDB;

CREATE TABLE budgets (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    name VARCHAR(1024) NOT NULL,
    active TINYINT(1) NOT NULL DEFAULT 1,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    CONSTRAINT budgets_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE budget_limits (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    budget_id INT UNSIGNED NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NULL,
    amount DECIMAL(32,12) NOT NULL,
    CONSTRAINT budget_limits_budget_id_foreign FOREIGN KEY (budget_id) REFERENCES budgets (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE bills (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    name VARCHAR(1024) NOT NULL,
    amount_min DECIMAL(32,12) NOT NULL,
    amount_max DECIMAL(32,12) NOT NULL,
    date DATE NOT NULL,
    repeat_freq VARCHAR(30) NOT NULL,
    active TINYINT(1) NOT NULL DEFAULT 1,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL
) ENGINE=InnoDB;

CREATE TABLE transaction_journals (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    transaction_type_id INT UNSIGNED NOT NULL,
    bill_id INT UNSIGNED NULL,
    description VARCHAR(1024) NOT NULL,
    date DATE NOT NULL,
    `order` INT UNSIGNED NOT NULL DEFAULT 0,
    completed TINYINT(1) NOT NULL DEFAULT 0,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    deleted_at TIMESTAMP NULL
) ENGINE=InnoDB;

CREATE TABLE transactions (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    transaction_journal_id INT UNSIGNED NOT NULL,
    account_id INT UNSIGNED NOT NULL,
    description VARCHAR(1024) NULL,
    amount DECIMAL(32,12) NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    deleted_at TIMESTAMP NULL,
    CONSTRAINT transactions_transaction_journal_id_foreign FOREIGN KEY (transaction_journal_id) REFERENCES transaction_journals (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE tags (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    tag VARCHAR(1024) NOT NULL,
    tagMode VARCHAR(1024) NOT NULL,
    date DATE NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL
) ENGINE=InnoDB;

CREATE TABLE tag_transaction_journal (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tag_id INT UNSIGNED NOT NULL,
    transaction_journal_id INT UNSIGNED NOT NULL,
    CONSTRAINT tag_transaction_journal_tag_id_foreign FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE,
    CONSTRAINT tag_transaction_journal_transaction_journal_id_foreign FOREIGN KEY (transaction_journal_id) REFERENCES transaction_journals (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE preferences (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    name VARCHAR(1024) NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL
) ENGINE=InnoDB;

CREATE TABLE currency_exchange_rates (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    from_currency_id INT UNSIGNED NOT NULL,
    to_currency_id INT UNSIGNED NOT NULL,
    date DATE NOT NULL,
    rate DECIMAL(32,12) NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL
) ENGINE=InnoDB;

CREATE TABLE telemetry (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    submitted DATETIME NULL,
    user_id INT UNSIGNED NULL,
    installation_id VARCHAR(50) NOT NULL,
    type VARCHAR(25) NOT NULL,
    `key` VARCHAR(50) NOT NULL,
    value TEXT NOT NULL
) ENGINE=InnoDB;
