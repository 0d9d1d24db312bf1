-- EHR Sim progress store, schema version 1: people, cohorts, scenario versions, attempts with
-- their findings and competencies, drafts, and the audit hash chain.
-- Released migrations are never edited: add a new NNNN_*.sql file instead.
-- Timestamps are RFC 3339 UTC text (e.g. 2026-03-01T09:30:00Z); fractions are 0.0..=1.0.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('student', 'instructor', 'employer_admin', 'candidate')),
    password_hash TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE cohorts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE cohort_members (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (cohort_id, person_id)
) WITHOUT ROWID;

CREATE INDEX cohort_members_person ON cohort_members (person_id);

CREATE TABLE scenario_versions (
    id           INTEGER PRIMARY KEY,
    scenario_id  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    UNIQUE (scenario_id, content_hash)
);

CREATE TABLE attempts (
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL REFERENCES people (id),
    scenario_version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
    seed                INTEGER NOT NULL,
    mode                TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    started_at          TEXT NOT NULL,
    submitted_at        TEXT NOT NULL,
    duration_secs       INTEGER NOT NULL CHECK (duration_secs >= 0),
    score               REAL NOT NULL,
    max_score           REAL NOT NULL CHECK (max_score >= 0),
    passed              INTEGER NOT NULL CHECK (passed IN (0, 1))
);

CREATE INDEX attempts_person_version ON attempts (person_id, scenario_version_id, submitted_at);
CREATE INDEX attempts_version ON attempts (scenario_version_id);

CREATE TABLE attempt_competencies (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    competency TEXT NOT NULL,
    PRIMARY KEY (attempt_id, competency)
) WITHOUT ROWID;

CREATE INDEX attempt_competencies_competency ON attempt_competencies (competency);

CREATE TABLE findings (
    attempt_id   INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    criterion_id TEXT NOT NULL,
    points       REAL NOT NULL,
    max_points   REAL NOT NULL,
    outcome      TEXT NOT NULL,
    feedback     TEXT NOT NULL,
    rule         TEXT NOT NULL,
    expected     TEXT NOT NULL,
    given        TEXT NOT NULL,
    PRIMARY KEY (attempt_id, ordinal)
) WITHOUT ROWID;

CREATE INDEX findings_criterion ON findings (criterion_id);

CREATE TABLE drafts (
    person_id             INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    scenario_id           TEXT NOT NULL,
    seed                  INTEGER NOT NULL,
    mode                  TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    scenario_version_hash TEXT NOT NULL,
    payload               TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    PRIMARY KEY (person_id, scenario_id, seed, mode)
) WITHOUT ROWID;

-- One row per chained record, in commit order. hash = SHA-256(prev_hash || kind || record_id ||
-- canonical JSON of the record); the first link's prev_hash is 64 zeros.
CREATE TABLE audit_chain (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('attempt', 'override')),
    record_id INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    UNIQUE (kind, record_id)
);
