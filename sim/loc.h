/*
 * loc: where in a scenario file a setting was written, for messages.
 */
#ifndef TCPSIM_LOC_H
#define TCPSIM_LOC_H

#include <stdint.h>

struct scn_loc {
	uint32_t line, col;          /* 1-based; 0 when not from a file */
};


#endif
