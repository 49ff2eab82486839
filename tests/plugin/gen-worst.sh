#!/bin/bash
# Generated worst cases for the plugin's bounded work (tests/plugin/run.sh):
#   gen-worst.sh web N    one function, N labels, gotos between lock and unlock
#   gen-worst.sh chain N  a chain of N PHIs (a value passed round N branches)
#   gen-worst.sh nest N   N nested blocks, each taking and dropping a lock
#   gen-worst.sh calls N  a call chain of N functions, the last one locking
# The C goes to stdout; it includes tests/rules/include/kernel.h by absolute path.
kind=$1 n=$2
case "$kind:$n" in
web:[0-9]*|chain:[0-9]*|nest:[0-9]*|calls:[0-9]*) ;;
*) echo "usage: gen-worst.sh web|chain|nest|calls N" >&2; exit 2 ;;
esac
echo "#include \"$(cd "$(dirname "$0")/../rules/include" && pwd)/kernel.h\""
echo "int cond(int); void work(int);"
case $kind in
web)	# every label locks, may jump, unlocks, may jump, and moves the lock
	echo "void web(struct mm_struct *mm, pmd_t *a, pmd_t *b, int x)"
	echo "{"
	echo "	spinlock_t *p = pte_lockptr(mm, a), *q = pte_lockptr(mm, b), *t;"
	for ((i = 0; i < n; i++)); do
		j=$(( (i * 7 + 3) % n )) k=$(( (i * 13 + 5) % n ))
		echo "L$i:	spin_lock(p); if (cond(x + $i)) goto L$j;"
		echo "	spin_unlock(p); t = p; p = q; q = t; if (cond(x - $i)) goto L$k;"
	done
	echo "}" ;;
chain)	# p is a PHI at every join: p_N = PHI(p_N-1, p_N-1)
	echo "void chain(struct mm_struct *mm, pmd_t *a, int x)"
	echo "{"
	echo "	spinlock_t *p = pte_lockptr(mm, a);"
	for ((i = 0; i < n; i++)); do
		echo "	if (cond($i)) p = (spinlock_t *)((char *)p + 0);"
	done
	echo "	spin_lock(p); work(x); spin_unlock(p);"
	echo "}" ;;
nest)
	echo "void nest(struct mm_struct *mm, pmd_t *a, int x)"
	echo "{"
	echo "	spinlock_t *p = pte_lockptr(mm, a);"
	for ((i = 0; i < n; i++)); do echo "	if (cond($i)) { spin_lock(p); work($i); spin_unlock(p);"; done
	for ((i = 0; i < n; i++)); do echo "	}"; done
	echo "}" ;;
calls)	# defined callee first, so that gcc itself does not recurse
	echo "void f$n(spinlock_t *p) { spin_lock(p); work(0); spin_unlock(p); }"
	for ((i = n - 1; i > 0; i--)); do echo "void f$i(spinlock_t *p) { f$((i + 1))(p); }"; done
	echo "void calls(spinlock_t *p) { f1(p); }" ;;
esac
