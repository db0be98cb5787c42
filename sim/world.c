/*
 * world: hosts, links and the run loop (see world.h).
 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "cc.h"
#include "engine.h"
#include "link.h"
#include "rng.h"
#include "tcp.h"
#include "wire.h"

struct host {
	struct world *w;
	const char *name;
	const struct scn_host *cfg;
	struct tcp_ep *ep;
	struct app *app;
	struct link *out;
	uint16_t ip_id;
	struct host_counters counters;
};

struct world {
	const struct scenario *scn;
	uint64_t seed;
	struct engine eng;
	struct packet_pool pool;
	struct link link[2];           /* [HOST_CLIENT] client->server, [HOST_SERVER] server->client */
	struct host host[2];
	bool duration_reached;
	bool capture_stopped;          /* an observer can take no more: end the run */
	uint64_t max_events;           /* 0: no bound */
	struct observer obs[WORLD_MAX_OBSERVERS];
	int nobs;
	/* For each host, the observers shown its packets, as indexes in obs. */
	int pkt_obs[2][WORLD_MAX_OBSERVERS];
	int npkt_obs[2];
	int ntrace;                    /* of obs, the ones that take trace rows */
	world_progress_fn progress;    /* NULL: none */
	void *progress_ctx;
	uint64_t progress_every;       /* events between calls ... */
	uint64_t progress_left;        /* ... and before the next */
};

/* Shows ev to every observer of its host; one that can take no more ends
 * the run. */
static void observe(struct world *w, const struct pkt_event *ev)
{
	for (int i = 0; i < w->npkt_obs[ev->at]; i++) {
		const struct observer *o = &w->obs[w->pkt_obs[ev->at][i]];

		if (!o->packet(o->ctx, ev))
			w->capture_stopped = true;
	}
}

int world_observe(struct world *w, const struct observer *o)
{
	if (w->nobs == WORLD_MAX_OBSERVERS)
		return -1;
	for (int h = 0; h < 2 && o->packet; h++)
		if (!o->at_hosts || (o->at_hosts & OBSERVE_AT(h)))
			w->pkt_obs[h][w->npkt_obs[h]++] = w->nobs;
	w->obs[w->nobs++] = *o;
	if (o->trace)
		w->ntrace++;
	return 0;
}

static void host_send(struct host *h, const struct tcp_seg *seg, const struct tcp_why *why)
{
	struct world *w = h->w;
	struct packet *p = packet_get(&w->pool);
	struct tcp_seg s = *seg;

	s.ip_id = h->ip_id++;
	p->len = (uint32_t)wire_encode(&s, p->data, w->pool.buf_size);
	if (p->len == 0)
		abort();                   /* a segment larger than the MTU: a bug in tcp */
	p->as_encoded = true;
	h->counters.packets_sent++;
	link_judge(h->out, p);
	if (w->npkt_obs[h - w->host]) {
		struct pkt_event ev;

		if (s.fill) {
			/* Made in the packet: the observers see it there. */
			s.payload = p->data + p->len - s.len;
			s.fill = NULL;
		}
		ev = (struct pkt_event){
			.kind = PKT_SENT, .time_ns = engine_now(&w->eng),
			.from = (enum host_id)(h - w->host), .at = (enum host_id)(h - w->host),
			.data = p->data, .len = p->len, .seg = &s, .why = why,
			.verdict = &p->verdict, .link = h->out,
		};
		observe(w, &ev);
	}
	link_commit(h->out, p);
}

static void tcp_output_hook(void *ctx, const struct tcp_seg *seg, const struct tcp_why *why)
{
	host_send(ctx, seg, why);
}

static void tcp_notify_hook(void *ctx, enum tcp_event ev)
{
	struct host *h = ctx;
	app_on_tcp(h->app, ev);
}

bool world_trace_has_rtt(const struct world *w)
{
	return w->host[0].cfg->tcp.timestamps || w->host[1].cfg->tcp.timestamps;
}

bool world_trace_has_cc(const struct world *w)
{
	for (int i = 0; i < 2; i++) {
		const struct cc_ops *ops = w->host[i].cfg->tcp.cc;

		if (ops && ops->has_trace_state)
			return true;
	}
	return false;
}

static void tcp_trace_hook(void *ctx, enum tcp_trace_event ev)
{
	struct host *h = ctx;
	struct world *w = h->w;
	struct trace_row row;

	if (!w->ntrace)
		return;                    /* a capture alone needs no rows */
	row.time_ns = engine_now(&w->eng);
	row.endpoint = h->name;
	row.host = (enum host_id)(h - w->host);
	row.event = tcp_trace_event_name(ev);
	row.cwnd_bytes = tcp_cwnd(h->ep);
	row.ssthresh_bytes = tcp_ssthresh(h->ep);
	row.flight_bytes = tcp_flight_bytes(h->ep);
	row.srtt_ns = tcp_srtt_ns(h->ep);
	row.rttvar_ns = tcp_rttvar_ns(h->ep);
	row.rto_ns = tcp_rto_ns(h->ep);
	row.state = tcp_cc_state_name(tcp_cc_state(h->ep));
	row.cc_columns = world_trace_has_cc(w);
	row.cc_state = h->cfg->tcp.cc && h->cfg->tcp.cc->has_trace_state;
	if (row.cc_state) {
		const struct cc *c = tcp_cc(h->ep);

		row.w_max_bytes = c->cubic.w_max_bytes;
		row.k_us = c->cubic.k_us;
		row.epoch_ns = c->cubic.t_epoch_ns;
		row.cwnd_epoch_bytes = c->cubic.cwnd_epoch_bytes;
		row.w_est_bytes = c->cubic.w_est_fp >> 16;
		row.cc_region = cc_cubic_region_name(c->cubic.region);
	}
	row.rtt_column = world_trace_has_rtt(w);
	row.rtt_sample_ns = ev == TCP_TR_RTT_SAMPLE ? tcp_last_rtt_ns(h->ep) : 0;
	for (int i = 0; i < w->nobs; i++)
		if (w->obs[i].trace)
			w->obs[i].trace(w->obs[i].ctx, &row);
}

static void host_receive(void *ctx, struct packet *p, uint64_t now_ns)
{
	struct host *h = ctx;
	struct world *w = h->w;
	struct tcp_seg seg, rst;
	enum wire_err err;

	/* A packet the path left as it was sent has the sums its sender
	 * computed; one it marked or damaged is verified in full. */
	err = wire_decode_known(p->data, p->len, &seg, p->as_encoded);
	if (w->npkt_obs[h - w->host]) {
		struct pkt_event ev = {
			.kind = PKT_ARRIVED, .time_ns = now_ns,
			.from = (enum host_id)(1 - (h - w->host)), .at = (enum host_id)(h - w->host),
			.data = p->data, .len = p->len, .seg = err == WIRE_OK ? &seg : NULL,
			.verdict = &p->verdict, .link = p->link, .checksum_bad = err != WIRE_OK,
		};
		observe(w, &ev);
	}
	if (err != WIRE_OK) {
		h->counters.checksum_errors++;
	} else {
		h->counters.packets_received++;
		if (tcp_owns(h->ep, &seg)) {
			tcp_input(h->ep, &seg);
		} else if (seg.dst_addr == h->cfg->addr && tcp_reset_for(&seg, &rst)) {
			/* RFC 9293 §3.10.7.1: no connection, no listener. */
			struct tcp_why why = { .kind = TCP_WHY_RST_NO_SOCKET };
			h->counters.resets_no_socket++;
			host_send(h, &rst, &why);
		}
	}
	packet_put(&w->pool, p);
}

static void host_init(struct world *w, enum host_id id, const char *name,
		      const struct scn_host *cfg, const struct scn_host *other,
		      const struct link_cfg *out_cfg)
{
	struct host *h = &w->host[id];
	struct tcp_hooks hooks = { .ctx = h, .output = tcp_output_hook, .notify = tcp_notify_hook,
				   .trace = tcp_trace_hook };
	uint32_t iss = cfg->tcp.iss;
	char stream[32];

	h->w = w;
	h->name = name;
	h->cfg = cfg;
	h->out = &w->link[id];
	h->ip_id = 1;
	if (!cfg->tcp.iss_set) {
		struct rng r;
		snprintf(stream, sizeof(stream), "%s.iss", name);
		rng_init(&r, w->seed, stream);
		iss = (uint32_t)rng_next(&r);
	}
	/* What a host may send, and the MSS it announces, come from its
	 * outgoing direction's MTU: with a smaller MTU on one direction, the
	 * MSS the far end announces limits what this side sends (RFC 9293
	 * §3.7.1), so both sides stay within the smaller of the two. */
	h->ep = tcp_new(&w->eng, &cfg->tcp, out_cfg->mtu, cfg->addr, cfg->port, iss, &hooks);
	h->app = app_new(&w->eng, &cfg->app, name, other->addr, other->port);
	app_attach(h->app, h->ep);
}

struct world *world_new(const struct scenario *scn, uint64_t seed)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->scn = scn;
	w->seed = seed;
	engine_init(&w->eng);
	packet_pool_init(&w->pool, scn->link.a_to_b.mtu > scn->link.b_to_a.mtu ?
				   scn->link.a_to_b.mtu : scn->link.b_to_a.mtu);
	host_init(w, HOST_CLIENT, "client", &scn->client, &scn->server, &scn->link.a_to_b);
	host_init(w, HOST_SERVER, "server", &scn->server, &scn->client, &scn->link.b_to_a);
	app_set_peer(w->host[0].app, w->host[1].app);
	app_set_peer(w->host[1].app, w->host[0].app);
	link_init(&w->link[HOST_CLIENT], &w->eng, &w->pool, &scn->link.a_to_b, seed,
		  "link.a_to_b", host_receive, &w->host[HOST_SERVER]);
	link_init(&w->link[HOST_SERVER], &w->eng, &w->pool, &scn->link.b_to_a, seed,
		  "link.b_to_a", host_receive, &w->host[HOST_CLIENT]);
	return w;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	for (int i = 0; i < 2; i++) {
		app_free(w->host[i].app);
		tcp_free(w->host[i].ep);
	}
	engine_free(&w->eng);
	for (int i = 0; i < 2; i++)
		link_free(&w->link[i]);
	packet_pool_free(&w->pool);
	free(w);
}

void world_set_max_events(struct world *w, uint64_t n)
{
	w->max_events = n;
}

void world_set_progress(struct world *w, world_progress_fn fn, void *ctx, uint64_t every)
{
	w->progress = every ? fn : NULL;
	w->progress_ctx = ctx;
	w->progress_every = w->progress_left = every;
}

static void report_progress(struct world *w)
{
	struct world_progress p = {
		.now_ns = w->eng.now_ns,
		.events = w->eng.events_run,
		.app_bytes_received = app_stats(w->host[HOST_CLIENT].app)->bytes_received +
				      app_stats(w->host[HOST_SERVER].app)->bytes_received,
	};

	w->progress_left = w->progress_every;
	w->progress(w->progress_ctx, &p);
}

enum world_end world_run(struct world *w)
{
	/* The server is listening before the client's first step. */
	app_start(w->host[HOST_SERVER].app);
	app_start(w->host[HOST_CLIENT].app);
	while (!w->capture_stopped && engine_step(&w->eng, w->scn->duration_ns)) {
		if (w->max_events && w->eng.events_run >= w->max_events && engine_pending(&w->eng))
			return WORLD_EVENT_LIMIT;
		/* A countdown, not a division: the check costs one decrement. */
		if (w->progress && --w->progress_left == 0)
			report_progress(w);
	}
	if (w->capture_stopped)
		return WORLD_CAPTURE_STOPPED;
	if (engine_pending(&w->eng) > 0) {
		w->duration_reached = true;
		w->eng.now_ns = w->scn->duration_ns;
		return WORLD_DURATION;
	}
	return WORLD_DONE;
}

struct engine *world_engine(struct world *w) { return &w->eng; }
struct tcp_ep *world_tcp(struct world *w, enum host_id host) { return w->host[host].ep; }
struct app *world_app(struct world *w, enum host_id host) { return w->host[host].app; }
struct link *world_link(struct world *w, enum host_id from) { return &w->link[from]; }

const struct host_counters *world_host_counters(const struct world *w, enum host_id host)
{
	return &w->host[host].counters;
}

const struct scenario *world_scenario(const struct world *w) { return w->scn; }
uint64_t world_seed(const struct world *w) { return w->seed; }
uint64_t world_now_ns(const struct world *w) { return w->eng.now_ns; }
uint64_t world_events(const struct world *w) { return w->eng.events_run; }
bool world_duration_reached(const struct world *w) { return w->duration_reached; }
