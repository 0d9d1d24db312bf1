-- EHR Sim progress store, schema version 5: the audit chain covers people, assessments,
-- sittings and cohorts as well as attempts and overrides; attempts keep their grading
-- provenance; employers' Ed25519 seals over the chain head are stored.
--
-- A link of a record that can change (a person, an assessment, a sitting, a cohort) keeps the
-- canonical JSON it hashed in `content`, so every version of the record stays verifiable and the
-- record's latest link must match what is stored now. Links of attempts and overrides, which
-- never change, keep `content` NULL and are checked against the record itself, as before.
-- Existing records get their first link when this migration runs (in the same transaction).

CREATE TABLE audit_chain_v5 (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('attempt', 'override', 'person', 'assessment', 'sitting', 'cohort')),
    record_id INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    content   TEXT
);

INSERT INTO audit_chain_v5 (seq, kind, record_id, prev_hash, hash)
    SELECT seq, kind, record_id, prev_hash, hash FROM audit_chain ORDER BY seq;

DROP TABLE audit_chain;

ALTER TABLE audit_chain_v5 RENAME TO audit_chain;

CREATE INDEX audit_chain_record ON audit_chain (kind, record_id, seq);

-- What graded the attempt: the rubric's content hash and the program's version (NULL for
-- attempts recorded before this version).
ALTER TABLE attempts ADD COLUMN rubric_hash TEXT;
ALTER TABLE attempts ADD COLUMN program_version TEXT;

-- An employer's signature over the chain head at the time of sealing. The message signed is
-- "ehr-sim/seal/v1\n<assessment name>\n<link count>\n<head>\n<sealed_at>".
CREATE TABLE seals (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    links         INTEGER NOT NULL CHECK (links >= 0),
    head          TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    signature     TEXT NOT NULL,
    sealed_by     INTEGER NOT NULL REFERENCES people (id),
    sealed_at     TEXT NOT NULL
);

CREATE INDEX seals_assessment ON seals (assessment_id, id);
