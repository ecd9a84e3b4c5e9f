-- Kanboard (kanboard/kanboard), SQLite, schema versions in app/Schema/Sqlite.php. Written for
-- the request corpus: the tables the requests touch, as they stood before those versions.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    password TEXT,
    is_ldap_user INTEGER DEFAULT 0,
    name TEXT,
    email TEXT,
    role TEXT NOT NULL DEFAULT 'app-user',
    language TEXT,
    timezone TEXT
);
CREATE UNIQUE INDEX users_username_idx ON users (username);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    is_active INTEGER DEFAULT 1,
    token TEXT,
    last_modified INTEGER DEFAULT 0,
    is_public INTEGER DEFAULT 0,
    description TEXT
);

CREATE TABLE swimlanes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER DEFAULT 1,
    is_active INTEGER DEFAULT 1,
    project_id INTEGER NOT NULL,
    description TEXT,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    UNIQUE (name, project_id)
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    date_creation INTEGER,
    color_id TEXT,
    project_id INTEGER NOT NULL,
    column_id INTEGER NOT NULL,
    owner_id INTEGER DEFAULT 0,
    position INTEGER,
    is_active INTEGER DEFAULT 1,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL,
    user_id INTEGER DEFAULT 0,
    date_creation INTEGER NOT NULL,
    comment TEXT NOT NULL,
    reference VARCHAR(50),
    date_modification INTEGER,
    FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    UNIQUE (project_id, name)
);
