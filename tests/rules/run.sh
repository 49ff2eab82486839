#!/bin/bash
# The rule corpora: tests/rules/<rule-id>/*.c, one folder per rule of
# rules/mm.rules, every case run through BOTH engines, the GCC plugin and
# Coccinelle ("mmlock cocci"), and held to what the file says.
#
#   tests/rules/run.sh [--engine plugin|cocci] [CASE.c | RULE-DIR]...
#
# Expectations are written in the case, in comments on the line they are
# about, as GCC's testsuite writes dg-warning:
#
#   /* mmlock-warn: RULE "REGEX" */          a warning of RULE at this line,
#                                            its message matching REGEX (POSIX
#                                            ERE, bash's =~, unanchored)
#   /* mmlock-note: "REGEX" */               a note printed at this line whose
#                                            text matches REGEX (notes are not
#                                            exhaustive: only those listed are
#                                            required, where the path matters)
#   /* mmlock-warn[plugin]: RULE "REGEX" -- REASON */
#   /* mmlock-note[cocci]: "REGEX" */        the same, for one engine only
#
# Unmarked, an expectation holds for both engines.  "[plugin]" or
# "[cocci]" limits it to that engine, and a warning so marked carries the
# reason the other engine does not (or cannot) report it there, after
# " -- ".  Several directives may share a line (each to the next directive
# or the end of the comment).  Per file:
#
#   mmlock-engines: plugin -- REASON         unmarked expectations of this
#                                            file are the plugin's only (the
#                                            case is beyond the other
#                                            engine); the other engine still
#                                            runs on it and must report
#                                            exactly its own marked lines
#   mmlock-args: KEY=VALUE ...               plugin arguments
#                                            (-fplugin-arg-mmlock_plugin-KEY=VALUE);
#                                            enable=/disable= choose the
#                                            rules of both engines
#
# For each case and engine the set of (line, rule) reported in the case's
# file must equal the expected set exactly: every other line of the file
# must stay silent, for every rule, since all the rules run on every case.
# Each expected warning's message must match its REGEX, each expected note
# must be printed.
#
# The plugin: gcc -fplugin=build/mmlock_plugin.so ...-analysis-only -S,
# with -Werror=implicit-function-declaration (a case declares what it
# calls, in tests/rules/include/kernel.h (6.1 forms) or kernel612.h (6.5+
# forms), or itself), no internal error and no "not analysed" note.
# Silent functions: every function defined in a case (gcc -aux-info: from
# its definition to the next one) with no warning expected from the plugin
# inside it must stay silent, and the plugin must also show that it looked:
# its stats= line for the function (plugin/stats.c) says "paths", the
# path-sensitive walk finished -- not "merged", "skipped", or no line at
# all (a function the plugin never analysed passes no test).  Two kinds of
# function have no stats line by design, and are let through:
#
#   mmlock-unanalysed: REASON                in the function (on its first
#                                            line): the plugin skips it, it
#                                            has no lock or operation the
#                                            rules name; REASON says which.
#                                            A function so marked that the
#                                            plugin does analyse fails.
#
# and the primitives rules/mm.rules names (their bodies are not analysed,
# unless marked "analysed" there).
#
# Coccinelle: "mmlock cocci -j 2" over copies of the cases in a scratch
# tree whose top Makefile says the kernel version the case is written for:
# 6.12 for the cases that include kernel612.h (so the 6.5+ rules run, as on
# a 6.12 tree), 6.1 for the rest.  No file may be "not analysed".
#
# Per rule: its folder exists, and some case expects the rule from each
# engine that has it (every rule from the plugin, from Coccinelle the rules
# with a cocci/RULE.cocci).
#
# Prints "PASS name" / "FAIL name: why" per case and engine, then per rule
# (a line that names a directive wrongly, an unknown rule, an engine-marked
# warning without its reason, is a FAIL of the case); without spatch, a
# SKIP for the Coccinelle half.
# $MMLOCK_SNAPSHOT=DIR: every plugin warning and note of each case into
# DIR/rules/<rule>/<case>.txt (scripts/plugin-snapshot.sh).
# $MMLOCK_RULES_OUT=DIR: each engine's whole output per case into
# DIR/<rule>/<case>.plugin and .cocci, to write expectations from.
set -u
cd "$(dirname "$0")/../.." || exit 2
R=tests/rules
PLUGIN=build/mmlock_plugin.so
MMLOCK=build/mmlock
ENGINES="plugin cocci"
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--engine) ENGINES=$2; shift 2 ;;
	--engine=*) ENGINES=${1#--engine=}; shift ;;
	-*) echo "usage: tests/rules/run.sh [--engine plugin|cocci] [CASE.c | RULE-DIR]..." >&2; exit 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
case " $ENGINES " in *" plugin "*|*" cocci "*) ;; *) echo "tests/rules/run.sh: --engine plugin|cocci" >&2; exit 2 ;; esac
TMP=$(mktemp -d /tmp/mmlock-rules.XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
on() { case " $ENGINES " in *" $1 "*) return 0 ;; esac; return 1; }

RULES=$(sed -n 's/^rule \([a-z-]*\) .*/\1/p' rules/mm.rules)
known_rule() { case " $(echo $RULES) " in *" $1 "*) return 0 ;; esac; return 1; }
COCCI_RULES=""
if on cocci; then
	if ! command -v spatch >/dev/null; then
		echo "SKIP rules/cocci: spatch not installed (the Coccinelle half of every case not run)"
		ENGINES=${ENGINES//cocci/}
	else
		COCCI_RULES=$($MMLOCK cocci --list-rules 2>/dev/null | awk '{print $1}')
		[ -n "$COCCI_RULES" ] || { fail rules/cocci "mmlock cocci --list-rules lists nothing"; exit 1; }
	fi
fi
cocci_has() { case " $(echo $COCCI_RULES) " in *" $1 "*) return 0 ;; esac; return 1; }

if [ ${#args[@]} -eq 0 ]; then
	CASES=$(ls $R/*/*.c | grep -v "^$R/include/")
else
	CASES=$(for a in "${args[@]}"; do if [ -d "$a" ]; then ls "${a%/}"/*.c; else echo "$a"; fi; done)
fi
[ -n "$CASES" ] || { fail rules/run "no cases"; exit 1; }

# ---- the expectations of a case: $TMP/<id>.exp, one record a line ----
#   W <TAB> line <TAB> engines <TAB> rule <TAB> regex
#   N <TAB> line <TAB> engines <TAB> regex
#   A <TAB> args           E <TAB> engines <TAB> reason
#   X <TAB> line <TAB> what is wrong with the directive
re_dir='mmlock-([a-z]+)(\[([a-z, ]*)\])?:'
re_warn='^([a-z-]+)[[:space:]]+"([^"]*)"[[:space:]]*(--[[:space:]]*(.*))?$'
re_note='^"([^"]*)"[[:space:]]*(--.*)?$'
re_eng='^([a-z, ]+)--[[:space:]]*(.+)$'
engines_of() {	# "plugin, cocci" -> "plugin cocci", or "" if one is unknown
	local e out=""
	for e in ${1//,/ }; do
		case $e in plugin|cocci) out="$out $e" ;; *) return 1 ;; esac
	done
	echo ${out# }
}
parse_case() {
	local src=$1 n line s rest t kw eng engs
	grep -n "mmlock-" "$src" | while IFS= read -r line; do
		n=${line%%:*}
		s=${line#*:}
		if ! [[ $s =~ $re_dir ]]; then
			printf 'X\t%s\t%s\n' "$n" "not a directive: ${s##*mmlock-}"
			continue
		fi
		while [[ $s =~ $re_dir ]]; do
			kw=${BASH_REMATCH[1]}
			eng=${BASH_REMATCH[3]}
			rest=${s#*"${BASH_REMATCH[0]}"}
			if [[ $rest =~ $re_dir ]]; then
				t=${rest%%"${BASH_REMATCH[0]}"*}
				s=${BASH_REMATCH[0]}${rest#*"${BASH_REMATCH[0]}"}
			else
				t=$rest
				s=""
			fi
			t=${t%%\*/*}
			t=$(echo "$t" | sed -E 's/^[[:space:]]+//; s/[[:space:];]+$//')
			engs="*"
			if [ -n "$eng" ]; then
				engs=$(engines_of "$eng") || { printf 'X\t%s\t%s\n' "$n" "unknown engine in [$eng]"; continue; }
			fi
			case $kw in
			warn)
				if ! [[ $t =~ $re_warn ]]; then
					printf 'X\t%s\t%s\n' "$n" "mmlock-warn: wants RULE \"REGEX\": $t"
				elif ! known_rule "${BASH_REMATCH[1]}"; then
					printf 'X\t%s\t%s\n' "$n" "unknown rule '${BASH_REMATCH[1]}'"
				elif [ "$engs" != "*" ] && [ "$engs" != "plugin cocci" ] && [ -z "${BASH_REMATCH[4]}" ]; then
					printf 'X\t%s\t%s\n' "$n" "mmlock-warn[$engs] without \"-- REASON\""
				else
					printf 'W\t%s\t%s\t%s\t%s\n' "$n" "$engs" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
				fi ;;
			note)
				if [[ $t =~ $re_note ]]; then
					printf 'N\t%s\t%s\t%s\n' "$n" "$engs" "${BASH_REMATCH[1]}"
				else
					printf 'X\t%s\t%s\n' "$n" "mmlock-note: wants \"REGEX\": $t"
				fi ;;
			args) printf 'A\t%s\n' "$t" ;;
			unanalysed)
				if [ -n "$t" ]; then
					printf 'U\t%s\t%s\n' "$n" "$t"
				else
					printf 'X\t%s\t%s\n' "$n" "mmlock-unanalysed: wants a REASON"
				fi ;;
			engines)
				if [[ $t =~ $re_eng ]] && e=$(engines_of "${BASH_REMATCH[1]}"); then
					printf 'E\t%s\t%s\n' "$e" "${BASH_REMATCH[2]}"
				else
					printf 'X\t%s\t%s\n' "$n" "mmlock-engines: wants ENGINE -- REASON: $t"
				fi ;;
			*) printf 'X\t%s\t%s\n' "$n" "unknown directive mmlock-$kw" ;;
			esac
		done
	done
}

id_of() { echo "$1" | sed 's|/|_|g'; }
name_of() { echo "rules/${1#$R/}"; }
version_of() { grep -q '^#include ".*kernel612\.h"' "$1" && echo 612 || echo 601; }

for src in $CASES; do
	id=$(id_of "$src")
	parse_case "$src" > "$TMP/$id.exp"
	# the file's default engines
	def=$(awk -F'\t' '$1 == "E" { print $2; exit }' "$TMP/$id.exp")
	echo "${def:-plugin cocci}" > "$TMP/$id.def"
done

# ---- cocci: one run per kernel version and rule set, over copies ----
if on cocci; then
	: > "$TMP/cocci.out"
	: > "$TMP/cocci.err"
	: > "$TMP/groups"
	for src in $CASES; do
		id=$(id_of "$src")
		a=$(awk -F'\t' '$1 == "A" { print $2 }' "$TMP/$id.exp")
		rules=""
		for kv in $a; do
			case $kv in
			enable=*) rules=$(echo "${kv#enable=}" | tr ',' '\n' |
					  while read -r r; do cocci_has "$r" && echo "$r"; done | paste -sd,)
				  rules=${rules:-none} ;;
			disable=*) rules=$(for r in $COCCI_RULES; do echo ",${kv#disable=}," | grep -q ",$r," || echo "$r"; done | paste -sd,) ;;
			esac
		done
		echo "$(version_of "$src") ${rules:-all} $src" >> "$TMP/groups"
	done
	g=0
	while read -r ver rules; do
		g=$((g + 1))
		tree=$TMP/cocci/g$g
		mkdir -p "$tree"
		printf 'VERSION = 6\nPATCHLEVEL = %d\nSUBLEVEL = 0\n' $((ver % 100)) > "$tree/Makefile"
		for src in $(awk -v v="$ver" -v r="$rules" '$1 == v && $2 == r { print $3 }' "$TMP/groups"); do
			mkdir -p "$tree/$(dirname "${src#$R/}")"
			cp "$src" "$tree/${src#$R/}"
		done
		opt=()
		[ "$rules" != all ] && opt=(--rules "$rules")
		if [ "$rules" = none ]; then	# enable= names no rule Coccinelle has
			: > "$tree.out"
			: > "$tree.err"
			continue
		fi
		$MMLOCK cocci -j 2 "${opt[@]}" "$tree" > "$tree.out" 2> "$tree.err"
		rc=$?
		if [ $rc -gt 1 ]; then
			fail "rules/cocci-run-$ver-$rules" "mmlock cocci exited $rc: $(head -3 "$tree.err" | tr '\n' ' ')"
		fi
		sed "s|^$tree/|$R/|" "$tree.out" >> "$TMP/cocci.out"
		sed "s|^$tree/|$R/|; s|$tree/|$R/|g" "$tree.err" >> "$TMP/cocci.err"
	done < <(awk '{ print $1, $2 }' "$TMP/groups" | sort -u)
	bad=$(grep -vE '^[^ :]+:[0-9]+:[0-9]+: (warning: .* \[mmlock:[a-z-]+\]|note: .+)$' "$TMP/cocci.out" | head -1)
	[ -z "$bad" ] || fail rules/cocci-format "not in the common format: $bad"
fi

# ---- compare one case's findings from one engine with its expectations ----
# $1 src, $2 engine, $3 file of the engine's output lines for the case
check() {
	local src=$1 e=$2 out=$3 id name exp act why="" nw=0 nn=0
	id=$(id_of "$src")
	name="$(name_of "$src") [$e]"
	local def
	def=$(cat "$TMP/$id.def")
	# the expectations that hold for engine e: "line rule regex"
	awk -F'\t' -v e="$e" -v def="$def" '
		function mine(engs) { if (engs == "*") engs = def; return (" " engs " ") ~ (" " e " ") }
		$1 == "W" && mine($3) { print $2 "\t" $4 "\t" $5 }' "$TMP/$id.exp" > "$TMP/$id.$e.w"
	awk -F'\t' -v e="$e" -v def="$def" '
		function mine(engs) { if (engs == "*") engs = def; return (" " engs " ") ~ (" " e " ") }
		$1 == "N" && mine($3) { print $2 "\t" $4 }' "$TMP/$id.exp" > "$TMP/$id.$e.n"
	exp=$(cut -f1,2 "$TMP/$id.$e.w" | sort -u)
	# "line<TAB>rule<TAB>message" of the warnings, "line<TAB>text" of the notes
	grep -E "^$src:[0-9]+:[0-9]+: warning: .* \[mmlock:[a-z-]+\]$" "$out" |
		sed -E 's/^[^:]+:([0-9]+):[0-9]+: warning: (.*) \[mmlock:([a-z-]+)\]$/\1\t\3\t\2/' > "$TMP/$id.$e.aw"
	grep -E "^$src:[0-9]+:[0-9]+: note: " "$out" |
		sed -E 's/^[^:]+:([0-9]+):[0-9]+: note: (.*)$/\1\t\2/' > "$TMP/$id.$e.an"
	act=$(cut -f1,2 "$TMP/$id.$e.aw" | sort -u)
	if [ "$exp" != "$act" ]; then
		why="$why expected (<) vs reported (>):$(diff <(echo "$exp" | grep .) <(echo "$act" | grep .) | grep '^[<>]' | tr '\t\n' ' ;')"
	fi
	# each expected warning's message, each expected note
	while IFS=$'\t' read -r l r re; do
		nw=$((nw + 1))
		local ok=0 m
		while IFS= read -r m; do
			[[ $m =~ $re ]] && { ok=1; break; }
		done < <(awk -F'\t' -v l="$l" -v r="$r" '$1 == l && $2 == r { print $3 }' "$TMP/$id.$e.aw")
		if [ $ok -eq 0 ] && grep -q "^$l	$r	" "$TMP/$id.$e.aw"; then
			why="$why line $l $r: message \"$(awk -F'\t' -v l="$l" -v r="$r" '$1 == l && $2 == r { print $3; exit }' "$TMP/$id.$e.aw")\" does not match /$re/;"
		fi
	done < "$TMP/$id.$e.w"
	while IFS=$'\t' read -r l re; do
		nn=$((nn + 1))
		local ok=0 m
		while IFS= read -r m; do
			[[ $m =~ $re ]] && { ok=1; break; }
		done < <(awk -F'\t' -v l="$l" '$1 == l { print $2 }' "$TMP/$id.$e.an")
		[ $ok -eq 1 ] || why="$why line $l: no note matching /$re/ (notes there: $(awk -F'\t' -v l="$l" '$1 == l { printf "\"%s\" ", $2 }' "$TMP/$id.$e.an"));"
	done < "$TMP/$id.$e.n"
	CHECK_WHY=$why
	CHECK_COUNTS="$nw warnings, $nn notes"
}

# the functions the rules name: primitives, whose bodies the plugin does not
# analyse (rules/mm.rules says so above its directives), unless marked
# "analysed" or named by "recheck"
PRIMITIVES=$(awk '!/^#/ && NF >= 2 && $1 !~ /^(class|rule|otherrule|about|fix|lockfield|vmafield|vmatype|dropfield|callback|distinct|kernelmm|ptetype|recheck)$/ && !/ analysed( |$)/ { print $2 }' rules/mm.rules | sort -u)
primitive() { echo "$PRIMITIVES" | grep -qx "$1"; }

# one case through the plugin
plugin_case() {
	local src=$1 id name why nf nu from to fn mode marked a extra=()
	id=$(id_of "$src")
	name=$(name_of "$src")
	for a in $(awk -F'\t' '$1 == "A" { print $2 }' "$TMP/$id.exp"); do
		extra+=("-fplugin-arg-mmlock_plugin-$a")
	done
	: > "$TMP/$id.stats"
	gcc -fplugin=$PLUGIN -fplugin-arg-mmlock_plugin-analysis-only \
		-fplugin-arg-mmlock_plugin-stats="$TMP/$id.stats" "${extra[@]}" \
		-Werror=implicit-function-declaration -aux-info "$TMP/$id.aux" \
		-S -o /dev/null "$src" > "$TMP/$id.plugin" 2>&1
	rc=$?
	if [ -n "${MMLOCK_RULES_OUT:-}" ]; then
		mkdir -p "$MMLOCK_RULES_OUT/$(dirname "${src#$R/}")"
		cp "$TMP/$id.plugin" "$MMLOCK_RULES_OUT/${src#$R/}.plugin"
	fi
	if [ $rc -ne 0 ]; then
		fail "$name [plugin]" "gcc exited $rc: $(grep -m3 'error' "$TMP/$id.plugin" | tr '\n' ' ')"
		return
	fi
	if grep -q "internal error\|not analysed" "$TMP/$id.plugin"; then
		fail "$name [plugin]" "$(grep -m1 "internal error\|not analysed" "$TMP/$id.plugin")"
		return
	fi
	if [ -n "${MMLOCK_SNAPSHOT:-}" ]; then
		mkdir -p "$MMLOCK_SNAPSHOT/$(dirname "$name")"
		grep -E ': (warning|note): ' "$TMP/$id.plugin" > "$MMLOCK_SNAPSHOT/${name%.c}.txt"
	fi
	[ -z "$2" ] || return
	check "$src" plugin "$TMP/$id.plugin"
	why=$CHECK_WHY
	# the functions defined here, each from its line to the next one's
	sed -nE "s|^/\* $src:([0-9]+):[A-Z]F \*/ [^(]*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*|\1 \2|p" "$TMP/$id.aux" |
		sort -n > "$TMP/$id.fns"
	[ -s "$TMP/$id.fns" ] || why="$why no function definitions found (gcc -aux-info);"
	nf=0 nu=0
	while read -r from fn; do
		to=$(awk -v f="$from" '$1 > f { print $1 - 1; exit }' "$TMP/$id.fns")
		to=${to:-999999}
		# silent for the plugin: no plugin warning expected inside
		if awk -F'\t' -v a="$from" -v b="$to" '$1 >= a && $1 <= b { f = 1 } END { exit !f }' "$TMP/$id.plugin.w"; then
			continue
		fi
		mode=$(awk -F'\t' -v s="$src" -v f="$fn" '$1 == s && $2 == f { for (i = 3; i <= NF; i++) if ($i ~ /^(paths|merged|skipped)$/) m = $i } END { print m }' "$TMP/$id.stats")
		marked=$(awk -F'\t' -v a="$from" -v b="$to" '$1 == "U" && $2 >= a && $2 <= b { f = 1 } END { print f + 0 }' "$TMP/$id.exp")
		case $mode in
		paths)
			nf=$((nf + 1))
			[ "$marked" = 0 ] || why="$why $fn (line $from) is marked mmlock-unanalysed but was analysed;" ;;
		"")
			if [ "$marked" = 1 ]; then
				nu=$((nu + 1))
			elif ! primitive "$fn"; then
				why="$why silent function $fn (line $from) not analysed (no stats line);"
			fi ;;
		*) why="$why silent function $fn (line $from) analysed in mode '$mode', not 'paths';" ;;
		esac
	done < "$TMP/$id.fns"
	if [ -z "$why" ]; then
		local more=""
		[ "$nu" -eq 0 ] || more=", $nu marked unanalysed"
		pass "$name [plugin] ($CHECK_COUNTS, $nf silent functions on paths$more)"
	else
		fail "$name [plugin]" "$why"
	fi
}

# one case's part of the Coccinelle runs
cocci_case() {
	local src=$1 id name
	id=$(id_of "$src")
	name=$(name_of "$src")
	grep "^$src:" "$TMP/cocci.out" > "$TMP/$id.cocci"
	if [ -n "${MMLOCK_RULES_OUT:-}" ]; then
		mkdir -p "$MMLOCK_RULES_OUT/$(dirname "${src#$R/}")"
		cp "$TMP/$id.cocci" "$MMLOCK_RULES_OUT/${src#$R/}.cocci"
	fi
	if grep -q "^$src: not analysed" "$TMP/cocci.err"; then
		fail "$name [cocci]" "$(grep -m1 "^$src: not analysed" "$TMP/cocci.err")"
		return
	fi
	[ -z "$2" ] || return
	check "$src" cocci "$TMP/$id.cocci"
	if [ -z "$CHECK_WHY" ]; then
		pass "$name [cocci] ($CHECK_COUNTS)"
	else
		fail "$name [cocci]" "$CHECK_WHY"
	fi
}

# ---- each case ----
for src in $CASES; do
	id=$(id_of "$src")
	bad=$(awk -F'\t' '$1 == "X" { printf "line %s: %s; ", $2, $3 }' "$TMP/$id.exp")
	[ -z "$bad" ] || fail "$(name_of "$src")" "$bad"
	on plugin && plugin_case "$src" "$bad"
	on cocci && cocci_case "$src" "$bad"
done

# ---- each rule: a folder, and a case each engine must warn on ----
[ ${#args[@]} -eq 0 ] || exit 0
for d in $R/*/; do
	d=$(basename "$d")
	[ "$d" = include ] || known_rule "$d" || fail "rules/$d" "a folder for no rule of rules/mm.rules"
done
for r in $RULES; do
	if [ ! -d "$R/$r" ]; then
		fail "rules/$r" "no folder $R/$r"
		continue
	fi
	why="" counts=""
	for e in $ENGINES; do
		[ $e = cocci ] && ! cocci_has "$r" && continue
		n=$(for src in $CASES; do cat "$TMP/$(id_of "$src").$e.w" 2>/dev/null; done |
			awk -F'\t' -v r="$r" '$2 == r' | wc -l)
		[ "$n" -gt 0 ] || why="$why no case expects a warning of it from $e;"
		counts="$counts $e $n,"
	done
	[ -z "$why" ] && pass "rules/$r ($(ls $R/$r/*.c | wc -l) cases;${counts%,} warnings)" || fail "rules/$r" "$why"
done
exit 0
