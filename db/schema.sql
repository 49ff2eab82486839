-- mmlock findings database, schema version 4 (the current one).
--
-- Executed by db/open.c inside one write transaction on an empty file;
-- db/migrate-1.sql, db/migrate-2.sql and db/migrate-3.sql bring older
-- databases to this same shape.  The schema version lives in PRAGMA
-- user_version and the file is marked as ours by PRAGMA application_id
-- ('mmlk'): a database without that mark is foreign and never touched.

-- One analysis run: one import, one plugin invocation, or one build whose
-- writers share a key.  status: 'incomplete' until every writer that joined
-- has ended (so a killed writer leaves it incomplete), then 'complete', or
-- 'interrupted' when a writer ended early.
CREATE TABLE runs (
	id		INTEGER PRIMARY KEY,
	started		TEXT NOT NULL,		-- UTC, ISO 8601
	finished	TEXT,			-- when the last writer ended
	status		TEXT NOT NULL DEFAULT 'incomplete'
			CHECK (status IN ('incomplete', 'complete', 'interrupted')),
	tool_version	TEXT NOT NULL,		-- mmlock version
	kernel_version	TEXT,			-- e.g. 6.1.192, where known
	git_rev		TEXT,			-- of the analysed tree, where known
	engines		TEXT NOT NULL DEFAULT '',	-- comma-separated
	rules		TEXT NOT NULL DEFAULT '',	-- comma-separated, '' = all
	source		TEXT,			-- what was imported
	key		TEXT,			-- writers with one key share the run
	host		TEXT,
	writers		INTEGER NOT NULL DEFAULT 1,	-- writers that joined
	writers_done	INTEGER NOT NULL DEFAULT 0,	-- writers that ended
	counted		INTEGER NOT NULL DEFAULT 0,	-- 1: run_counts has its counts
	ordered		INTEGER NOT NULL DEFAULT 0	-- 1: its ids follow (file, line, col):
							-- one writer wrote it whole
);
CREATE UNIQUE INDEX runs_key ON runs(key);

-- One finding, its path (its note: lines) with it.  A writer's findings
-- are inserted in the same transaction that ends its part of the run:
-- never half a run's worth.
CREATE TABLE findings (
	id		INTEGER PRIMARY KEY,
	run		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	rule		TEXT NOT NULL,		-- rule id, gcc -W option, or engine
	file		TEXT NOT NULL,		-- relative to the tree where possible
	line		INTEGER NOT NULL,
	col		INTEGER NOT NULL DEFAULT 0,	-- 0: unknown
	function	TEXT,			-- enclosing function, where known
	message		TEXT NOT NULL,
	engine		TEXT NOT NULL,		-- gcc-plugin, cocci, sparse, smatch, gcc
	severity	TEXT NOT NULL		-- three comparisons: SQLite checks an
						-- IN list of three with a table it
						-- builds for each row inserted
			CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
	fingerprint	TEXT NOT NULL,		-- 16 hex digits, see db/README.md
	path		TEXT			-- its notes, in order, as JSON:
						-- [[file, line, col, message], ...],
						-- file and message ids of texts;
						-- NULL: none (the view notes reads it)
);
-- place: a run's findings in listing order (and "WHERE run = ?");
-- fingerprint: a finding in every run, triage's prefixes, a run's triaged.
CREATE INDEX findings_place ON findings(run, file, line, col);
CREATE INDEX findings_fingerprint ON findings(fingerprint, run);

-- Each text a note says (its file, its message), stored once.
CREATE TABLE texts (
	id		INTEGER PRIMARY KEY,
	text		TEXT NOT NULL UNIQUE
);

-- The notes of findings.path as rows, their texts as text.
CREATE VIEW notes (finding, seq, file, line, col, message) AS
	SELECT f.id, j.key, tf.text, json_extract(j.value, '$[1]'),
		json_extract(j.value, '$[2]'), tm.text
	FROM findings f JOIN json_each(f.path) j
	JOIN texts tf ON tf.id = json_extract(j.value, '$[0]')
	JOIN texts tm ON tm.id = json_extract(j.value, '$[3]');

-- What `stats` counts of a run, written when its last writer ends (and
-- the run marked counted), dropped when another writer joins it: per run
-- (kind 0, key ''), per rule (kind 1) and per file (kind 2), the findings,
-- their distinct fingerprints and the distinct files (of a rule) or rules
-- (of a file; 0 for the run).  Triage marks are not in it: they change.
CREATE TABLE run_counts (
	run		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	kind		INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
	key		TEXT NOT NULL,
	findings	INTEGER NOT NULL,
	fingerprints	INTEGER NOT NULL,
	others		INTEGER NOT NULL,
	PRIMARY KEY (run, kind, key)
) WITHOUT ROWID;

-- Triage marks, by fingerprint, so they survive across runs.
CREATE TABLE triage (
	fingerprint	TEXT PRIMARY KEY,
	status		TEXT NOT NULL
			CHECK (status IN ('confirmed', 'false-positive', 'wont-fix')),
	note		TEXT,
	updated		TEXT NOT NULL
);

-- Every triage change, including clearing a mark (status 'cleared').
CREATE TABLE triage_log (
	id		INTEGER PRIMARY KEY,
	fingerprint	TEXT NOT NULL,
	status		TEXT NOT NULL,
	note		TEXT,
	at		TEXT NOT NULL
);

PRAGMA application_id = 1835887723;	-- 0x6d6d6c6b, 'mmlk'
PRAGMA user_version = 4;
