-- TeslaMate (Elixir/Ecto) on PostgreSQL, reconstructed by hand for the held-out request corpus.
-- A composite of the tables as they stood just before the priv/repo/migrations/ files the
-- requests come from (teslamate-org/teslamate, 2019-2026); no request depends on another.

CREATE TABLE cars (
    id bigserial PRIMARY KEY,
    eid bigint NOT NULL,
    vid bigint NOT NULL,
    model varchar(255),
    efficiency double precision,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL,
    vin text,
    name text,
    trim_badging text,
    display_priority smallint DEFAULT 1
);
CREATE UNIQUE INDEX cars_eid_index ON cars (eid);
CREATE UNIQUE INDEX cars_vid_index ON cars (vid);
CREATE UNIQUE INDEX cars_vin_index ON cars (vin);

CREATE TABLE car_settings (
    id bigserial PRIMARY KEY,
    suspend_min integer NOT NULL DEFAULT 21,
    suspend_after_idle_min integer NOT NULL DEFAULT 15,
    req_not_unlocked boolean NOT NULL DEFAULT true,
    free_supercharging boolean NOT NULL DEFAULT false,
    use_streaming_api boolean NOT NULL DEFAULT true
);

CREATE TABLE settings (
    id bigserial PRIMARY KEY,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL,
    base_url varchar(255),
    language text NOT NULL DEFAULT 'en'
);

CREATE TABLE tokens (
    id bigserial PRIMARY KEY,
    access varchar(255) NOT NULL,
    refresh varchar(255) NOT NULL,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);

CREATE TABLE addresses (
    id bigserial PRIMARY KEY,
    display_name varchar(512),
    latitude double precision,
    longitude double precision,
    name varchar(255),
    city varchar(255),
    country varchar(255),
    osm_id bigint,
    osm_type text,
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);

CREATE TABLE geofences (
    id bigserial PRIMARY KEY,
    name varchar(255) NOT NULL,
    latitude double precision NOT NULL,
    longitude double precision NOT NULL,
    radius double precision NOT NULL DEFAULT 25,
    cost_per_kwh numeric(6,4),
    inserted_at timestamp(0) NOT NULL,
    updated_at timestamp(0) NOT NULL
);

CREATE TABLE drives (
    id bigserial PRIMARY KEY,
    start_date timestamp(6) NOT NULL,
    end_date timestamp(6),
    outside_temp_avg double precision,
    speed_max integer,
    power_max double precision,
    power_min double precision,
    power_avg double precision,
    start_km double precision,
    end_km double precision,
    distance double precision,
    duration_min integer,
    "consumption_kWh" double precision,
    "consumption_kWh_100km" double precision,
    car_id bigint NOT NULL REFERENCES cars (id),
    start_address_id bigint REFERENCES addresses (id),
    end_address_id bigint REFERENCES addresses (id)
);
CREATE INDEX drives_car_id_index ON drives (car_id);

CREATE TABLE positions (
    id bigserial PRIMARY KEY,
    date timestamp(6) NOT NULL,
    latitude numeric(8,6) NOT NULL,
    longitude numeric(9,6) NOT NULL,
    speed smallint,
    power smallint,
    odometer double precision,
    ideal_battery_range_km numeric(6,2),
    battery_level smallint,
    outside_temp numeric(4,1),
    elevation smallint,
    car_id bigint NOT NULL REFERENCES cars (id),
    drive_id bigint REFERENCES drives (id) ON DELETE CASCADE
);
CREATE INDEX positions_car_id_index ON positions (car_id);
CREATE INDEX positions_date_index ON positions (date);
CREATE INDEX positions_drive_id_date_index ON positions (drive_id, date);

CREATE TABLE charging_processes (
    id bigserial PRIMARY KEY,
    start_date timestamp(6),
    end_date timestamp(6),
    charge_energy_added numeric(8,2),
    start_battery_level smallint,
    end_battery_level smallint,
    duration_min smallint,
    outside_temp_avg numeric(4,1),
    car_id bigint NOT NULL REFERENCES cars (id),
    position_id bigint NOT NULL REFERENCES positions (id),
    address_id bigint REFERENCES addresses (id),
    geofence_id bigint REFERENCES geofences (id)
);
CREATE INDEX charging_processes_car_id_index ON charging_processes (car_id);

CREATE TABLE charges (
    id bigserial PRIMARY KEY,
    date timestamp(6) NOT NULL,
    battery_heater_on boolean,
    battery_level smallint,
    charge_energy_added numeric(8,2) NOT NULL,
    charger_actual_current smallint,
    charger_phases smallint,
    charger_pilot_current smallint,
    charger_power smallint NOT NULL,
    charger_voltage smallint,
    ideal_battery_range_km numeric(6,2) NOT NULL,
    outside_temp numeric(4,1),
    charging_process_id bigint NOT NULL REFERENCES charging_processes (id) ON DELETE CASCADE
);
CREATE INDEX charges_charging_process_id_index ON charges (charging_process_id);
