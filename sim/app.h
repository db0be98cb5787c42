/*
 * app: what runs on each host above TCP.
 *
 * A script (connect, send, wait, at, read, close, abort, and requests that
 * time each answer), or a ready-made server: sink (reads everything), echo
 * (writes back what it reads, or its whole read buffer each time) or
 * respond (answers each request of a size with a response of a size).
 * Every application reads whatever arrives, as soon as it arrives (or, with
 * read pacing, at most read_bytes every read_every), and checks each byte
 * against what its peer's application wrote; when the peer's FIN has been
 * read and its script has finished, it closes its own side. A read step only
 * waits: it ends once the script's read steps so far add up to no more than
 * what has been read (or at end of stream).
 *
 * What an application writes is a byte stream defined by its send steps: a
 * count writes the pattern (64-byte lines naming the writer and the line
 * number, readable in Wireshark's hex view), literal text writes itself. An
 * echo server's stream is the stream it received. Since the pattern is a
 * function of the stream offset, checking needs no copy of what was sent.
 */
#ifndef TCPSIM_APP_H
#define TCPSIM_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "loc.h"
#include "tcp.h"

enum step_kind {
	STEP_CONNECT,                /* active open; port = server port unless given */
	STEP_SEND,                   /* write bytes of the pattern, or literal text */
	STEP_WAIT,                   /* sleep for wait_ns */
	STEP_CLOSE,                  /* FIN after queued data; keep reading until the peer's FIN */
	STEP_ABORT,                  /* RST now */
	STEP_READ,                   /* wait until `bytes` more bytes have been read */
	STEP_AT,                     /* wait until the virtual time wait_ns (at once if past) */
};

/* What a step means to a request/response exchange (a requests: block). */
enum step_role {
	ROLE_NONE,
	ROLE_REQUEST,                /* a send step that starts a request: its latency clock */
	ROLE_RESPONSE,               /* the read step that ends with its response's last byte */
};

struct app_step {
	enum step_kind kind;
	uint64_t bytes;              /* STEP_SEND with a count; STEP_READ */
	char *text;                  /* STEP_SEND with literal text (text_len bytes), else NULL */
	size_t text_len;
	bool text_shared;            /* a repeat's copy: text belongs to an earlier step */
	uint64_t wait_ns;            /* STEP_WAIT */
	uint16_t port;               /* STEP_CONNECT; 0: the peer's port */
	enum step_role role;
	struct scn_loc loc;
};

enum app_kind {
	APP_SCRIPT,                  /* the steps below */
	APP_SINK,                    /* listen, read everything, close after the peer's FIN */
	APP_ECHO,                    /* listen, write back what it reads, close after the peer's FIN */
	APP_RESPOND,                 /* listen; each request_bytes read, wait respond_delay_ns,
					write response_bytes; close after the peer's FIN */
	APP_NONE,                    /* nothing listens: connections get a RST */
};

struct app_cfg {
	enum app_kind kind;
	struct app_step *steps;      /* repeat: blocks already unrolled */
	size_t nsteps;
	uint64_t read_bytes;         /* read pacing: at most this many bytes ... */
	uint64_t read_every_ns;      /* ... every this long; 0: read as soon as data is there */
	uint64_t echo_buffer;        /* APP_ECHO: one read takes at most this much; 0: no limit */
	bool echo_whole;             /* ... and writes back the whole buffer, zero-padded
					(Go's c.Read(d); c.Write(d) with a fixed d) */
	uint64_t request_bytes;      /* APP_RESPOND */
	uint64_t response_bytes;
	uint64_t respond_delay_ns;
};

struct app;

struct app_stats {
	uint64_t bytes_sent;        /* accepted by tcp_send */
	uint64_t bytes_received;    /* returned by tcp_recv */
	bool data_intact;           /* every byte read matched, and nothing was missing at EOF */
	bool eof;                   /* the peer's FIN was read */
	uint64_t first_mismatch;    /* stream offset of the first wrong byte, when !data_intact */
	uint64_t connected_ns;      /* when the connection was established (0: never) */
	uint64_t last_read_ns;      /* when data was last read */
	uint64_t half_bytes;        /* half of what the peer's script writes (0: unknown) ... */
	uint64_t half_read_ns;      /* ... and when the read reached it (0: not yet) */
	uint64_t requests;          /* request steps in the script (requests: blocks) */
	uint64_t requests_done;     /* ... whose response was read in full */
	const uint64_t *latency_ns; /* requests_done latencies, in order: from the request's
				       write to its response's last byte read */
};

/*
 * role is "client" or "server" (it names the pattern). connect_addr and
 * connect_port are where a client's connect step goes unless it names a port.
 */
struct app *app_new(struct engine *eng, const struct app_cfg *cfg, const char *role,
		    uint32_t connect_addr, uint16_t connect_port);
void app_free(struct app *a);

/* The application whose stream this one reads (the other host's). */
void app_set_peer(struct app *a, struct app *peer);
void app_attach(struct app *a, struct tcp_ep *ep);
/* Time 0: a client runs its script, a server listens (unless APP_NONE). */
void app_start(struct app *a);
/* TCP's notifications, routed here by the host. */
void app_on_tcp(struct app *a, enum tcp_event ev);

const struct app_stats *app_stats(const struct app *a);
/* Total bytes this application's script writes (UINT64_MAX for echo and respond). */
uint64_t app_planned_bytes(const struct app *a);

/*
 * Fills out[0..len) with bytes [off, off+len) of what 'role' writes with
 * the pattern and returns their inet_sum(out, len, 0), found from the
 * pattern's words as they are written (exposed for tests).
 */
uint32_t app_pattern(const char *role, uint64_t off, uint8_t *out, size_t len);
/*
 * How many leading bytes of got[0..len) are what app_pattern would give
 * for the same role and offset: len when all of them are (exposed for tests).
 */
size_t app_pattern_match(const char *role, uint64_t off, const uint8_t *got, size_t len);

#endif
