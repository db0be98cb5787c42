/*
 * cc: what every algorithm shares (see cc.h): the initial window and the
 * registry that finds an algorithm by the name a scenario gives.
 */
#include "cc.h"

#include <string.h>

/*
 * Every algorithm a scenario can name. Adding one is its own file
 * (cc_NAME.c, declaring its struct cc_ops in cc.h) and one line here.
 */
static const struct cc_ops *const algorithms[] = {
	&cc_newreno,
	&cc_reno,
};

void cc_init(struct cc *c, const struct cc_ops *ops, uint32_t smss, uint32_t initial_cwnd_segments)
{
	c->ops = ops;
	c->smss = smss;
	/* RFC 6928 §2 / RFC 5681 §3.1: the initial window, in segments. */
	c->cwnd_bytes = (uint64_t)initial_cwnd_segments * smss;
	/* RFC 5681 §3.1: "The initial value of ssthresh SHOULD be set arbitrarily high". */
	c->ssthresh_bytes = CC_SSTHRESH_INFINITE;
	c->ca_acked_bytes = 0;
	c->abc_limit = 1;
}

const struct cc_ops *cc_find(const char *name)
{
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strcmp(algorithms[i]->name, name) == 0)
			return algorithms[i];
	return NULL;
}

size_t cc_count(void)
{
	return sizeof(algorithms) / sizeof(algorithms[0]);
}

const struct cc_ops *cc_at(size_t i)
{
	return i < cc_count() ? algorithms[i] : NULL;
}
