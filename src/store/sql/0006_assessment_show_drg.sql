-- EHR Sim progress store, schema version 6: an assessment may show candidates the MS-DRG their
-- inpatient codes group to as they code (its author's choice; practice always shows it).
-- Existing assessments do not show it.

ALTER TABLE assessments ADD COLUMN show_drg INTEGER NOT NULL DEFAULT 0 CHECK (show_drg IN (0, 1));
