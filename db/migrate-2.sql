-- mmlock findings database: schema version 2 -> 3.
--
-- Version 2 indexed a run's findings twice by fingerprint ((run,
-- fingerprint) and (fingerprint)): one index, (fingerprint, run), now does
-- what both did, and a big import builds it after its rows.  Runs gain the
-- counts `stats` reads instead of their findings; the runs already stored
-- are not counted (stats reads their findings, as before).  Run inside the
-- same write transaction as the version check.

DROP INDEX findings_run;
DROP INDEX findings_fingerprint;
CREATE INDEX findings_fingerprint ON findings(fingerprint, run);

ALTER TABLE runs ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE run_counts (
	run		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	kind		INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
	key		TEXT NOT NULL,
	findings	INTEGER NOT NULL,
	fingerprints	INTEGER NOT NULL,
	others		INTEGER NOT NULL,
	PRIMARY KEY (run, kind, key)
) WITHOUT ROWID;

PRAGMA user_version = 3;
