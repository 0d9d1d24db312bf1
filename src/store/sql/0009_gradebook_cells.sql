-- EHR Sim progress store, schema version 9: the gradebook's cells, kept with the attempts.
-- Released migrations are never edited: add a new NNNN_*.sql file instead.
-- One row per learner and scenario version: how many attempts, the best fraction, and the
-- latest attempt (by submitted_at, then id) with its fraction and pass. Fractions are of the
-- effective score (the newest override wins). The store rewrites a cell in the transaction
-- that records an attempt or an override of it; `audit verify` recomputes every cell from the
-- attempts and reports one that differs. The cells are derived data: no key points at an
-- attempt, so a deleted attempt is reported by the audit chain, not refused here.

CREATE TABLE gradebook_cells (
    person_id           INTEGER NOT NULL REFERENCES people (id),
    scenario_version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
    attempts            INTEGER NOT NULL CHECK (attempts > 0),
    best_fraction       REAL NOT NULL,
    latest_attempt_id   INTEGER NOT NULL,
    latest_submitted_at TEXT NOT NULL,
    latest_fraction     REAL NOT NULL,
    latest_passed       INTEGER NOT NULL CHECK (latest_passed IN (0, 1)),
    PRIMARY KEY (person_id, scenario_version_id)
) WITHOUT ROWID;
