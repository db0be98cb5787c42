/*
 * xalloc: allocation that cannot fail for its caller. Out of memory the
 * program aborts, as every module here does where malloc returns NULL.
 */
#ifndef TCPSIM_XALLOC_H
#define TCPSIM_XALLOC_H

#include <stdlib.h>
#include <string.h>

/* realloc, never NULL (0 bytes is 1). */
static inline void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static inline char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

#endif
