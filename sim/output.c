/*
 * output: command-line output files, written safely (see output.h).
 *
 * A regular target is replaced by rename(2) of a file written beside it,
 * which is atomic on POSIX file systems: a reader sees the old file or the
 * whole new one, never a mixture, and an interrupted run leaves the old one.
 * The temporary name carries the process ID and a counter and is created
 * with O_EXCL, so concurrent runs naming the same output never write into
 * one file. Its permissions are those of a new file (0666 less the umask).
 */
#define _DEFAULT_SOURCE 1   /* realpath's PATH_MAX in <limits.h> on glibc */

#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Large blocks: few write(2) calls. 1 MiB, at offsets that are multiples of
 * it: on the machine measured, blocks of 256 KiB or 4 MiB cost the kernel
 * four to five times as much for a 1 GB capture (docs/performance.md). */
#define STREAM_BUFFER (1u << 20)
#define MAX_TEMPS 16               /* outputs open at once */
#define MAX_TRIES 1000             /* temporary names tried before giving up */

struct output {
	const char *what;       /* "capture", "trace" */
	char *name;             /* as given */
	char *final;            /* renamed over on commit (temporary files only) */
	char *temp;             /* NAME.PID.N.part, or NULL when written directly */
	char *canon;            /* absolute name, for comparisons */
	FILE *f;
	char *buf;              /* f's buffer, STREAM_BUFFER bytes (setvbuf) */
	bool is_stdout;
	bool existed;
	bool chardev;           /* a character device: shared without harm */
	dev_t dev;
	ino_t ino;
	int slot;               /* in temps[], or -1 */
};

/* Standard output's buffer, for as long as the program runs. */
static char stdout_buf[STREAM_BUFFER];

/* The temporary files a signal must remove: set only once complete. */
static const char *volatile temps[MAX_TEMPS];

static void on_signal(int sig)
{
	/* Only async-signal-safe calls: unlink, signal, raise. */
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			unlink(temps[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void output_install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* A signal ignored on entry (a background job's SIGINT) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

static int register_temp(const char *path)
{
	for (int i = 0; i < MAX_TEMPS; i++)
		if (!temps[i]) {
			temps[i] = path;
			return i;
		}
	return -1;
}

static void free_output(struct output *o)
{
	if (o->slot >= 0)
		temps[o->slot] = NULL;
	free(o->name);
	free(o->final);
	free(o->temp);
	free(o->canon);
	free(o->buf);           /* after fclose: the stream no longer uses it */
	free(o);
}

static char *join(const char *dir, const char *base)
{
	size_t ld = strlen(dir), lb = strlen(base);
	char *s = malloc(ld + lb + 2);

	if (!s)
		abort();
	memcpy(s, dir, ld);
	s[ld] = '/';
	memcpy(s + ld + 1, base, lb + 1);
	return s;
}

/* The absolute name of a file that may not exist yet: its directory resolved. */
static char *canonical(const char *path)
{
	char *full = realpath(path, NULL), *dir, *slash, *r;

	if (full)
		return full;
	dir = strdup(path);
	if (!dir)
		abort();
	slash = strrchr(dir, '/');
	if (!slash) {
		r = realpath(".", NULL);
		full = r ? join(r, path) : NULL;
	} else {
		*slash = '\0';
		r = realpath(slash == dir ? "/" : dir, NULL);
		full = r ? join(r, slash + 1) : NULL;
	}
	free(r);
	free(dir);
	return full;
}

static bool under_dev_or_proc(const char *canon)
{
	return strncmp(canon, "/dev/", 5) == 0 || strncmp(canon, "/proc/", 6) == 0;
}

__attribute__((format(printf, 3, 4)))
static struct output *fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return NULL;
}

static int create_temp(struct output *o)
{
	size_t n = strlen(o->final) + 48;
	int fd = -1;

	o->temp = malloc(n);
	if (!o->temp)
		abort();
	for (unsigned i = 0; i < MAX_TRIES; i++) {
		snprintf(o->temp, n, "%s.%ld.%u.part", o->final, (long)getpid(), i);
		fd = open(o->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		free(o->temp);
		o->temp = NULL;
		return -1;
	}
	o->slot = register_temp(o->temp);
	return fd;
}

struct output *output_open(const char *what, const char *path, char *err, size_t errlen)
{
	struct output *o = calloc(1, sizeof(*o));
	struct stat st;
	int fd = -1, e;

	if (!o)
		abort();
	o->what = what;
	o->name = strdup(path);
	if (!o->name)
		abort();
	o->slot = -1;
	if (strcmp(path, "-") == 0) {
		o->is_stdout = true;
		o->f = stdout;
		setvbuf(stdout, stdout_buf, _IOFBF, STREAM_BUFFER);
		return o;
	}
	o->canon = canonical(path);
	if (stat(path, &st) == 0) {
		o->existed = true;
		o->dev = st.st_dev;
		o->ino = st.st_ino;
		o->chardev = S_ISCHR(st.st_mode);
		if (S_ISDIR(st.st_mode)) {
			free_output(o);
			return fail(err, errlen, "cannot write %s file %s: it is a directory", what, path);
		}
		/* /dev/stdout resolves to whatever standard output is: by its
		 * given name as well as its resolved one, it is written in place. */
		if (S_ISREG(st.st_mode) && !under_dev_or_proc(path) &&
		    !(o->canon && under_dev_or_proc(o->canon))) {
			/* Replaced by rename, which needs no write permission on
			 * the file itself: ask for it anyway, as a user would. */
			if (access(path, W_OK) != 0 || (st.st_mode & 0222) == 0) {
				free_output(o);
				return fail(err, errlen, "cannot write %s file %s: it is read-only",
					    what, path);
			}
			o->final = strdup(o->canon ? o->canon : path);
		} else {
			/* A FIFO, a device, /dev/stdout: written in place. */
			fd = open(path, O_WRONLY | O_CLOEXEC | (S_ISREG(st.st_mode) ? O_TRUNC : 0));
			if (fd < 0) {
				e = errno;
				free_output(o);
				return fail(err, errlen, "cannot write %s file %s: %s", what, path,
					    strerror(e));
			}
		}
	} else if (errno == ENOENT) {
		o->final = strdup(path);
	} else {
		e = errno;
		free_output(o);
		return fail(err, errlen, "cannot write %s file %s: %s", what, path, strerror(e));
	}
	if (fd < 0) {
		if (!o->final)
			abort();
		fd = create_temp(o);
		if (fd < 0) {
			e = errno;
			free_output(o);
			return fail(err, errlen, "cannot create %s file %s: %s", what, path,
				    strerror(e));
		}
	}
	o->f = fdopen(fd, "w");
	if (!o->f)
		abort();
	/* The buffer is given, not left to stdio: with a NULL buffer glibc
	 * ignores the size and writes in blocks of st_blksize (4 KiB). */
	o->buf = malloc(STREAM_BUFFER);
	if (!o->buf)
		abort();
	setvbuf(o->f, o->buf, _IOFBF, STREAM_BUFFER);
	return o;
}

FILE *output_stream(const struct output *o) { return o->f; }
const char *output_name(const struct output *o) { return o->name; }
bool output_is_stdout(const struct output *o) { return o->is_stdout; }
bool output_is_own_file(const struct output *o) { return o->temp != NULL; }

bool output_same(const struct output *a, const struct output *b)
{
	if (a->is_stdout || b->is_stdout)
		return a->is_stdout == b->is_stdout;
	/* /dev/null takes any number of outputs; a terminal, too. */
	if (a->chardev || b->chardev)
		return false;
	if (a->existed && b->existed && a->dev == b->dev && a->ino == b->ino)
		return true;
	return a->canon && b->canon && strcmp(a->canon, b->canon) == 0;
}

bool output_is_fd(const struct output *o, int fd)
{
	struct stat st;

	if (o->is_stdout)
		return fd == STDOUT_FILENO;
	return o->existed && !o->chardev && fstat(fd, &st) == 0 && st.st_dev == o->dev &&
	       st.st_ino == o->ino;
}

bool output_is(const struct output *o, const char *path)
{
	struct stat st;

	return o->existed && stat(path, &st) == 0 && st.st_dev == o->dev && st.st_ino == o->ino;
}

int output_commit(struct output *o, char *err, size_t errlen)
{
	int rc = 0, e = 0;

	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	if (!o->is_stdout && fclose(o->f) != 0 && !e)
		e = errno ? errno : EIO;
	if (e) {
		snprintf(err, errlen, "cannot write %s file %s: %s", o->what, o->name, strerror(e));
		rc = -1;
	} else if (o->temp && rename(o->temp, o->final) != 0) {
		e = errno;
		snprintf(err, errlen, "cannot replace %s file %s: %s", o->what, o->name,
			 strerror(e));
		rc = -1;
	}
	if (rc != 0 && o->temp)
		unlink(o->temp);
	free_output(o);
	return rc;
}

void output_discard(struct output *o)
{
	if (!o)
		return;
	if (o->is_stdout)
		fflush(o->f);
	else
		fclose(o->f);
	if (o->temp)
		unlink(o->temp);
	free_output(o);
}
