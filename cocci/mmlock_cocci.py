# SPDX-License-Identifier: GPL-2.0-only
# The Python helpers every semantic patch of cocci/ shares.  Each .cocci
# imports them in its @initialize:python@ rule, finding this file next to
# itself (the --sp-file or --cocci-file that spatch was given, as "mmlock
# cocci" and the kernel's "make coccicheck" give it) or in
# $MMLOCK_COCCI_DIR; the directory of the .cocci files is the directory of
# this module.
#
#   mmlock_warn(rule, p, msg, notes)   a finding in the common format of
#                                      DESIGN.md, once per place and rule:
#                                      FILE:LINE:COL: warning: MSG [mmlock:RULE]
#                                      FILE:LINE:COL: note: TEXT  (each note)
#   mmlock_org(rule, p, msg, notes)    the same in org mode
#   mmlock_key(p)                      (file, line, column) of a position
#
# p and each note's position are Coccinelle positions (p[0] of a position
# metavariable); COL counts from 1, as GCC does.
import __main__

_seen = set()


def mmlock_warn(rule, p, msg, notes=()):
	key = (p.file, p.line, p.column, rule)
	if key in _seen:
		return
	_seen.add(key)
	print("%s:%s:%d: warning: %s [mmlock:%s]" %
	      (p.file, p.line, int(p.column) + 1, msg, rule))
	for q, m in notes:
		print("%s:%s:%d: note: %s" % (q.file, q.line, int(q.column) + 1, m))


def mmlock_org(rule, p, msg, notes=()):
	cocci = __main__.cocci	# spatch's own, in the scripts' namespace
	cocci.print_main("%s [mmlock:%s]" % (msg, rule), [p])
	for q, m in notes:
		cocci.print_secs(m, [q])


def mmlock_key(p):
	return (p.file, p.line, p.column)
