// The db headers from C++ (the GCC plugin is C++): they must compile and
// link with extern "C".  Prints the fingerprint of a fixed finding.
#include <cstdio>
#include "../../db/mmdb.h"
#include "../../db/query.h"

int main()
{
	char fp[17];

	mmdb_fingerprint("pte-lock", "mm/demo.c", "collapse_one",
			 "set_pte_at(mm,addr,pte,pte_mkold(*pte));",
			 "set_pte_at() changes a pte entry without holding its pte lock", fp);
	std::printf("%s %d\n", fp, mmdb_format_parse("sarif") == MMDB_SARIF);
	return 0;
}
