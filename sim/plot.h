/*
 * plot: the --plot DIR output, an observer of the world (event.h) that
 * draws, for each host that sent data, two pictures a learner can read:
 *
 * - NAME-cwnd: the congestion window, ssthresh and the bytes in flight over
 *   time, as steps, with the fast retransmits, partial ACKs, ends of
 *   recovery and retransmission timeouts marked. Sampled at every packet
 *   the host sends (the tcp_why snapshot) and at every change of its
 *   congestion state (the trace rows), so the steps are exact.
 * - NAME-tseq: the time-sequence graph (Stevens): each segment sent as a
 *   bar from its first to its last relative sequence number, new data and
 *   retransmissions apart, drops by the link marked X at the time they were
 *   sent; with the cumulative ACK the host received and its receive
 *   window's right edge (ACK + the peer's window, scaled).
 *
 * DIR gets the data (NAME-cwnd.dat, NAME-tseq.dat, NAME-ack.dat, columns
 * named in their first lines), one gnuplot script (plots.gp, which finds
 * its data beside itself from any working directory), and, when gnuplot is
 * on PATH, the pictures as SVG and PNG (NAME-cwnd.svg, NAME-cwnd.png,
 * NAME-tseq.svg, NAME-tseq.png), the same bytes on every run.
 *
 * Every file is written through output.h: nothing appears until the run
 * has succeeded, and a failed run leaves DIR as it was. Callers: main;
 * sweep_run.c draws a sweep's picture with plot_draw.
 */
#ifndef TCPSIM_PLOT_H
#define TCPSIM_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct plot;

/*
 * Prepares DIR for the plots of scenario (its name) run with seed: creates
 * DIR when it does not exist (one level), refuses one that is not a
 * directory, and opens every file it may write. NULL with a one-line
 * message in err on failure, having left nothing behind.
 */
struct plot *plot_open(const char *dir, const char *scenario, uint64_t seed, char *err,
		       size_t errlen);
/* The observer that records the run (p must outlive it). */
struct observer plot_observer(struct plot *p);
/*
 * Writes the data and the script of each host that sent data into place,
 * then renders them with gnuplot when it is on PATH, or says on stderr in
 * one line how to. 0, or -1 with err set. Frees p.
 */
int plot_commit(struct plot *p, char *err, size_t errlen);
/*
 * Runs gnuplot (from PATH, without a shell or the user's initialization
 * files) on script, which must draw each of the n pictures under its name
 * with the gnuplot string variable 'part' appended (set output
 * NAME.part), then puts each into place through output.h: nothing
 * appears unless gnuplot succeeded, and an SVG loses the one line that
 * names gnuplot's version. 0; 1 when gnuplot is not on PATH (nothing
 * drawn, nothing said); -1 with err set. Callers: plot_commit, sweep_run.c.
 */
int plot_draw(const char *script, const char *const *pics, size_t n, char *err,
	      size_t errlen);
/* Leaves DIR as it was (removing it again if plot_open created it). Frees p. */
void plot_discard(struct plot *p);

#endif
