-- EHR Sim progress store on PostgreSQL, schema version 10: per-criterion totals, kept with the
-- findings (see ../0010_criterion_totals.sql).

CREATE TABLE criterion_totals (
    scenario_version_id BIGINT NOT NULL REFERENCES scenario_versions (id),
    criterion_id        TEXT NOT NULL,
    findings            BIGINT NOT NULL CHECK (findings > 0),
    misses              BIGINT NOT NULL CHECK (misses >= 0 AND misses <= findings),
    points              DOUBLE PRECISION NOT NULL,
    max_points          DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (scenario_version_id, criterion_id)
);

INSERT INTO criterion_totals (scenario_version_id, criterion_id, findings, misses, points,
                              max_points)
SELECT a.scenario_version_id, f.criterion_id, count(*),
       sum(CASE WHEN f.points < f.max_points THEN 1 ELSE 0 END), sum(f.points), sum(f.max_points)
FROM findings f JOIN attempts a ON a.id = f.attempt_id
GROUP BY a.scenario_version_id, f.criterion_id;
