/*
 * output: the files a user names on the command line (-o, --trace), written
 * so that a run never harms anything else and never leaves a half file.
 *
 * - "-" is standard output.
 * - A name that does not exist yet, or names a regular file, is written
 *   under a temporary name of its own beside it (NAME.PID.N.part, created
 *   exclusively, so two runs never share one) and renamed over NAME only by
 *   output_commit, once the whole run has succeeded. Through a symbolic link
 *   the file it points to is replaced, and the link stays.
 * - An existing file that is not regular (a FIFO, a character device such as
 *   /dev/null), and anything under /dev/ or /proc/ (/dev/stdout, /dev/fd/N),
 *   is written directly, as a shell redirection would: it cannot be renamed
 *   over, and must not be replaced by a regular file.
 * - A directory, a regular file without write permission, a missing
 *   directory and two outputs that are one file are refused, as is any
 *   output that is the scenario file itself (output_is).
 *
 * On SIGINT, SIGTERM and SIGHUP every temporary file still open is removed
 * before the signal ends the process (the shell then reports 130, 143 and
 * 129); SIGPIPE is ignored so that a closed pipe is an error message, not a
 * silent death. Callers: main.
 */
#ifndef TCPSIM_OUTPUT_H
#define TCPSIM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct output;

/*
 * Opens path for writing as above; what names it in messages is what
 * ("capture", "trace"). NULL with a one-line message in err on failure.
 */
struct output *output_open(const char *what, const char *path, char *err, size_t errlen);
/* The stream to write to (buffered in large blocks). */
FILE *output_stream(const struct output *o);
/* The name as given, for messages and the summary. */
const char *output_name(const struct output *o);
bool output_is_stdout(const struct output *o);
/* Whether o is written under a temporary name of its own: a new regular
 * file that nothing else writes until output_commit. */
bool output_is_own_file(const struct output *o);
/* Whether a and b are the same file (or both standard output). */
bool output_same(const struct output *a, const struct output *b);
/* Whether o is the file open as descriptor fd (a character device never is). */
bool output_is_fd(const struct output *o, int fd);
/* Whether o is the existing file at path (the scenario, say). */
bool output_is(const struct output *o, const char *path);
/*
 * Flushes and closes; a temporary file is renamed into place. 0, or -1 with
 * err set (and the temporary file removed). Frees o.
 */
int output_commit(struct output *o, char *err, size_t errlen);
/* Closes and removes the temporary file, leaving the target as it was. Frees o. */
void output_discard(struct output *o);

/* SIGPIPE ignored; SIGINT, SIGTERM, SIGHUP remove the temporary files (unless ignored). */
void output_install_signals(void);

#endif
