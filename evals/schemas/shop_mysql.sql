-- The shop schema (evals/schemas/shop.sql) for MySQL 8 / MariaDB 10.11+.

-- migsmith: rows=50000
CREATE TABLE customers (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email varchar(255) NOT NULL,
    full_name varchar(255),
    phone varchar(32),
    marketing_opt_in tinyint(1),
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- migsmith: rows=2000
CREATE TABLE products (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku varchar(64) NOT NULL,
    title varchar(255) NOT NULL,
    price_cents int NOT NULL,
    description text,
    archived tinyint(1) NOT NULL DEFAULT 0
) ENGINE=InnoDB;

-- migsmith: rows=3000000
CREATE TABLE orders (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id bigint NOT NULL,
    status varchar(20) NOT NULL DEFAULT 'pending',
    total_cents int NOT NULL,
    placed_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    notes text
) ENGINE=InnoDB;

-- migsmith: rows=8000000
CREATE TABLE order_items (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    quantity int NOT NULL,
    unit_price_cents int NOT NULL,
    KEY order_items_order_id_idx (order_id),
    CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB;
