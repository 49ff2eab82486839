-- mmlock findings database: schema version 1 -> 2.
--
-- Version 1 kept a finding's path as one text column (note lines joined by
-- newlines), had no shared runs and no triage history.  Run inside the
-- same write transaction as the version check; mmlock_note_part() is the
-- note-line parser of db/parse.c, registered on every connection.  A note
-- line it cannot read is kept as the message, at the finding's place.

ALTER TABLE runs ADD COLUMN key TEXT;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN writers INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN writers_done INTEGER NOT NULL DEFAULT 0;
UPDATE runs SET writers_done = 1 WHERE status <> 'incomplete';
CREATE UNIQUE INDEX runs_key ON runs(key);

CREATE TABLE notes (
	finding		INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	seq		INTEGER NOT NULL,
	file		TEXT NOT NULL,
	line		INTEGER NOT NULL,
	col		INTEGER NOT NULL DEFAULT 0,
	message		TEXT NOT NULL,
	PRIMARY KEY (finding, seq)
) WITHOUT ROWID;

WITH RECURSIVE split(finding, seq, text, rest) AS (
	SELECT id, -1, NULL, notes || char(10) FROM findings
	WHERE notes IS NOT NULL AND notes <> ''
	UNION ALL
	SELECT finding, seq + 1, substr(rest, 1, instr(rest, char(10)) - 1),
	       substr(rest, instr(rest, char(10)) + 1)
	FROM split WHERE rest <> ''
)
INSERT INTO notes (finding, seq, file, line, col, message)
SELECT s.finding, s.seq,
       coalesce(nullif(mmlock_note_part(s.text, 'file'), ''), f.file),
       coalesce(nullif(mmlock_note_part(s.text, 'line'), 0), f.line),
       mmlock_note_part(s.text, 'col'), mmlock_note_part(s.text, 'message')
FROM split s JOIN findings f ON f.id = s.finding WHERE s.seq >= 0;

ALTER TABLE findings DROP COLUMN notes;
CREATE INDEX findings_fingerprint ON findings(fingerprint);
CREATE INDEX findings_place ON findings(run, file, line, col);

CREATE TABLE triage_log (
	id		INTEGER PRIMARY KEY,
	fingerprint	TEXT NOT NULL,
	status		TEXT NOT NULL,
	note		TEXT,
	at		TEXT NOT NULL
);
INSERT INTO triage_log (fingerprint, status, note, at)
SELECT fingerprint, status, note, updated FROM triage;

PRAGMA user_version = 2;
