-- mmlock findings database: schema version 3 -> 4.
--
-- A finding's notes move out of note_rows, a row each, into the
-- finding's own row (findings.path, JSON: [[file, line, col, message],
-- ...], file and message still ids of texts): listing or importing a run
-- no longer reads or writes a second table of twice as many rows.  The
-- view notes reads as before (seq: the note's place in the path, from 0).
-- The severity's check becomes three comparisons instead of an IN list,
-- which SQLite checked with a table it built for every row inserted.  A
-- check cannot be altered: the table is made again (the 12 steps of
-- SQLite's "ALTER TABLE" page; the ids stay, nothing refers to findings
-- once note_rows is gone), its indexes too.
-- Run inside the same write transaction as the version check.

CREATE TABLE findings_v4 (
	id		INTEGER PRIMARY KEY,
	run		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	rule		TEXT NOT NULL,
	file		TEXT NOT NULL,
	line		INTEGER NOT NULL,
	col		INTEGER NOT NULL DEFAULT 0,
	function	TEXT,
	message		TEXT NOT NULL,
	engine		TEXT NOT NULL,
	severity	TEXT NOT NULL
			CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
	fingerprint	TEXT NOT NULL,
	path		TEXT
);
-- each finding's notes in seq order (the subquery's order); none: NULL
INSERT INTO findings_v4 (id, run, rule, file, line, col, function, message, engine, severity,
			 fingerprint, path)
SELECT f.id, f.run, f.rule, f.file, f.line, f.col, f.function, f.message, f.engine, f.severity,
	f.fingerprint,
	(SELECT iif(count(*), json_group_array(json_array(n.file, n.line, n.col, n.message)), NULL)
	 FROM (SELECT file, line, col, message FROM note_rows
	       WHERE finding = f.id ORDER BY seq) n)
FROM findings f;

DROP VIEW notes;
DROP TABLE note_rows;
DROP TABLE findings;
ALTER TABLE findings_v4 RENAME TO findings;
CREATE INDEX findings_place ON findings(run, file, line, col);
CREATE INDEX findings_fingerprint ON findings(fingerprint, run);
CREATE VIEW notes (finding, seq, file, line, col, message) AS
	SELECT f.id, j.key, tf.text, json_extract(j.value, '$[1]'),
		json_extract(j.value, '$[2]'), tm.text
	FROM findings f JOIN json_each(f.path) j
	JOIN texts tf ON tf.id = json_extract(j.value, '$[0]')
	JOIN texts tm ON tm.id = json_extract(j.value, '$[3]');

PRAGMA user_version = 4;
