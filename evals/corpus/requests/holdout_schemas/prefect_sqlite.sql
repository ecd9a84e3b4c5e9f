-- Prefect server database (SQLite), reconstructed by hand for the held-out request corpus.
-- A composite of the tables as they stood just before the migrations the requests come from
-- (PrefectHQ/prefect, src/prefect/server/database/_migrations/versions/sqlite/); no request
-- depends on another one having run.

CREATE TABLE flow_run_state (
    id CHAR(36) NOT NULL PRIMARY KEY,
    flow_run_id CHAR(36) NOT NULL,
    type VARCHAR(9) NOT NULL,
    timestamp TIMESTAMP NOT NULL,
    name VARCHAR NOT NULL
);

CREATE TABLE task_run_state (
    id CHAR(36) NOT NULL PRIMARY KEY,
    task_run_id CHAR(36) NOT NULL,
    type VARCHAR(9) NOT NULL,
    timestamp TIMESTAMP NOT NULL,
    name VARCHAR NOT NULL
);

CREATE TABLE deployment (
    id CHAR(36) NOT NULL PRIMARY KEY,
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    flow_id CHAR(36) NOT NULL,
    schedule JSON,
    is_schedule_active BOOLEAN NOT NULL DEFAULT 1,
    tags JSON NOT NULL DEFAULT '[]',
    parameters JSON NOT NULL DEFAULT '{}',
    infrastructure_document_id CHAR(36),
    path VARCHAR,
    entrypoint VARCHAR
);

CREATE TABLE flow_run (
    id CHAR(36) NOT NULL PRIMARY KEY,
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    flow_id CHAR(36) NOT NULL,
    deployment_id CHAR(36),
    state_id CHAR(36),
    state_type VARCHAR(9),
    state_name VARCHAR,
    infrastructure_document_id CHAR(36),
    parameters JSON NOT NULL DEFAULT '{}',
    run_count INTEGER NOT NULL DEFAULT 0,
    expected_start_time TIMESTAMP,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    CONSTRAINT fk_flow_run__state_id__flow_run_state FOREIGN KEY (state_id) REFERENCES flow_run_state (id) ON DELETE SET NULL
);
CREATE INDEX ix_flow_run__deployment_id ON flow_run (deployment_id);

CREATE TABLE task_run (
    id CHAR(36) NOT NULL PRIMARY KEY,
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    flow_run_id CHAR(36),
    task_key VARCHAR NOT NULL,
    dynamic_key VARCHAR NOT NULL,
    state_id CHAR(36),
    state_type VARCHAR(9),
    run_count INTEGER NOT NULL DEFAULT 0,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    CONSTRAINT fk_task_run__state_id__task_run_state FOREIGN KEY (state_id) REFERENCES task_run_state (id) ON DELETE SET NULL
);

CREATE TABLE work_queue (
    id CHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR NOT NULL,
    filter JSON NOT NULL DEFAULT '{}',
    description VARCHAR NOT NULL DEFAULT '',
    is_paused BOOLEAN NOT NULL DEFAULT 0,
    concurrency_limit INTEGER,
    CONSTRAINT uq_work_queue__name UNIQUE (name)
);

CREATE TABLE concurrency_limit (
    id CHAR(36) NOT NULL PRIMARY KEY,
    tag VARCHAR NOT NULL,
    concurrency_limit INTEGER NOT NULL,
    active_slots JSON NOT NULL DEFAULT '[]'
);
CREATE INDEX ix_concurrency_limit__tag ON concurrency_limit (tag);

CREATE TABLE concurrency_limit_v2 (
    id CHAR(36) NOT NULL PRIMARY KEY,
    active BOOLEAN NOT NULL DEFAULT 1,
    name VARCHAR NOT NULL,
    "limit" INTEGER NOT NULL,
    active_slots INTEGER NOT NULL,
    denied_slots INTEGER NOT NULL DEFAULT 0,
    slot_decay_per_second FLOAT,
    avg_slot_occupancy_seconds FLOAT NOT NULL DEFAULT 2.0,
    CONSTRAINT uq_concurrency_limit_v2__name UNIQUE (name)
);

CREATE TABLE block_schema (
    id CHAR(36) NOT NULL PRIMARY KEY,
    checksum VARCHAR NOT NULL,
    fields JSON NOT NULL DEFAULT '{}',
    capabilities JSON NOT NULL DEFAULT '[]',
    block_type_id CHAR(36) NOT NULL
);
CREATE UNIQUE INDEX uq_block_schema__checksum ON block_schema (checksum);

CREATE TABLE block_document_reference (
    id CHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR NOT NULL,
    parent_block_document_id CHAR(36) NOT NULL,
    reference_block_document_id CHAR(36) NOT NULL
);

CREATE TABLE artifact (
    id CHAR(36) NOT NULL PRIMARY KEY,
    key VARCHAR,
    type VARCHAR,
    data JSON,
    metadata_ JSON,
    task_run_id CHAR(36),
    flow_run_id CHAR(36)
);

CREATE TABLE log (
    id CHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR NOT NULL,
    level SMALLINT NOT NULL,
    flow_run_id CHAR(36),
    task_run_id CHAR(36),
    message TEXT NOT NULL,
    timestamp TIMESTAMP NOT NULL
);
CREATE INDEX ix_log__flow_run_id ON log (flow_run_id);

CREATE TABLE flow_run_input (
    id CHAR(36) NOT NULL PRIMARY KEY,
    key VARCHAR NOT NULL,
    value TEXT NOT NULL,
    flow_run_id CHAR(36) NOT NULL,
    CONSTRAINT uq_flow_run_input__flow_run_id_key UNIQUE (flow_run_id, key)
);

CREATE TABLE deployment_schedule (
    id CHAR(36) NOT NULL PRIMARY KEY,
    deployment_id CHAR(36) NOT NULL,
    schedule JSON NOT NULL,
    active BOOLEAN NOT NULL,
    max_active_runs INTEGER,
    max_scheduled_runs INTEGER,
    catchup BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX ix_deployment_schedule__deployment_id ON deployment_schedule (deployment_id);

CREATE TABLE automation_event_follower (
    id CHAR(36) NOT NULL PRIMARY KEY,
    leader_event_id CHAR(36) NOT NULL,
    follower_event_id CHAR(36) NOT NULL,
    received TIMESTAMP NOT NULL,
    follower JSON NOT NULL,
    CONSTRAINT uq_automation_event_follower__follower_event_id UNIQUE (follower_event_id)
);
CREATE INDEX ix_automation_event_follower__leader_event_id ON automation_event_follower (leader_event_id);

CREATE TABLE event_resources (
    id CHAR(36) NOT NULL PRIMARY KEY,
    occurred TIMESTAMP NOT NULL,
    resource_id TEXT NOT NULL,
    resource_role TEXT NOT NULL,
    resource JSON NOT NULL,
    event_id CHAR(36) NOT NULL
);
CREATE INDEX ix_event_resources__resource_id__occurred ON event_resources (resource_id, occurred);
