-- Maybe (personal finance, Rails) on PostgreSQL, reconstructed by hand for the held-out request
-- corpus. A composite of the tables as they stood just before the db/migrate/ migrations the
-- requests come from (maybe-finance/maybe); no request depends on another one having run.

CREATE TYPE user_role AS ENUM ('admin', 'member');

CREATE TABLE families (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar,
    currency varchar DEFAULT 'USD',
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    family_id uuid NOT NULL REFERENCES families (id),
    first_name varchar,
    last_name varchar,
    email varchar,
    password_digest varchar,
    role user_role NOT NULL DEFAULT 'member',
    active boolean NOT NULL DEFAULT true,
    email_confirmation_token varchar,
    email_confirmation_sent_at timestamp(6),
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE INDEX index_users_on_family_id ON users (family_id);
CREATE INDEX index_users_on_email_confirmation_token ON users (email_confirmation_token);

CREATE TABLE invite_codes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token varchar NOT NULL,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    family_id uuid NOT NULL REFERENCES families (id),
    accountable_type varchar,
    accountable_id uuid,
    name varchar,
    balance numeric(19,4) DEFAULT 0.0,
    currency varchar DEFAULT 'USD',
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE INDEX index_accounts_on_family_id ON accounts (family_id);

CREATE TABLE loans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    rate_type varchar,
    interest_rate numeric(10,2),
    term_months integer,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE imports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid REFERENCES accounts (id),
    column_mappings jsonb,
    raw_csv_str varchar,
    normalized_csv_str varchar,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE transaction_categories (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar NOT NULL,
    color varchar NOT NULL DEFAULT '#6172F3',
    family_id uuid NOT NULL REFERENCES families (id),
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE transactions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar,
    date date NOT NULL,
    amount numeric(19,4) NOT NULL,
    currency varchar NOT NULL DEFAULT 'USD',
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    category_id uuid,
    excluded boolean DEFAULT false,
    notes text,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL,
    CONSTRAINT fk_rails_0ea2ad3927 FOREIGN KEY (category_id) REFERENCES transaction_categories (id)
);
CREATE INDEX index_transactions_on_account_id ON transactions (account_id);
CREATE INDEX index_transactions_on_category_id ON transactions (category_id);

CREATE TABLE account_transactions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    category_id uuid,
    merchant_id uuid,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE transfers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    inflow_transaction_id uuid NOT NULL,
    outflow_transaction_id uuid NOT NULL,
    status varchar NOT NULL DEFAULT 'pending',
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL,
    CONSTRAINT fk_rails_b7f6b2cde7 FOREIGN KEY (inflow_transaction_id) REFERENCES account_transactions (id),
    CONSTRAINT fk_rails_9d957b82f0 FOREIGN KEY (outflow_transaction_id) REFERENCES account_transactions (id)
);
CREATE UNIQUE INDEX index_transfers_on_inflow_transaction_id ON transfers (inflow_transaction_id);
CREATE UNIQUE INDEX index_transfers_on_outflow_transaction_id ON transfers (outflow_transaction_id);

CREATE TABLE account_entries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id),
    entryable_type varchar,
    entryable_id uuid,
    amount numeric(19,4),
    currency varchar,
    date date,
    name varchar,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE merchants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar NOT NULL,
    color varchar,
    family_id uuid,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE stock_exchanges (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar NOT NULL,
    acronym varchar,
    mic varchar NOT NULL,
    country varchar NOT NULL,
    country_code varchar NOT NULL,
    city varchar NOT NULL,
    website varchar,
    timezone_name varchar NOT NULL,
    timezone_abbr varchar NOT NULL,
    timezone_abbr_dst varchar,
    currency_code varchar NOT NULL,
    currency_symbol varchar NOT NULL,
    currency_name varchar NOT NULL,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE INDEX index_stock_exchanges_on_country ON stock_exchanges (country);
CREATE INDEX index_stock_exchanges_on_country_code ON stock_exchanges (country_code);
CREATE INDEX index_stock_exchanges_on_currency_code ON stock_exchanges (currency_code);

CREATE TABLE securities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticker varchar,
    name varchar,
    country_code varchar,
    stock_exchange_id uuid REFERENCES stock_exchanges (id),
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE INDEX index_securities_on_stock_exchange_id ON securities (stock_exchange_id);

CREATE TABLE security_prices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    security_id uuid REFERENCES securities (id),
    date date NOT NULL,
    price numeric(19,4) NOT NULL,
    currency varchar NOT NULL DEFAULT 'USD',
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE account_holdings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id),
    security_id uuid NOT NULL REFERENCES securities (id),
    date date,
    qty numeric(19,4),
    price numeric(19,4),
    amount numeric(19,4),
    currency varchar,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE UNIQUE INDEX idx_on_account_id_security_id_date_currency_234024c8e3 ON account_holdings (account_id, security_id, date, currency);

CREATE TABLE invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar,
    role varchar,
    token varchar,
    family_id uuid NOT NULL REFERENCES families (id),
    inviter_id uuid NOT NULL REFERENCES users (id),
    accepted_at timestamp(6),
    expires_at timestamp(6),
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE UNIQUE INDEX index_invitations_on_token ON invitations (token);
CREATE INDEX index_invitations_on_email ON invitations (email);

CREATE TABLE plaid_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    family_id uuid NOT NULL REFERENCES families (id),
    access_token varchar,
    plaid_id varchar,
    name varchar,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);

CREATE TABLE syncs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    syncable_type varchar NOT NULL,
    syncable_id uuid NOT NULL,
    status varchar DEFAULT 'pending',
    error text,
    data jsonb,
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE INDEX index_syncs_on_syncable ON syncs (syncable_type, syncable_id);

CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key varchar,
    name varchar,
    user_id uuid NOT NULL REFERENCES users (id),
    scopes json,
    last_used_at timestamp(6),
    expires_at timestamp(6),
    revoked_at timestamp(6),
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE INDEX index_api_keys_on_key ON api_keys (key);
CREATE INDEX index_api_keys_on_revoked_at ON api_keys (revoked_at);

CREATE TABLE mobile_devices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id),
    device_id varchar,
    device_name varchar,
    device_type varchar,
    os_version varchar,
    app_version varchar,
    last_seen_at timestamp(6),
    created_at timestamp(6) NOT NULL,
    updated_at timestamp(6) NOT NULL
);
CREATE UNIQUE INDEX index_mobile_devices_on_device_id ON mobile_devices (device_id);
CREATE UNIQUE INDEX index_mobile_devices_on_user_id_and_device_id ON mobile_devices (user_id, device_id);
