# expect.sh (sourced, with $tree the unchanged tree): what a mutation case
# of tests/kernel/mutations-V.txt expects.  expect FILE MUTATED-COPY EXPECTATION prints "FILE:LINE RULE"
# lines (nothing for "clean"), or one line "!why" when a pattern is not
# found exactly once in the copy.
expect() {
	local file=$1 copyf=$2 e rule rest pat off n
	[ "$3" = clean ] && return
	while IFS= read -r e; do
		rule=${e%%@*}
		rest=${e#*@}
		pat=${rest%%@*}
		off=+0
		[ "$rest" != "$pat" ] && off=${rest#*@}
		n=$(grep -cF -- "$pat" "$copyf")
		[ "$n" -ne 1 ] && { echo "!pattern '$pat' found $n times"; return; }
		echo "$file:$(( $(grep -nF -- "$pat" "$copyf" | cut -d: -f1) $off )) $rule"
	done < <(echo "$3" | sed 's/ && /\n/g')
}

# "FILE:LINE RULE" of the entries of lists like expected-V.txt
entries() { cat "$@" 2>/dev/null | grep -v '^#' | awk 'NF { print $1 " " $2 }' | sort -u; }

# the entries of the LISTS (expected-V.txt, known-fp-V.txt, ...) for FILE at
# their lines in the changed copy: those inside the changed lines are the
# change's business (its expectation), those after it move by its size
listed_in_copy() {
	local file=$1 copyf=$2 first last delta
	shift 2
	first=$(cmp "$tree/$file" "$copyf" 2>/dev/null | sed -n 's/.* line \([0-9]*\)$/\1/p')
	[ -n "$first" ] || first=999999999
	# lines from the end that are the same in both: the last changed line
	last=$(diff <(tac "$tree/$file") <(tac "$copyf") | sed -n '1s/^\([0-9]*\).*/\1/p')
	[ -n "$last" ] || last=1
	last=$(( $(wc -l < "$tree/$file") - last + 1 ))
	delta=$(( $(wc -l < "$copyf") - $(wc -l < "$tree/$file") ))
	entries "$@" |
		awk -v f="$file" -v first="$first" -v last="$last" -v d="$delta" '
		{ split($1, a, ":"); if (a[1] != f) next
		  l = a[2] + 0
		  if (l >= first && l <= last) next
		  if (l > last) l += d
		  print a[1] ":" l " " $2 }'
}
