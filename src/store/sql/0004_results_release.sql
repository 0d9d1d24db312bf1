-- EHR Sim progress store, schema version 4: an assessment's results are hidden from its
-- candidates until an employer admin releases them (the time of release; NULL = not released).
-- Existing assessments start unreleased.

ALTER TABLE assessments ADD COLUMN results_released_at TEXT;
