/* Interned strings: equal strings get equal small integers (0 = none). */
#ifndef MMLOCK_INTERN_H
#define MMLOCK_INTERN_H
int key_intern(const char *s);
const char *key_str(int key);
int key_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void key_reset(void);
#endif
