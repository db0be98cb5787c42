/*
 * check_output: the command line's output files (sim/output.c).
 *
 * In a fresh mkdtemp directory: a new file appears only on commit and a
 * discard leaves nothing; an existing file keeps its old bytes until the
 * commit replaces it whole; two outputs of one name write two different
 * temporary files; a FIFO and /dev/null are written in place, never
 * replaced; a directory, a read-only file and a missing directory are
 * refused with their messages; a symbolic link keeps pointing at the file it
 * names; sameness is by file, not by spelling; a signal removes the
 * temporary files and still ends the process.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "output.h"

static char dir[256];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_output.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* dir/name, in one of two static buffers. */
static const char *at(const char *name)
{
	static char buf[2][512];
	static int k;

	k ^= 1;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* Names in dir, sorted, joined by spaces ("" when empty). */
static const char *listing(void)
{
	static char out[2048];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	out[0] = '\0';
	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			if (out[0])
				strcat(out, " ");
			strcat(out, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static const char *get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(at(name), "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void remove_dir(void)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, NULL);

	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0)
			unlink(at(names[i]->d_name));
		free(names[i]);
	}
	free(names);
	ck_assert_int_eq(rmdir(dir), 0);
}

static struct output *open_ok(const char *path)
{
	char err[512] = "";
	struct output *o = output_open("capture", path, err, sizeof(err));

	ck_assert_msg(o != NULL, "%s", err);
	return o;
}

START_TEST(new_file_appears_on_commit)
{
	char err[512] = "", want[600];
	struct output *o;

	make_dir();
	o = open_ok(at("x.pcap"));
	ck_assert(output_is_own_file(o));      /* a capture may reserve space in it */
	fputs("new", output_stream(o));
	/* Only the temporary file, named after the target and this process. */
	snprintf(want, sizeof(want), "x.pcap.%ld.0.part", (long)getpid());
	ck_assert_str_eq(listing(), want);
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), 0);
	ck_assert_str_eq(listing(), "x.pcap");
	ck_assert_str_eq(get("x.pcap"), "new");
	remove_dir();
}
END_TEST

/*
 * The stream writes in blocks of 1 MiB: 1 MiB - 1 bytes written in 1514-byte
 * pieces (a capture's frames) have not reached the file; the next bytes
 * fill the block, which goes out whole, and the rest on commit.
 */
START_TEST(written_in_large_blocks)
{
	static char frame[1514];
	char err[512] = "", want[600];
	struct output *o;
	struct stat st;
	size_t left = (1u << 20) - 1;

	make_dir();
	o = open_ok(at("x.pcap"));
	snprintf(want, sizeof(want), "%s/x.pcap.%ld.0.part", dir, (long)getpid());
	while (left > 0) {
		size_t n = left < sizeof(frame) ? left : sizeof(frame);
		ck_assert_uint_eq(fwrite(frame, 1, n, output_stream(o)), n);
		left -= n;
	}
	ck_assert_int_eq(stat(want, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_uint_eq(fwrite(frame, 1, 2, output_stream(o)), 2);
	ck_assert_int_eq(stat(want, &st), 0);
	ck_assert_int_eq(st.st_size, 1 << 20);
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(at("x.pcap"), &st), 0);
	ck_assert_int_eq(st.st_size, (1 << 20) + 1);
	remove_dir();
}
END_TEST

START_TEST(discard_leaves_nothing)
{
	make_dir();
	output_discard(open_ok(at("x.pcap")));
	ck_assert_str_eq(listing(), "");
	put("y.pcap", "old");
	output_discard(open_ok(at("y.pcap")));
	ck_assert_str_eq(listing(), "y.pcap");
	ck_assert_str_eq(get("y.pcap"), "old");
	remove_dir();
}
END_TEST

START_TEST(existing_file_replaced_whole)
{
	char err[512] = "";
	struct output *o;
	struct stat before, after;

	make_dir();
	put("x.pcap", "old bytes");
	ck_assert_int_eq(stat(at("x.pcap"), &before), 0);
	o = open_ok(at("x.pcap"));
	ck_assert(output_is_own_file(o));
	fputs("new", output_stream(o));
	fflush(output_stream(o));
	ck_assert_str_eq(get("x.pcap"), "old bytes");
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), 0);
	ck_assert_str_eq(get("x.pcap"), "new");
	ck_assert_int_eq(stat(at("x.pcap"), &after), 0);
	ck_assert(before.st_ino != after.st_ino);      /* a new file, renamed in */
	ck_assert_str_eq(listing(), "x.pcap");
	remove_dir();
}
END_TEST

/* Two runs naming one output never share a temporary file. */
START_TEST(two_outputs_two_temporaries)
{
	char err[512] = "", want[600];
	struct output *a, *b;

	make_dir();
	a = open_ok(at("x.pcap"));
	b = open_ok(at("x.pcap"));
	snprintf(want, sizeof(want), "x.pcap.%ld.0.part x.pcap.%ld.1.part", (long)getpid(),
		 (long)getpid());
	ck_assert_str_eq(listing(), want);
	fputs("a", output_stream(a));
	fputs("b", output_stream(b));
	ck_assert_int_eq(output_commit(a, err, sizeof(err)), 0);
	ck_assert_int_eq(output_commit(b, err, sizeof(err)), 0);
	ck_assert_str_eq(get("x.pcap"), "b");
	ck_assert_str_eq(listing(), "x.pcap");
	remove_dir();
}
END_TEST

START_TEST(fifo_written_in_place)
{
	char err[512] = "", buf[8] = "";
	struct output *o;
	struct stat st;
	int rd;

	make_dir();
	ck_assert_int_eq(mkfifo(at("f"), 0600), 0);
	/* A reader first, so that opening for writing does not wait. */
	rd = open(at("f"), O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rd, 0);
	o = open_ok(at("f"));
	ck_assert(!output_is_own_file(o));     /* written in place */
	fputs("pcap", output_stream(o));
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), 0);
	ck_assert_int_eq(read(rd, buf, sizeof(buf) - 1), 4);
	ck_assert_str_eq(buf, "pcap");
	close(rd);
	ck_assert_int_eq(lstat(at("f"), &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_str_eq(listing(), "f");
	remove_dir();
}
END_TEST

START_TEST(dev_null_stays_a_device)
{
	char err[512] = "";
	struct output *o = open_ok("/dev/null");
	struct stat st;

	ck_assert(!output_is_own_file(o));
	fputs("gone", output_stream(o));
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), 0);
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(refusals)
{
	char err[512], want[700];

	make_dir();
	ck_assert_ptr_null(output_open("capture", dir, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot write capture file %s: it is a directory", dir);
	ck_assert_str_eq(err, want);

	put("ro.csv", "keep");
	ck_assert_int_eq(chmod(at("ro.csv"), 0444), 0);
	ck_assert_ptr_null(output_open("trace", at("ro.csv"), err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot write trace file %s: it is read-only", at("ro.csv"));
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(get("ro.csv"), "keep");

	ck_assert_ptr_null(output_open("capture", at("no/x.pcap"), err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot create capture file %s: %s", at("no/x.pcap"),
		 strerror(ENOENT));
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(listing(), "ro.csv");
	remove_dir();
}
END_TEST

/* Through a link the file it names is replaced; the link stays a link. */
START_TEST(symlink_kept)
{
	char err[512] = "";
	struct output *o;
	struct stat st;

	make_dir();
	put("real.pcap", "old");
	ck_assert_int_eq(symlink("real.pcap", at("link.pcap")), 0);
	o = open_ok(at("link.pcap"));
	fputs("new", output_stream(o));
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), 0);
	ck_assert_int_eq(lstat(at("link.pcap"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_str_eq(get("real.pcap"), "new");
	ck_assert_str_eq(listing(), "link.pcap real.pcap");
	remove_dir();
}
END_TEST

START_TEST(sameness_by_file)
{
	struct output *a, *b, *c, *d, *e, *s1, *s2;
	char other[600];

	make_dir();
	put("x", "1");
	ck_assert_int_eq(link(at("x"), at("hard")), 0);
	ck_assert_int_eq(mkdir(at("d"), 0700), 0);
	a = open_ok(at("x"));
	b = open_ok(at("hard"));
	snprintf(other, sizeof(other), "%s/d/../x", dir);
	c = open_ok(other);
	d = open_ok(at("new"));
	snprintf(other, sizeof(other), "%s/d/../new", dir);
	e = open_ok(other);
	s1 = open_ok("-");
	s2 = open_ok("-");
	ck_assert(output_same(a, b));          /* a hard link */
	ck_assert(output_same(a, c));          /* another spelling */
	ck_assert(output_same(d, e));          /* not there yet, the same name */
	ck_assert(!output_same(a, d));
	ck_assert(output_same(s1, s2));
	ck_assert(!output_same(s1, a));
	ck_assert(output_is_stdout(s1));
	ck_assert(!output_is_stdout(a));
	ck_assert(!output_is_own_file(s1));
	ck_assert(output_is(a, at("hard")));
	ck_assert(!output_is(d, at("x")));     /* a new file is no existing one */
	ck_assert(!output_is(s1, at("x")));
	ck_assert_str_eq(output_name(d), at("new"));
	output_discard(a);
	output_discard(b);
	output_discard(c);
	output_discard(d);
	output_discard(e);
	output_discard(s1);
	output_discard(s2);
	ck_assert_str_eq(listing(), "d hard x");
	rmdir(at("d"));
	remove_dir();
}
END_TEST

/* A write that fails at the end is reported, and nothing is renamed in. */
START_TEST(failed_write_reported)
{
	char err[512] = "", want[600];
	struct output *o;

	make_dir();
	put("x.pcap", "old");
	o = open_ok(at("x.pcap"));
	fputs("new", output_stream(o));
	/* Closing the descriptor under the stream makes its flush fail. */
	close(fileno(output_stream(o)));
	ck_assert_int_eq(output_commit(o, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot write capture file %s: %s", at("x.pcap"),
		 strerror(EBADF));
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(get("x.pcap"), "old");
	ck_assert_str_eq(listing(), "x.pcap");
	remove_dir();
}
END_TEST

/* SIGTERM and SIGINT: the temporary files go, and the signal ends the process. */
static const int SIGNALS[] = { SIGTERM, SIGINT, SIGHUP };

START_TEST(signal_removes_temporaries)
{
	int status;
	pid_t pid;

	make_dir();
	put("x.pcap", "old");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char err[512];
		struct output *a, *b;

		signal(SIGNALS[_i], SIG_DFL);
		output_install_signals();
		a = output_open("capture", at("x.pcap"), err, sizeof(err));
		b = output_open("trace", at("t.csv"), err, sizeof(err));
		if (!a || !b)
			_exit(3);
		fputs("partial", output_stream(a));
		fflush(output_stream(a));
		raise(SIGNALS[_i]);
		_exit(4);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGNALS[_i]);
	ck_assert_str_eq(listing(), "x.pcap");
	ck_assert_str_eq(get("x.pcap"), "old");
	remove_dir();
}
END_TEST

/* A closed pipe is an error to report, not a silent death. */
START_TEST(sigpipe_ignored)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fds[2];

		signal(SIGPIPE, SIG_DFL);
		output_install_signals();
		/* A pipe whose only reader is gone: the write must fail, not kill. */
		if (pipe(fds) != 0)
			_exit(4);
		close(fds[0]);
		_exit(write(fds[1], "x", 1) == -1 && errno == EPIPE ? 0 : 5);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* A signal ignored on entry, as a background job's SIGINT is, stays ignored. */
START_TEST(ignored_signal_stays_ignored)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sigaction old;

		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		output_install_signals();
		sigaction(SIGINT, NULL, &old);
		if (old.sa_handler != SIG_IGN)
			_exit(6);
		sigaction(SIGTERM, NULL, &old);
		_exit(old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN ? 7 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("output");
	TCase *tc = tcase_create("files");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, new_file_appears_on_commit);
	tcase_add_test(tc, written_in_large_blocks);
	tcase_add_test(tc, discard_leaves_nothing);
	tcase_add_test(tc, existing_file_replaced_whole);
	tcase_add_test(tc, two_outputs_two_temporaries);
	tcase_add_test(tc, fifo_written_in_place);
	tcase_add_test(tc, dev_null_stays_a_device);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, symlink_kept);
	tcase_add_test(tc, sameness_by_file);
	tcase_add_test(tc, failed_write_reported);
	tcase_add_loop_test(tc, signal_removes_temporaries, 0,
			    (int)(sizeof(SIGNALS) / sizeof(SIGNALS[0])));
	tcase_add_test(tc, sigpipe_ignored);
	tcase_add_test(tc, ignored_signal_stays_ignored);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
