#!/bin/bash
# mutate.sh TREE FILE PERL-SUBST OUT: copy TREE/FILE to OUT with one perl
# substitution applied (slurp mode); exits 3 if it did not match exactly once.
set -eu
tree=$1 file=$2 subst=$3 out=$4
mkdir -p "$(dirname "$out")"
perl -0777 -e '
	my ($subst, $in, $out) = @ARGV;
	open(my $f, "<", $in) or die "$in: $!\n";
	local $/; my $text = <$f>; close $f;
	my $n = eval "\$text =~ $subst";
	die "bad substitution: $@" if $@;
	exit 3 unless $n == 1;
	open(my $o, ">", $out) or die "$out: $!\n";
	print $o $text;
' "$subst" "$tree/$file" "$out"
