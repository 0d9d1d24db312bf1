-- EHR Sim progress store, schema version 8: records pushed from a laptop's database.
-- Released migrations are never edited: add a new NNNN_*.sql file instead.
-- One row per record `ehr-sim store push` brought here: its audit-link hash in the laptop's
-- chain, and the record it became. A record whose hash is here is never pushed again, so running
-- a push twice adds nothing.

CREATE TABLE pushed_records (
    source_hash TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('attempt', 'override')),
    record_id   INTEGER NOT NULL,
    source      TEXT NOT NULL,
    pushed_at   TEXT NOT NULL,
    UNIQUE (kind, record_id)
);
