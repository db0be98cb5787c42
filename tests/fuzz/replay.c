/*
 * replay: runs files through a fuzz harness without libFuzzer, so that
 * make check holds every seed and every regression input to the harness's
 * properties with any compiler.
 *
 *   replay_NAME PATH...    each PATH a file or a directory (its files, in
 *                          name order; names starting with '.' skipped)
 *
 * A property that fails aborts (fuzz.h), so does the replay: the input's
 * path is printed first. Exit status 0 when every input passed, 2 on a
 * command-line or I/O error.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	uint8_t *b;

	if (!f)
		return -1;
	b = malloc(cap);
	for (;;) {
		size_t got;
		if (!b) {
			fclose(f);
			return -1;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
		b = realloc(b, cap);
	}
	if (ferror(f)) {
		fclose(f);
		free(b);
		return -1;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *buf;
	size_t len;

	if (read_file(path, &buf, &len) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(plen);
		struct stat st;

		if (!path)
			abort();
		snprintf(path, plen, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) != 0)
				rc = -1;
			(*count)++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) != 0)
				rc = 2;
		} else {
			if (run_file(argv[i]) != 0)
				rc = 2;
			count++;
		}
	}
	fprintf(stderr, "replay: %zu inputs\n", count);
	return rc;
}
