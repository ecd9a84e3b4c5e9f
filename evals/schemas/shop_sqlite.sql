-- The shop schema (evals/schemas/shop.sql) for SQLite 3.35+.

-- migsmith: rows=50000
CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    full_name text,
    phone text,
    marketing_opt_in integer,
    created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migsmith: rows=2000
CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    title text NOT NULL,
    price_cents integer NOT NULL,
    description text,
    archived integer NOT NULL DEFAULT 0
);

-- migsmith: rows=3000000
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    total_cents integer NOT NULL,
    placed_at text NOT NULL DEFAULT CURRENT_TIMESTAMP,
    notes text
);

-- migsmith: rows=8000000
CREATE TABLE order_items (
    id integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    product_id integer NOT NULL,
    quantity integer NOT NULL,
    unit_price_cents integer NOT NULL
);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
