-- EHR Sim progress store, schema version 2: instructor overrides and employer assessments with
-- their sittings. Attempts gain an optional sitting. Existing rows are kept unchanged.

CREATE TABLE overrides (
    id         INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL REFERENCES attempts (id),
    author_id  INTEGER NOT NULL REFERENCES people (id),
    new_score  REAL NOT NULL,
    comment    TEXT NOT NULL CHECK (length(trim(comment)) > 0),
    created_at TEXT NOT NULL
);

CREATE INDEX overrides_attempt ON overrides (attempt_id, id);

CREATE TABLE assessments (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    time_limit_secs    INTEGER NOT NULL CHECK (time_limit_secs > 0),
    pass_mark_fraction REAL NOT NULL CHECK (pass_mark_fraction >= 0 AND pass_mark_fraction <= 1),
    master_seed        INTEGER NOT NULL,
    created_by         INTEGER NOT NULL REFERENCES people (id),
    created_at         TEXT NOT NULL
);

CREATE TABLE assessment_scenarios (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    scenario_id   TEXT NOT NULL,
    PRIMARY KEY (assessment_id, ordinal),
    UNIQUE (assessment_id, scenario_id)
) WITHOUT ROWID;

CREATE TABLE sittings (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    person_id     INTEGER NOT NULL REFERENCES people (id),
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    UNIQUE (assessment_id, person_id)
);

ALTER TABLE attempts ADD COLUMN sitting_id INTEGER REFERENCES sittings (id);

CREATE INDEX attempts_sitting ON attempts (sitting_id);
