-- EHR Sim progress store on PostgreSQL, schema version 8: records pushed from a laptop's
-- database (see ../0008_pushed_records.sql).

CREATE TABLE pushed_records (
    source_hash TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('attempt', 'override')),
    record_id   BIGINT NOT NULL,
    source      TEXT NOT NULL,
    pushed_at   TEXT NOT NULL,
    UNIQUE (kind, record_id)
);
