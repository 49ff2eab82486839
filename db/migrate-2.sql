-- mmlock findings database: schema version 2 -> 3.
--
-- Version 2 indexed a run's findings twice by fingerprint ((run,
-- fingerprint) and (fingerprint)): one index, (fingerprint, run), now does
-- what both did, and a big import builds it after its rows.  A note's
-- file and message move into texts, each stored once, the notes into
-- note_rows, and notes becomes a view that reads as the table did.  Runs
-- gain the counts `stats` reads instead of their findings, and a mark
-- that their ids follow the listing's order; the runs already stored
-- have neither (stats and list read them as before).
-- Run inside the same write transaction as the version check.

DROP INDEX findings_run;
DROP INDEX findings_fingerprint;
CREATE INDEX findings_fingerprint ON findings(fingerprint, run);

CREATE TABLE texts (
	id		INTEGER PRIMARY KEY,
	text		TEXT NOT NULL UNIQUE
);
INSERT INTO texts (text) SELECT file FROM notes UNION SELECT message FROM notes;

CREATE TABLE note_rows (
	finding		INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	seq		INTEGER NOT NULL,
	file		INTEGER NOT NULL REFERENCES texts(id),
	line		INTEGER NOT NULL,
	col		INTEGER NOT NULL DEFAULT 0,
	message		INTEGER NOT NULL REFERENCES texts(id),
	PRIMARY KEY (finding, seq)
) WITHOUT ROWID;
INSERT INTO note_rows (finding, seq, file, line, col, message)
SELECT n.finding, n.seq, tf.id, n.line, n.col, tm.id
FROM notes n JOIN texts tf ON tf.text = n.file JOIN texts tm ON tm.text = n.message;

DROP TABLE notes;
CREATE VIEW notes (finding, seq, file, line, col, message) AS
	SELECT n.finding, n.seq, tf.text, n.line, n.col, tm.text
	FROM note_rows n JOIN texts tf ON tf.id = n.file JOIN texts tm ON tm.id = n.message;

ALTER TABLE runs ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0;

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
