-- EHR Sim progress store, schema version 3: findings keep the criterion's title and report
-- section, and an attempt keeps the critical gates that fired, so a report read back from the
-- store says what the learner saw. Attempts recorded before this version keep empty titles and
-- no critical rows (reports say the gates were not recorded for them).

ALTER TABLE findings ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN section TEXT NOT NULL DEFAULT '';

CREATE TABLE attempt_criticals (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    gate_id    TEXT NOT NULL,
    title      TEXT NOT NULL,
    message    TEXT NOT NULL,
    effect     TEXT NOT NULL,
    rule       TEXT NOT NULL,
    PRIMARY KEY (attempt_id, ordinal)
) WITHOUT ROWID;

-- Whether an attempt's critical gates were recorded (version 3 and later).
ALTER TABLE attempts ADD COLUMN criticals_recorded INTEGER NOT NULL DEFAULT 0
    CHECK (criticals_recorded IN (0, 1));
