-- A second schema for the request evals: a small shop, with names that collide on purpose
-- (created_at and status in several tables) so the planner has to resolve or ask.

-- migsmith: rows=50000
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    full_name text,
    phone text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migsmith: rows=2000
CREATE TABLE products (
    id bigserial PRIMARY KEY,
    sku varchar(32) NOT NULL,
    title text NOT NULL,
    price numeric(10,2) NOT NULL,
    stock integer NOT NULL DEFAULT 0,
    status text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migsmith: rows=300000
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    status text NOT NULL DEFAULT 'new',
    total numeric(12,2),
    placed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migsmith: rows=900000
CREATE TABLE order_items (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL
);
