-- Umami (Prisma) on PostgreSQL, reconstructed by hand for the held-out request corpus.
-- A composite of the tables as they stood just before the prisma/migrations/*/migration.sql
-- files the requests come from (umami-software/umami, 14 to 19).

CREATE TABLE "user" (
    user_id uuid NOT NULL,
    username varchar(255) NOT NULL,
    password varchar(60) NOT NULL,
    role varchar(50) NOT NULL,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT user_pkey PRIMARY KEY (user_id)
);
CREATE UNIQUE INDEX user_user_id_key ON "user" (user_id);
CREATE UNIQUE INDEX user_username_key ON "user" (username);

CREATE TABLE team (
    team_id uuid NOT NULL,
    name varchar(50) NOT NULL,
    access_code varchar(50),
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT team_pkey PRIMARY KEY (team_id)
);
CREATE UNIQUE INDEX team_team_id_key ON team (team_id);

CREATE TABLE team_user (
    team_user_id uuid NOT NULL,
    team_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role varchar(50) NOT NULL,
    CONSTRAINT team_user_pkey PRIMARY KEY (team_user_id)
);
CREATE UNIQUE INDEX team_user_team_user_id_key ON team_user (team_user_id);

CREATE TABLE website (
    website_id uuid NOT NULL,
    name varchar(100) NOT NULL,
    domain varchar(500),
    share_id varchar(50),
    user_id uuid,
    team_id uuid,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    deleted_at timestamptz(6),
    CONSTRAINT website_pkey PRIMARY KEY (website_id)
);
CREATE UNIQUE INDEX website_website_id_key ON website (website_id);
CREATE UNIQUE INDEX website_share_id_key ON website (share_id);
CREATE INDEX website_share_id_idx ON website (share_id);
CREATE INDEX website_user_id_idx ON website (user_id);

CREATE TABLE session (
    session_id uuid NOT NULL,
    website_id uuid NOT NULL,
    browser varchar(20),
    os varchar(20),
    device varchar(20),
    country char(2),
    region varchar(20),
    city varchar(50),
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT session_pkey PRIMARY KEY (session_id)
);
CREATE UNIQUE INDEX session_session_id_key ON session (session_id);

CREATE TABLE website_event (
    event_id uuid NOT NULL,
    website_id uuid NOT NULL,
    session_id uuid NOT NULL,
    visit_id uuid NOT NULL,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    url_path varchar(500) NOT NULL,
    url_query varchar(500),
    referrer_domain varchar(500),
    page_title varchar(500),
    event_type integer NOT NULL DEFAULT 1,
    event_name varchar(50),
    tag varchar(50),
    hostname varchar(100),
    CONSTRAINT website_event_pkey PRIMARY KEY (event_id)
);
CREATE INDEX website_event_website_id_created_at_idx ON website_event (website_id, created_at);

CREATE TABLE report (
    report_id uuid NOT NULL,
    user_id uuid NOT NULL,
    website_id uuid NOT NULL,
    type varchar(200) NOT NULL,
    name varchar(200) NOT NULL,
    description varchar(500) NOT NULL,
    parameters jsonb NOT NULL,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz(6),
    CONSTRAINT report_pkey PRIMARY KEY (report_id)
);
CREATE UNIQUE INDEX report_report_id_key ON report (report_id);

CREATE TABLE segment (
    segment_id uuid NOT NULL,
    website_id uuid NOT NULL,
    type varchar(200) NOT NULL,
    name varchar(200) NOT NULL,
    parameters jsonb NOT NULL,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz(6),
    CONSTRAINT segment_pkey PRIMARY KEY (segment_id)
);
CREATE UNIQUE INDEX segment_segment_id_key ON segment (segment_id);

CREATE TABLE revenue (
    revenue_id uuid NOT NULL,
    website_id uuid NOT NULL,
    session_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_name varchar(50) NOT NULL,
    currency varchar(100) NOT NULL,
    revenue decimal(19,4),
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT revenue_pkey PRIMARY KEY (revenue_id)
);
CREATE UNIQUE INDEX revenue_revenue_id_key ON revenue (revenue_id);

CREATE TABLE link (
    link_id uuid NOT NULL,
    name varchar(100) NOT NULL,
    url varchar(500) NOT NULL,
    slug varchar(100) NOT NULL,
    user_id uuid,
    team_id uuid,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT link_pkey PRIMARY KEY (link_id)
);
CREATE UNIQUE INDEX link_link_id_key ON link (link_id);
CREATE UNIQUE INDEX link_slug_key ON link (slug);

CREATE TABLE pixel (
    pixel_id uuid NOT NULL,
    name varchar(100) NOT NULL,
    slug varchar(100) NOT NULL,
    user_id uuid,
    team_id uuid,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT pixel_pkey PRIMARY KEY (pixel_id)
);
CREATE UNIQUE INDEX pixel_pixel_id_key ON pixel (pixel_id);
CREATE UNIQUE INDEX pixel_slug_key ON pixel (slug);

CREATE TABLE board (
    board_id uuid NOT NULL,
    type varchar(50) NOT NULL,
    name varchar(200) NOT NULL,
    description varchar(500) NOT NULL,
    parameters jsonb NOT NULL,
    slug varchar(100) NOT NULL,
    user_id uuid,
    team_id uuid,
    created_at timestamptz(6) DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz(6),
    CONSTRAINT board_pkey PRIMARY KEY (board_id)
);
CREATE UNIQUE INDEX board_slug_key ON board (slug);
CREATE INDEX board_slug_idx ON board (slug);
CREATE INDEX board_user_id_idx ON board (user_id);
