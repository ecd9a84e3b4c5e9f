-- BookStack (BookStackApp/BookStack), MySQL/MariaDB, Laravel migrations. Written for the
-- request corpus: the tables the requests touch, as they stood before those migrations
-- (simplified; BookStack uses utf8mb4 with a default string length of 191).
CREATE TABLE users (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(191) NOT NULL,
    email VARCHAR(191) NOT NULL,
    password VARCHAR(60) NOT NULL,
    remember_token VARCHAR(100) NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    UNIQUE KEY users_email_unique (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE roles (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(191) NOT NULL,
    display_name VARCHAR(180) NULL,
    description VARCHAR(180) NULL,
    system_name VARCHAR(191) NOT NULL DEFAULT '',
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY roles_system_name_index (system_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE books (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(191) NOT NULL,
    slug VARCHAR(191) NOT NULL,
    description TEXT NOT NULL,
    created_by INT NOT NULL,
    updated_by INT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY books_slug_index (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE chapters (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    book_id INT NOT NULL,
    slug VARCHAR(191) NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    priority INT NOT NULL,
    created_by INT NOT NULL,
    updated_by INT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY chapters_book_id_index (book_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE bookshelves (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(180) NOT NULL,
    slug VARCHAR(180) NOT NULL,
    description TEXT NOT NULL,
    created_by INT NULL,
    updated_by INT NULL,
    image_id INT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY bookshelves_slug_index (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE pages (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    book_id INT NOT NULL,
    chapter_id INT NOT NULL,
    name VARCHAR(191) NOT NULL,
    slug VARCHAR(191) NOT NULL,
    html LONGTEXT NOT NULL,
    text LONGTEXT NOT NULL,
    priority INT NOT NULL,
    created_by INT NOT NULL,
    updated_by INT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY pages_book_id_index (book_id),
    KEY pages_slug_index (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE page_revisions (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    page_id INT NOT NULL,
    name VARCHAR(191) NOT NULL,
    html LONGTEXT NOT NULL,
    text LONGTEXT NOT NULL,
    slug VARCHAR(191) NOT NULL,
    book_slug VARCHAR(191) NOT NULL,
    created_by INT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY page_revisions_page_id_index (page_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE activities (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `key` VARCHAR(191) NOT NULL,
    extra TEXT NOT NULL,
    book_id INT NOT NULL,
    user_id INT NOT NULL,
    entity_id INT NOT NULL,
    entity_type VARCHAR(191) NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY activities_book_id_index (book_id),
    KEY activities_user_id_index (user_id),
    KEY activities_entity_id_index (entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE settings (
    setting_key VARCHAR(191) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE attachments (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(191) NOT NULL,
    path VARCHAR(191) NOT NULL,
    extension VARCHAR(20) NOT NULL,
    uploaded_to INT NOT NULL,
    external TINYINT(1) NOT NULL,
    `order` INT NOT NULL,
    created_by INT NOT NULL,
    updated_by INT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY attachments_uploaded_to_index (uploaded_to)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE cache (
    `key` VARCHAR(191) NOT NULL,
    value TEXT NOT NULL,
    expiration INT NOT NULL,
    UNIQUE KEY cache_key_unique (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE views (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT NOT NULL,
    viewable_id INT NOT NULL,
    viewable_type VARCHAR(191) NOT NULL,
    views INT NOT NULL,
    created_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    KEY views_user_id_index (user_id),
    KEY views_viewable_id_index (viewable_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
