-- mmlock findings database: schema version 3 -> 4.
--
-- A finding's notes move out of note_rows, a row each, into the
-- finding's own row (findings.path, JSON: [[file, line, col, message],
-- ...], file and message still ids of texts): listing or importing a run
-- no longer reads or writes a second table of twice as many rows.  The
-- view notes reads as before (seq: the note's place in the path, from 0).
-- Run inside the same write transaction as the version check.

ALTER TABLE findings ADD COLUMN path TEXT;
-- each finding's notes in seq order (the subquery's order)
UPDATE findings SET path = (
	SELECT json_group_array(json_array(n.file, n.line, n.col, n.message))
	FROM (SELECT file, line, col, message FROM note_rows
	      WHERE finding = findings.id ORDER BY seq) n)
WHERE id IN (SELECT finding FROM note_rows);

DROP VIEW notes;
DROP TABLE note_rows;
CREATE VIEW notes (finding, seq, file, line, col, message) AS
	SELECT f.id, j.key, tf.text, json_extract(j.value, '$[1]'),
		json_extract(j.value, '$[2]'), tm.text
	FROM findings f JOIN json_each(f.path) j
	JOIN texts tf ON tf.id = json_extract(j.value, '$[0]')
	JOIN texts tm ON tm.id = json_extract(j.value, '$[3]');

PRAGMA user_version = 4;
