-- Supabase Storage (Node, raw SQL migrations) on PostgreSQL, reconstructed by hand for the
-- held-out request corpus. One file for both of its databases: the multitenant catalogue
-- (tenants, tenants_s3_credentials, in public) and a tenant's storage schema (storage.*).
-- A composite of the tables as they stood just before the migrations/multitenant/ and
-- migrations/tenant/ files the requests come from (supabase/storage).

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;

CREATE TABLE tenants (
    id text PRIMARY KEY,
    anon_key text NOT NULL,
    database_url text NOT NULL,
    jwt_secret text NOT NULL,
    service_key text NOT NULL,
    database_pool_mode text NULL
);

CREATE TABLE tenants_s3_credentials (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    description text NOT NULL,
    tenant_id text REFERENCES tenants (id) ON DELETE CASCADE,
    access_key text NOT NULL,
    secret_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_s3_credentials_tenant_id_idx ON tenants_s3_credentials (tenant_id);
CREATE UNIQUE INDEX tenants_s3_credentials_access_key_idx ON tenants_s3_credentials (tenant_id, access_key);

CREATE TABLE auth.users (
    id uuid PRIMARY KEY,
    email varchar(255)
);

CREATE TABLE storage.buckets (
    id text NOT NULL,
    name text NOT NULL,
    owner uuid,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    PRIMARY KEY (id),
    CONSTRAINT buckets_owner_fkey FOREIGN KEY (owner) REFERENCES auth.users (id)
);
CREATE UNIQUE INDEX bname ON storage.buckets USING btree (name);

CREATE TABLE storage.objects (
    id uuid NOT NULL DEFAULT uuid_generate_v4(),
    bucket_id text,
    name text,
    owner uuid,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    last_accessed_at timestamptz DEFAULT now(),
    metadata jsonb,
    CONSTRAINT "objects_bucketId_fkey" FOREIGN KEY (bucket_id) REFERENCES storage.buckets (id),
    CONSTRAINT objects_owner_fkey FOREIGN KEY (owner) REFERENCES auth.users (id),
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX bucketid_objname ON storage.objects USING btree (bucket_id, name);

CREATE TABLE storage.s3_multipart_uploads (
    id text PRIMARY KEY,
    in_progress_size int NOT NULL DEFAULT 0,
    upload_signature text NOT NULL,
    bucket_id text NOT NULL REFERENCES storage.buckets (id),
    key text COLLATE "C" NOT NULL,
    version text NOT NULL,
    owner_id text NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE storage.s3_multipart_uploads_parts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    upload_id text NOT NULL REFERENCES storage.s3_multipart_uploads (id) ON DELETE CASCADE,
    size int NOT NULL DEFAULT 0,
    part_number int NOT NULL,
    bucket_id text NOT NULL REFERENCES storage.buckets (id),
    key text COLLATE "C" NOT NULL,
    etag text NOT NULL,
    owner_id text NULL,
    version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
