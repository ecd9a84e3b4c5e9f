-- Prefect server database (PostgreSQL), reconstructed by hand for the held-out request corpus.
-- A composite of the tables as they stood just before the migrations the requests come from
-- (PrefectHQ/prefect, src/prefect/server/database/_migrations/versions/postgresql/).

CREATE TABLE deployment (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name varchar NOT NULL,
    flow_id uuid NOT NULL,
    version varchar,
    work_queue_name varchar,
    paused boolean NOT NULL DEFAULT false,
    parameters jsonb NOT NULL DEFAULT '{}',
    tags jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE flow_run (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name varchar NOT NULL,
    flow_id uuid NOT NULL,
    deployment_id uuid,
    deployment_version varchar,
    work_queue_name varchar,
    state_id uuid,
    state_type varchar(9),
    parameters jsonb NOT NULL DEFAULT '{}',
    expected_start_time timestamptz,
    start_time timestamptz,
    end_time timestamptz
);
CREATE INDEX ix_flow_run__deployment_version ON flow_run (deployment_version);

CREATE TABLE task_run (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    name varchar NOT NULL,
    flow_run_id uuid REFERENCES flow_run (id) ON DELETE CASCADE,
    task_key varchar NOT NULL,
    state_id uuid,
    state_type varchar(9),
    start_time timestamptz,
    end_time timestamptz
);
CREATE INDEX ix_task_run__flow_run_id ON task_run (flow_run_id);

CREATE TABLE work_queue (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar NOT NULL,
    filter jsonb,
    description varchar NOT NULL DEFAULT '',
    is_paused boolean NOT NULL DEFAULT false,
    concurrency_limit integer,
    CONSTRAINT uq_work_queue__name UNIQUE (name)
);

CREATE TABLE work_pool (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar NOT NULL,
    description varchar,
    type varchar NOT NULL,
    base_job_template jsonb NOT NULL DEFAULT '{}',
    is_paused boolean NOT NULL DEFAULT false,
    concurrency_limit integer,
    CONSTRAINT uq_work_pool__name UNIQUE (name)
);

CREATE TABLE deployment_schedule (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    deployment_id uuid NOT NULL REFERENCES deployment (id) ON DELETE CASCADE,
    schedule jsonb NOT NULL,
    active boolean NOT NULL
);
CREATE INDEX ix_deployment_schedule__deployment_id ON deployment_schedule (deployment_id);

CREATE TABLE automation_event_follower (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scope varchar NOT NULL,
    leader_event_id uuid NOT NULL,
    follower_event_id uuid NOT NULL,
    received timestamptz NOT NULL,
    follower jsonb NOT NULL
);
CREATE INDEX ix_automation_event_follower__scope ON automation_event_follower (scope);
CREATE UNIQUE INDEX uq_follower_for_scope ON automation_event_follower (scope, follower_event_id);

CREATE TABLE event_resources (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    occurred timestamptz NOT NULL,
    resource_id text NOT NULL,
    resource_role text NOT NULL,
    resource jsonb NOT NULL,
    event_id uuid NOT NULL
);
CREATE INDEX ix_event_resources__resource_id__occurred ON event_resources (resource_id, occurred);

CREATE TABLE artifact (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key varchar,
    type varchar,
    data jsonb,
    metadata_ jsonb,
    task_run_id uuid,
    flow_run_id uuid
);
