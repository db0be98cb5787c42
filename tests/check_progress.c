/*
 * check_progress: the progress line of a long run, on a pseudo-terminal
 * (openpty), with a clock the test sets: nothing before half a second, at
 * most one line per quarter second, each over the last, erased at the end;
 * nothing at all on a stream that is not a terminal, or when not wanted.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "progress.h"
#include "scenario.h"
#include "world.h"

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
	return fake_now;
}

/* A pseudo-terminal: *out writes to its slave side, *master reads it back. */
static void open_terminal(FILE **out, int *master)
{
	int slave;
	struct termios t;

	ck_assert_int_eq(openpty(master, &slave, NULL, NULL, NULL), 0);
	/* Raw output: the bytes as written, no newline translation. */
	ck_assert_int_eq(tcgetattr(slave, &t), 0);
	t.c_oflag &= ~(tcflag_t)OPOST;
	ck_assert_int_eq(tcsetattr(slave, TCSANOW, &t), 0);
	ck_assert_int_eq(fcntl(*master, F_SETFL, O_NONBLOCK), 0);
	*out = fdopen(slave, "w");
	ck_assert_ptr_nonnull(*out);
}

/* Everything written to the terminal since the last call. */
static const char *drain(int master)
{
	static char buf[4096];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof buf - 1 && (r = read(master, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return buf;
}

/* A small world to hand progress_start (the tests call progress_update themselves). */
static struct world *small_world(struct scenario *s)
{
	static struct app_step steps[3];

	scenario_defaults(s);
	steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = 100000 };
	steps[2] = (struct app_step){ .kind = STEP_CLOSE };
	s->client.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = steps, .nsteps = 3 };
	s->server.app = (struct app_cfg){ .kind = APP_SINK };
	s->capture = CAPTURE_NONE;
	return world_new(s, 1);
}

START_TEST(line_on_a_terminal)
{
	struct scenario s;
	struct world *w = small_world(&s);
	struct progress p;
	struct world_progress wp = { .now_ns = 2500000000u, .events = 4096,
				     .app_bytes_received = 1234567 };
	FILE *out;
	int master;

	open_terminal(&out, &master);
	progress_start(&p, w, out, true);
	ck_assert(p.active);
	/* The run's start on the monotonic clock (time since boot: never 0). */
	ck_assert_uint_gt(p.start_ns, 0);
	ck_assert_uint_ge(p.clock_ns(), p.start_ns);
	p.clock_ns = fake_clock;
	p.start_ns = 1000;

	/* Under half a second of wall time: nothing. */
	fake_now = 1000 + PROGRESS_DELAY_NS - 1;
	progress_update(&p, &wp);
	ck_assert_str_eq(drain(master), "");

	/* 2.5 virtual seconds in 0.5 wall seconds. */
	fake_now = 1000 + PROGRESS_DELAY_NS;
	progress_update(&p, &wp);
	ck_assert_str_eq(drain(master),
		"\rtcpsim: 2.500 s virtual time, 1,234,567 B delivered, 5.0 virtual s per wall s");

	/* Not again within a quarter of a second. */
	fake_now += PROGRESS_INTERVAL_NS - 1;
	progress_update(&p, &wp);
	ck_assert_str_eq(drain(master), "");

	/* A shorter line covers the longer one's end with spaces. */
	fake_now += 1;
	wp.now_ns = 7500000000u;
	wp.app_bytes_received = 7;
	progress_update(&p, &wp);
	ck_assert_str_eq(drain(master),
		"\rtcpsim: 7.500 s virtual time, 7 B delivered, 10.0 virtual s per wall s"
		"       ");                        /* 77 - 70 */

	/* The end: the widest line's 77 columns in spaces, the cursor back at its start. */
	progress_clear(&p);
	ck_assert_str_eq(drain(master), "\r" "                                        "
			 "                                     " "\r");
	ck_assert_uint_eq(p.shown, 0);
	progress_clear(&p);                 /* nothing shown: nothing written */
	ck_assert_str_eq(drain(master), "");

	fclose(out);
	close(master);
	world_free(w);
	free(s.name);
}
END_TEST

/* The world calls the line's update every PROGRESS_EVERY events of a real run. */
START_TEST(world_drives_the_line)
{
	struct scenario s;
	struct world *w = small_world(&s);
	struct progress p;
	FILE *out;
	int master;
	const char *text;

	open_terminal(&out, &master);
	progress_start(&p, w, out, true);
	p.clock_ns = fake_clock;
	p.start_ns = 1;
	fake_now = 1 + PROGRESS_DELAY_NS;   /* due at once, and never again */
	s.client.app.steps[1].bytes = 10000000;
	world_run(w);
	ck_assert_uint_gt(world_events(w), PROGRESS_EVERY);
	text = drain(master);
	ck_assert_msg(strncmp(text, "\rtcpsim: ", 9) == 0, "got '%s'", text);
	ck_assert_ptr_null(strchr(text + 1, '\r'));    /* one line: the clock stood still */
	progress_clear(&p);
	fclose(out);
	close(master);
	world_free(w);
	free(s.name);
}
END_TEST

/* Not a terminal, or not wanted (--quiet): inactive, and nothing written. */
START_TEST(silent_elsewhere)
{
	struct scenario s;
	struct world *w = small_world(&s);
	struct world_progress wp = { .now_ns = 1, .events = 1, .app_bytes_received = 1 };
	struct progress p;
	FILE *out = tmpfile(), *tty;
	int master;

	ck_assert_ptr_nonnull(out);
	progress_start(&p, w, out, true);
	ck_assert(!p.active);
	p.clock_ns = fake_clock;
	fake_now = UINT64_C(1) << 62;
	progress_update(&p, &wp);
	world_run(w);
	progress_clear(&p);
	ck_assert_int_eq(ftell(out), 0);
	fclose(out);
	world_free(w);
	free(s.name);

	w = small_world(&s);
	open_terminal(&tty, &master);
	progress_start(&p, w, tty, false);
	ck_assert(!p.active);
	p.clock_ns = fake_clock;
	progress_update(&p, &wp);
	world_run(w);
	progress_clear(&p);
	ck_assert_str_eq(drain(master), "");
	fclose(tty);
	close(master);
	world_free(w);
	free(s.name);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("progress");
	TCase *tc = tcase_create("line");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, line_on_a_terminal);
	tcase_add_test(tc, world_drives_the_line);
	tcase_add_test(tc, silent_elsewhere);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
