/*
 * sweep_run: the `tcpsim sweep` command. It runs a scenario over a grid of
 * --vary values times a range of seeds (the grid of sweep.h), in forked
 * worker processes, and writes one row per run and the quartiles of each
 * grid point; with --shard K/N only that shard's runs, into one file that
 * `tcpsim sweep --merge` combines with the other shards' into exactly what
 * the unsharded sweep writes. docs/sweeps.md is the user's guide.
 *
 * Called by main.c when its first argument is "sweep"; argv[0] is then
 * "sweep". Returns the exit status: 0, or 2 after one "tcpsim: ..." line on
 * standard error (bad command line, bad scenario or value, a run that did
 * not end, an output not written).
 */
#ifndef TCPSIM_SWEEP_RUN_H
#define TCPSIM_SWEEP_RUN_H

int sweep_main(int argc, char **argv);

#endif
