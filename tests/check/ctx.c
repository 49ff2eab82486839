/*
 * sparse's lock contexts (the kernel's __acquires/__releases): one
 * imbalance (lock_and_leave), one balanced function, and one warning
 * that is not about locks (stay_global is not static).
 */
#ifdef __CHECKER__
# define __acquires(x)	__attribute__((context(x, 0, 1)))
# define __releases(x)	__attribute__((context(x, 1, 0)))
#else
# define __acquires(x)
# define __releases(x)
#endif

struct lk { int locked; };

extern void take(struct lk *l) __acquires(l);
extern void drop(struct lk *l) __releases(l);

int stay_global;

static int lock_and_leave(struct lk *l, int c)
{
	take(l);
	if (c)
		return 1;	/* leaves with l held */
	drop(l);
	return 0;
}

static int balanced(struct lk *l)
{
	take(l);
	drop(l);
	return 0;
}

int (*use[])(struct lk *, int) = { lock_and_leave, (int (*)(struct lk *, int))balanced };
