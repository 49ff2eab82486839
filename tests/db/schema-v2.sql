-- mmlock findings database, schema version 2 (the previous one), kept as a
-- test fixture for the migration to version 3 (db/migrate-2.sql).

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
	writers_done	INTEGER NOT NULL DEFAULT 0	-- writers that ended
);
CREATE UNIQUE INDEX runs_key ON runs(key);

-- One finding.  A writer's findings are inserted in the same transaction
-- that ends its part of the run: never half a run's worth.
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
	severity	TEXT NOT NULL
			CHECK (severity IN ('error', 'warning', 'info')),
	fingerprint	TEXT NOT NULL		-- 16 hex digits, see db/README.md
);
CREATE INDEX findings_run ON findings(run, fingerprint);
CREATE INDEX findings_fingerprint ON findings(fingerprint);
CREATE INDEX findings_place ON findings(run, file, line, col);

-- The path of a finding: its note: lines, in order.
CREATE TABLE notes (
	finding		INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	seq		INTEGER NOT NULL,
	file		TEXT NOT NULL,
	line		INTEGER NOT NULL,
	col		INTEGER NOT NULL DEFAULT 0,
	message		TEXT NOT NULL,
	PRIMARY KEY (finding, seq)
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
PRAGMA user_version = 2;
