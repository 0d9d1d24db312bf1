-- EHR Sim progress store, schema version 10: per-criterion totals, kept with the findings.
-- Released migrations are never edited: add a new NNNN_*.sql file instead.
-- One row per scenario version and criterion: how many findings, how many of them lost points
-- (points < max_points), and the sums of points and max points. The per-criterion statistics
-- read these rows instead of every finding. The store adds an attempt's findings to them in
-- the transaction that records the attempt; `audit verify` recomputes them from the findings
-- and reports a row that differs. They are derived data, as the gradebook's cells are.

CREATE TABLE criterion_totals (
    scenario_version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
    criterion_id        TEXT NOT NULL,
    findings            INTEGER NOT NULL CHECK (findings > 0),
    misses              INTEGER NOT NULL CHECK (misses >= 0 AND misses <= findings),
    points              REAL NOT NULL,
    max_points          REAL NOT NULL,
    PRIMARY KEY (scenario_version_id, criterion_id)
) WITHOUT ROWID;

INSERT INTO criterion_totals (scenario_version_id, criterion_id, findings, misses, points,
                              max_points)
SELECT a.scenario_version_id, f.criterion_id, count(*),
       sum(CASE WHEN f.points < f.max_points THEN 1 ELSE 0 END), sum(f.points), sum(f.max_points)
FROM findings f JOIN attempts a ON a.id = f.attempt_id
GROUP BY a.scenario_version_id, f.criterion_id;
