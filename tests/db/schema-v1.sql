-- mmlock findings database, schema version 1 (the previous one), kept as a
-- test fixture for the migration to version 2 (db/migrate-1.sql).
CREATE TABLE runs (
	id		INTEGER PRIMARY KEY,
	started		TEXT NOT NULL,
	finished	TEXT,
	status		TEXT NOT NULL DEFAULT 'incomplete'
			CHECK (status IN ('incomplete', 'complete', 'interrupted')),
	tool_version	TEXT NOT NULL,
	kernel_version	TEXT,
	git_rev		TEXT,
	engines		TEXT NOT NULL DEFAULT '',
	rules		TEXT NOT NULL DEFAULT '',
	source		TEXT
);
CREATE TABLE findings (
	id		INTEGER PRIMARY KEY,
	run		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	rule		TEXT NOT NULL,
	file		TEXT NOT NULL,
	line		INTEGER NOT NULL,
	col		INTEGER NOT NULL DEFAULT 0,
	function	TEXT,
	message		TEXT NOT NULL,
	notes		TEXT,		-- note lines, joined by newlines
	engine		TEXT NOT NULL,
	severity	TEXT NOT NULL
			CHECK (severity IN ('error', 'warning', 'info')),
	fingerprint	TEXT NOT NULL
);
CREATE INDEX findings_run ON findings(run, fingerprint);
CREATE TABLE triage (
	fingerprint	TEXT PRIMARY KEY,
	status		TEXT NOT NULL
			CHECK (status IN ('confirmed', 'false-positive', 'wont-fix')),
	note		TEXT,
	updated		TEXT NOT NULL
);
PRAGMA application_id = 1835887723;
PRAGMA user_version = 1;
