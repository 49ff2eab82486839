# expect.sh (sourced): what a mutation case of tests/kernel/mutations-V.txt
# expects.  expect FILE MUTATED-COPY EXPECTATION prints "FILE:LINE RULE"
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
