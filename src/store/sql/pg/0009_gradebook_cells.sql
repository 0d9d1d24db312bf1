-- EHR Sim progress store on PostgreSQL, schema version 9: the gradebook's cells, kept with the
-- attempts (see ../0009_gradebook_cells.sql).

CREATE TABLE gradebook_cells (
    person_id           BIGINT NOT NULL REFERENCES people (id),
    scenario_version_id BIGINT NOT NULL REFERENCES scenario_versions (id),
    attempts            BIGINT NOT NULL CHECK (attempts > 0),
    best_fraction       DOUBLE PRECISION NOT NULL,
    latest_attempt_id   BIGINT NOT NULL,
    latest_submitted_at TEXT NOT NULL,
    latest_fraction     DOUBLE PRECISION NOT NULL,
    latest_passed       BIGINT NOT NULL CHECK (latest_passed IN (0, 1)),
    PRIMARY KEY (person_id, scenario_version_id)
);
