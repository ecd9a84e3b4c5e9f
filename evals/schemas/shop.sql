-- A small shop (PostgreSQL): a second schema so cases are not all about users and posts.
-- Row counts are hints for duration estimates.

-- migsmith: rows=50000
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    full_name text,
    phone text,
    marketing_opt_in boolean,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migsmith: rows=2000
CREATE TABLE products (
    id bigserial PRIMARY KEY,
    sku varchar(64) NOT NULL,
    title text NOT NULL,
    price_cents integer NOT NULL,
    description text,
    archived boolean NOT NULL DEFAULT false
);

-- migsmith: rows=3000000
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    status varchar(20) NOT NULL DEFAULT 'pending',
    total_cents integer NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now(),
    notes text
);

-- migsmith: rows=8000000
CREATE TABLE order_items (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    product_id bigint NOT NULL,
    quantity integer NOT NULL,
    unit_price_cents integer NOT NULL
);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
