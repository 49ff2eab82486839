/*
 * The steps of a finding's path: what each note says happened there --
 * a lock taken, a lock dropped, a value learned, a value used -- read
 * from the words of its message.  SARIF's threadFlowLocation kinds and
 * the HTML report's step marks both come from here.
 */
#include <string.h>
#include "internal.h"

static int says(const char *msg, const char *const *words)
{
	for (; *words; words++)
		if (strstr(msg, *words))
			return 1;
	return 0;
}

enum mmdb_step mmdb_step_kind(const char *msg)
{
	static const char *const dropped[] = {
		"dropped", "released", "unlocked", "unmapped", "may drop", "releases", NULL,
	};
	static const char *const taken[] = { "taken", "locked", "acquired", NULL };
	static const char *const learned[] = {
		"looked up", "mapped", "learned", "checked", "found", "read", "returned", NULL,
	};
	static const char *const used[] = { "used", "passed", "called", NULL };

	if (!msg)
		return MMDB_STEP_OTHER;
	/* "re-taken" after "dropped" in one note is the taking */
	if (strstr(msg, "re-taken here"))
		return MMDB_STEP_TAKEN;
	if (says(msg, dropped))
		return MMDB_STEP_DROPPED;
	if (says(msg, taken))
		return MMDB_STEP_TAKEN;
	if (says(msg, learned))
		return MMDB_STEP_LEARNED;
	if (says(msg, used))
		return MMDB_STEP_USED;
	return MMDB_STEP_OTHER;
}

static const struct {
	const char *name;
	const char *sarif;		/* SARIF 2.1.0 threadFlowLocation.kinds (3.38.8) */
} steps[] = {
	[MMDB_STEP_OTHER] = { "note", "[]" },
	[MMDB_STEP_TAKEN] = { "lock taken", "[\"acquire\", \"lock\"]" },
	[MMDB_STEP_DROPPED] = { "lock dropped", "[\"release\", \"lock\"]" },
	[MMDB_STEP_LEARNED] = { "value learned", "[\"value\"]" },
	[MMDB_STEP_USED] = { "value used", "[\"value\"]" },
	[MMDB_STEP_FINDING] = { "finding", "[\"danger\"]" },
};

const char *mmdb_step_name(enum mmdb_step k)
{
	return steps[k].name;
}

/* As a JSON array. */
const char *mmdb_step_sarif_kinds(enum mmdb_step k)
{
	return steps[k].sarif;
}
