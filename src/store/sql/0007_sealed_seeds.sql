-- EHR Sim progress store, schema version 7: reading the database no longer reveals an
-- assessment's master seed or a candidate's seeds (src/store/secrets.rs).
--
-- Each person with a password, PIN or access code gets an X25519 key pair whose private key
-- their secret opens; staff hold one staff key sealed to their public keys; master seeds are
-- encrypted under the staff key and candidates' seeds sealed to the candidate's public key.
-- The seeds of assessments created before this version stay in `legacy_master_seeds` until
-- the first instructor or employer admin signs in, who seals them. The audit chain's
-- commitment to each master seed moves into `assessments.seed_commitment` (filled for the
-- existing assessments by the program, with the value their links already hold).

CREATE TABLE person_keys (
    person_id      INTEGER PRIMARY KEY REFERENCES people (id),
    public_key     BLOB NOT NULL CHECK (length(public_key) = 32),
    salt           BLOB NOT NULL,
    sealed_private BLOB NOT NULL
);

CREATE TABLE staff_grants (
    person_id INTEGER PRIMARY KEY REFERENCES people (id),
    sealed    BLOB NOT NULL
);

CREATE TABLE candidate_seeds (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    person_id     INTEGER NOT NULL REFERENCES people (id),
    sealed        BLOB NOT NULL,
    PRIMARY KEY (assessment_id, person_id)
);

CREATE TABLE sitting_seed_checks (
    sitting_id  INTEGER NOT NULL REFERENCES sittings (id),
    scenario_id TEXT NOT NULL,
    seed_check  TEXT NOT NULL,
    PRIMARY KEY (sitting_id, scenario_id)
);

CREATE TABLE legacy_master_seeds (
    assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id),
    master_seed   INTEGER NOT NULL
);

INSERT INTO legacy_master_seeds (assessment_id, master_seed) SELECT id, master_seed FROM assessments;

ALTER TABLE assessments ADD COLUMN seed_commitment TEXT;
ALTER TABLE assessments ADD COLUMN seed_sealed BLOB;
ALTER TABLE assessments DROP COLUMN master_seed;
