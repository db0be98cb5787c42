/*
 * tcp_sack.c: selective acknowledgments, both ends.
 *
 * Receiver (RFC 2018 §4, RFC 2883 §4): which blocks each ACK carries. The
 * islands themselves are tcp_input.c's reassembly ranges (ep->ooo); here is
 * only the order they are reported in (sack_recent, most recently reported
 * first) and the D-SACK block owed for a duplicate. Callers:
 * tcp_input.c's check_sequence and process_text (arrivals), tcp_output.c's
 * emit (tcp_sack_fill on every segment that carries an ACK).
 *
 * Sender (RFC 6675): the scoreboard (struct sack_board, tcp_var.h),
 * Update() (sb_update), IsLost(), SetPipe(), NextSeg(), the §5 loss
 * recovery with its DupAck of §2, limited transmit by pipe (§5 1.c) and
 * the §5.1 timeout that keeps SACK information; PRR (RFC 6937) as the cwnd
 * reduction during recovery, or RFC 6675's own (cwnd = ssthresh). Callers:
 * process_ack (tcp_sack_on_ack), send_data (tcp_sack_on_send), tcp_output
 * (tcp_sack_wants_output, tcp_sack_choose, tcp_sack_sent), rexmt_fire
 * (tcp_sack_on_rto).
 *
 * The sender works on 64-bit stream offsets (tcp_off_of_snd), which never
 * wrap; RFC 6675's HighRxt, RescueRxt and RecoveryPoint are kept one past
 * the octet the RFC names, like SND.MAX, so that "S2 > HighRxt" reads
 * start >= high_rxt.
 */
#include "tcp_var.h"

#include <stdlib.h>
#include <string.h>

/* ================================================================ receiver */

/* Stream offset of RCV.NXT. */
static uint64_t rcv_edge(const struct tcp_ep *ep)
{
	return ep->rcv_off + ep->rbuf_len;
}

static uint32_t rcv_seq_of(const struct tcp_ep *ep, uint64_t off)
{
	return ep->rcv_nxt + (uint32_t)(off - rcv_edge(ep));
}

/* The island that holds [start, end), or NULL. */
static const struct ooo_range *island_holding(const struct tcp_ep *ep, uint64_t start, uint64_t end)
{
	uint32_t i = tcp_ooo_find(ep, end);

	return i < ep->nooo && ep->ooo[i].start <= start ? &ep->ooo[i] : NULL;
}

/* The island that overlaps [start, end), or NULL. */
static const struct ooo_range *island_touching(const struct tcp_ep *ep, uint64_t start, uint64_t end)
{
	uint32_t i = tcp_ooo_find(ep, start + 1);

	return i < ep->nooo && ep->ooo[i].start < end ? &ep->ooo[i] : NULL;
}

/*
 * Out-of-order data [start, end) was just added to the islands (dup: all
 * of it was there already). RFC 2018 §4: "The first SACK block ... MUST
 * specify the contiguous block of data containing the segment which
 * triggered this ACK"; the others "SHOULD repeat the most recently reported
 * SACK blocks (based on first SACK blocks in previous SACK options)". So
 * the island that holds the segment moves to the front of sack_recent,
 * replacing the blocks it absorbed. RFC 2883 §4: a duplicate is reported
 * first as a D-SACK block, the island holding it second.
 */
void tcp_sack_rcv_arrival(struct tcp_ep *ep, uint64_t start, uint64_t end, bool dup)
{
	const struct ooo_range *isl = island_holding(ep, start, end);
	struct ooo_range keep[WIRE_MAX_SACK];
	uint32_t n = 0;

	if (!isl)
		return;      /* no room was left for a new island: it was dropped */
	if (dup)
		tcp_sack_rcv_dup(ep, rcv_seq_of(ep, start), rcv_seq_of(ep, end));
	keep[n++] = *isl;
	for (uint32_t i = 0; i < ep->nsack_recent && n < WIRE_MAX_SACK; i++) {
		const struct ooo_range *r = &ep->sack_recent[i];
		if (r->start < isl->end && isl->start < r->end)
			continue;    /* merged into the new first block */
		keep[n++] = *r;
	}
	memcpy(ep->sack_recent, keep, n * sizeof(keep[0]));
	ep->nsack_recent = n;
}

/* RCV.NXT moved: blocks it reached are acknowledged now, no longer SACKed. */
void tcp_sack_rcv_advanced(struct tcp_ep *ep)
{
	uint64_t edge = rcv_edge(ep);
	uint32_t n = 0;

	for (uint32_t i = 0; i < ep->nsack_recent; i++)
		if (ep->sack_recent[i].start > edge)
			ep->sack_recent[n++] = ep->sack_recent[i];
	ep->nsack_recent = n;
}

/* RFC 2883 §4: duplicate data [left, right) (sequence numbers), reported
 * in the next ACK only, as its first block. */
void tcp_sack_rcv_dup(struct tcp_ep *ep, uint32_t left, uint32_t right)
{
	ep->dsack_pending = true;
	ep->dsack_left = left;
	ep->dsack_right = right;
}

/*
 * How many SACK blocks fit in s beside its other options and payload: in
 * the 40 bytes of option space (RFC 2018 §3), and within the MSS the peer
 * announced, which bounds payload and options together (RFC 6691 §2: "the
 * sender MUST reduce the TCP data length to account for any IP or TCP
 * options that it is including"; RFC 9293 §3.7.1), itself within the MTU.
 * That is Eff.snd.MSS with the timestamp option it leaves room for.
 */
static unsigned blocks_room(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	struct tcp_opts o = s->opt;
	size_t fixed, used, limit = ep->smss + (ep->ts_ok ? TCP_TS_OPT_LEN : 0);
	unsigned n;

	o.nsack = 0;
	fixed = wire_opts_len(&o);
	used = fixed + s->len;
	if (fixed + 12 > TCP_OPT_MAX || used + 12 > limit)
		return 0;
	n = (unsigned)((TCP_OPT_MAX - fixed - 4) / 8);
	if ((limit - used - 4) / 8 < n)
		n = (unsigned)((limit - used - 4) / 8);
	return n < WIRE_MAX_SACK ? n : WIRE_MAX_SACK;
}

static bool block_listed(const struct tcp_opts *o, uint32_t left, uint32_t right)
{
	for (unsigned i = 0; i < o->nsack; i++)
		if (o->sack[i].left == left && o->sack[i].right == right)
			return true;
	return false;
}

/*
 * RFC 2018 §4: "If sent at all, SACK options SHOULD be included in all
 * ACKs which do not ACK the highest sequence number in the data receiver's
 * queue": every segment that carries an ACK while islands are held gets
 * the D-SACK block owed (RFC 2883 §4), then the island holding it if any,
 * then the islands in the order last reported, as many as fit. A
 * full-sized data segment has no room left under the peer's MSS and
 * carries none (Linux makes room by sending less data; here the pure ACKs
 * carry them).
 */
void tcp_sack_fill(struct tcp_ep *ep, struct tcp_seg *s)
{
	unsigned room, sent;
	struct tcp_opts *o = &s->opt;
	bool dsack = false;

	if (!(s->flags & TH_ACK) || (s->flags & (TH_SYN | TH_RST)))
		return;
	if (!ep->dsack_pending && ep->nsack_recent == 0)
		return;
	room = blocks_room(ep, s);
	if (room == 0)
		return;
	o->nsack = 0;
	if (ep->dsack_pending) {
		uint64_t l = rcv_edge(ep) + (uint32_t)(ep->dsack_left - ep->rcv_nxt);
		uint64_t r = l + (uint32_t)(ep->dsack_right - ep->dsack_left);
		const struct ooo_range *isl = seq_geq(ep->dsack_left, ep->rcv_nxt) ?
					      island_holding(ep, l, r) : NULL;

		o->sack[o->nsack].left = ep->dsack_left;
		o->sack[o->nsack].right = ep->dsack_right;
		o->nsack++;
		dsack = true;
		/* RFC 2883 §4 (2): "If the D-SACK block reports a duplicate
		 * contiguous sequence from a (possibly larger) block of data in
		 * the receiver's data queue above the cumulative acknowledgement,
		 * then the second SACK block ... SHOULD specify this block." */
		if (isl && o->nsack < room) {
			o->sack[o->nsack].left = rcv_seq_of(ep, isl->start);
			o->sack[o->nsack].right = rcv_seq_of(ep, isl->end);
			o->nsack++;
		}
	}
	for (uint32_t i = 0; i < ep->nsack_recent && o->nsack < room; i++) {
		const struct ooo_range *isl = island_touching(ep, ep->sack_recent[i].start,
							     ep->sack_recent[i].end);
		uint32_t l, r;

		if (!isl)
			continue;
		l = rcv_seq_of(ep, isl->start);
		r = rcv_seq_of(ep, isl->end);
		if (block_listed(o, l, r))
			continue;    /* RFC 2018 §4: no block that another already covers */
		o->sack[o->nsack].left = l;
		o->sack[o->nsack].right = r;
		o->nsack++;
	}
	sent = o->nsack;
	ep->stats.sack_blocks_sent += sent;
	if (dsack) {
		ep->stats.dsack_sent++;
		ep->dsack_pending = false;   /* RFC 2883 §4: reported once */
	}
}

/* ============================================================ scoreboard */

static struct sack_rec *rec_at(const struct sack_board *b, uint32_t i)
{
	return &b->rec[(b->head + i) & (b->cap - 1)];
}

static uint64_t rec_len(const struct sack_rec *r)
{
	return r->end - r->start;
}

/*
 * What record r adds to SetPipe() with RACK (tcp_sack_set_pipe): nothing
 * if SACKed; else its bytes once if not lost, and once more if a
 * retransmission of it is in flight. b->rack_pipe is the sum over the
 * board, so that every change to a record's flags or bounds goes through
 * sb_unshare before it and sb_share after it (left out where the record
 * then adds nothing).
 */
static uint64_t sb_rack_share(const struct sack_rec *r)
{
	return r->sacked ? 0 : rec_len(r) * ((uint64_t)!r->lost + r->rexmit);
}

static void sb_unshare(struct sack_board *b, const struct sack_rec *r)
{
	b->rack_pipe -= sb_rack_share(r);
}

static void sb_share(struct sack_board *b, const struct sack_rec *r)
{
	b->rack_pipe += sb_rack_share(r);
}

#define SB_INITIAL_CAP 64u

void tcp_sack_init(struct tcp_ep *ep)
{
	memset(&ep->sb, 0, sizeof(ep->sb));
}

void tcp_sack_free(struct tcp_ep *ep)
{
	free(ep->sb.rec);
	ep->sb.rec = NULL;
}

/* Room for one more record: the ring doubles, records kept in order. */
static void sb_reserve(struct sack_board *b)
{
	struct sack_rec *r;
	uint32_t cap;

	if (b->n < b->cap)
		return;
	cap = b->cap ? 2 * b->cap : SB_INITIAL_CAP;
	r = malloc((size_t)cap * sizeof(*r));
	if (!r)
		abort();
	for (uint32_t i = 0; i < b->n; i++)
		r[i] = *rec_at(b, i);
	free(b->rec);
	b->rec = r;
	b->cap = cap;
	b->head = 0;
}

/* The first record that ends after off (b->n if none). */
static uint32_t sb_find(const struct sack_board *b, uint64_t off)
{
	uint32_t lo = 0, hi = b->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (rec_at(b, mid)->end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t tcp_sack_find(const struct sack_board *b, uint64_t off)
{
	return sb_find(b, off);
}

/* Record r is resent (cut is true: later than any after it) or marked
 * lost: a stretch of records sent after RACK.xmit_ts that holds it ends
 * below it, or, marked, is no more. */
static void sb_after_cut(struct sack_board *b, const struct sack_rec *r, bool resent)
{
	for (unsigned k = 0; k < SACK_AFTER_STRETCHES; k++) {
		struct sack_after *a = &b->after[k];
		if (sack_after_holds(a, r->start))
			a->to = resent ? r->start : a->from;
	}
}

static void sb_after_clear(struct sack_board *b)
{
	for (unsigned k = 0; k < SACK_AFTER_STRETCHES; k++)
		b->after[k].to = b->after[k].from;
}

/* Record r is resent or marked lost: high_marked covers it, and the
 * search for a lost one to resend looks from it on (unsent_lost_from). */
static void sb_note_marked(struct sack_board *b, const struct sack_rec *r)
{
	if (r->end > b->high_marked)
		b->high_marked = r->end;
	if (r->start < b->unsent_lost_from)
		b->unsent_lost_from = r->start;
}

/* RFC 8985 §6.2: RACK found record r lost, and with it any retransmission
 * of it (tcp_rack.c's detect_loss). It no longer counts in the pipe. */
void tcp_sack_rec_lost(struct sack_board *b, struct sack_rec *r)
{
	sb_after_cut(b, r, false);
	sb_unshare(b, r);
	r->lost = true;
	r->rexmit = false;
	sb_note_marked(b, r);
}

/*
 * tcp_sack_unsacked_from for a SACKed record i: the first record after its
 * run that is not SACKed (b->n if none), for the walks that pass over what
 * the receiver holds. A SACKed record's run
 * counts the records from it on that are all SACKed, at least itself. A
 * split inside a run, or a record SACKed at its end, only makes the run
 * longer than it says, and a record stops being SACKed only when the
 * receiver reneges, and then none is left; so a run never says more than
 * is true. The run found is stored at i: the next walk from there jumps
 * at once.
 */
uint32_t tcp_sack_skip_run(struct sack_board *b, uint32_t i)
{
	uint32_t j = i;

	while (j < b->n && rec_at(b, j)->sacked)
		j += rec_at(b, j)->run ? rec_at(b, j)->run : 1;
	rec_at(b, i)->run = j - i;
	return j;
}

/* Makes off a record boundary if it falls inside record i (returns the
 * index of the record that starts at or after off). */
static uint32_t sb_split(struct sack_board *b, uint32_t i, uint64_t off)
{
	struct sack_rec *r;

	if (i >= b->n || rec_at(b, i)->start >= off)
		return i;
	r = rec_at(b, i);
	if (r->end <= off)
		return i + 1;
	sb_reserve(b);
	for (uint32_t k = b->n; k > i + 1; k--)
		*rec_at(b, k) = *rec_at(b, k - 1);
	b->n++;
	*rec_at(b, i + 1) = *rec_at(b, i);
	rec_at(b, i)->end = off;
	rec_at(b, i + 1)->start = off;
	return i + 1;
}

static void sb_append(struct sack_board *b, uint64_t start, uint64_t end, uint64_t now)
{
	struct sack_rec *r;

	sb_reserve(b);
	r = rec_at(b, b->n++);
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
	r->xmit_ns = now;
	r->xmits = 1;
	sb_share(b, r);
}

/* send_data sent [start, end) (offsets, the FIN included): a new record,
 * or the retransmission of records already there. */
void tcp_sack_on_send(struct tcp_ep *ep, uint64_t start, uint64_t end)
{
	struct sack_board *b = &ep->sb;
	uint64_t now = engine_now(ep->eng);
	uint64_t top = b->n ? rec_at(b, b->n - 1)->end : start;
	uint32_t i;

	if (end <= start)
		return;
	if (start >= top) {
		sb_append(b, start, end, now);
		return;
	}
	i = sb_split(b, sb_find(b, start), start);
	i = sb_find(b, start);
	for (; i < b->n && rec_at(b, i)->start < end; i++) {
		struct sack_rec *r;

		sb_split(b, i, end);
		r = rec_at(b, i);
		r->xmit_ns = now;
		r->xmits++;
		sb_after_cut(b, r, true);
		sb_unshare(b, r);
		r->rexmit = true;
		sb_share(b, r);
		sb_note_marked(b, r);
	}
	if (end > top)
		sb_append(b, top, end, now);
}

/* The cumulative ACK reached una: records below it go. */
static void sb_cum_ack(struct sack_board *b, uint64_t una)
{
	while (b->n > 0 && rec_at(b, 0)->end <= una) {
		struct sack_rec *r = rec_at(b, 0);
		if (r->sacked)
			b->sacked_bytes -= rec_len(r);
		sb_unshare(b, r);
		b->head = (b->head + 1) & (b->cap - 1);
		b->n--;
	}
	if (b->n > 0 && rec_at(b, 0)->start < una) {
		struct sack_rec *r = rec_at(b, 0);
		if (r->sacked)
			b->sacked_bytes -= una - r->start;
		sb_unshare(b, r);
		r->start = una;
		sb_share(b, r);
	}
	if (b->n == 0)
		b->high_sacked = 0;
}

/* Marks [left, right) SACKed; returns the bytes newly SACKed. */
static uint64_t sb_mark(struct sack_board *b, uint64_t left, uint64_t right)
{
	uint64_t newly = 0;
	uint32_t i;

	/* right (above left: sb_update) becomes a record boundary first, so
	 * that the records SACKed already can be passed over a run at a time. */
	sb_split(b, sb_find(b, right), right);
	i = sb_split(b, sb_find(b, left), left);
	while (i < b->n && rec_at(b, i)->start < right) {
		struct sack_rec *r = rec_at(b, i);

		if (r->sacked) {
			i = tcp_sack_unsacked_from(b, i);
			continue;
		}
		sb_unshare(b, r);
		r->sacked = true;
		r->run = 1;
		newly += rec_len(r);
		i++;
	}
	b->sacked_bytes += newly;
	if (newly && right > b->high_sacked)
		b->high_sacked = right;
	return newly;
}

/*
 * RFC 6675 §4 IsLost(SeqNum): "true when either DupThresh discontiguous
 * SACKed sequences have arrived above 'SeqNum' or more than (DupThresh - 1)
 * * SMSS bytes with sequence numbers greater than 'SeqNum' have been
 * SACKed". A SACKed sequence is counted per SACKed record (segment).
 */
bool tcp_sack_is_lost(const struct tcp_ep *ep, uint64_t off)
{
	const struct sack_board *b = &ep->sb;
	uint64_t bytes = 0;
	uint32_t segs = 0;

	for (uint32_t i = b->n; i-- > 0;) {
		const struct sack_rec *r = rec_at(b, i);
		if (r->end <= off + 1)
			break;
		if (!r->sacked)
			continue;
		bytes += r->end - (r->start > off + 1 ? r->start : off + 1);
		segs += r->start > off;
	}
	return segs >= DUPTHRESH || bytes > (uint64_t)(DUPTHRESH - 1) * ep->smss;
}

/* IsLost for every record at once, from the top down (the counts only grow
 * as SACKs arrive, so lost stays set). */
static void sb_mark_lost(struct tcp_ep *ep)
{
	struct sack_board *b = &ep->sb;
	uint64_t bytes = 0;
	uint32_t segs = 0;

	if (tcp_rack_on(ep))
		return;      /* RFC 8985 §6.2: RACK's marks replace IsLost's (tcp_rack.c) */
	for (uint32_t i = b->n; i-- > 0;) {
		struct sack_rec *r = rec_at(b, i);
		if (r->sacked) {
			bytes += rec_len(r);
			segs++;
		} else if (segs >= DUPTHRESH || bytes > (uint64_t)(DUPTHRESH - 1) * ep->smss) {
			r->lost = true;      /* (no RACK: b->rack_pipe not used) */
			sb_note_marked(b, r);
		}
	}
}

/*
 * RFC 6675 §4 SetPipe(): for each octet from HighACK to HighData that is
 * not SACKed, one if IsLost() is false (still in the network) and one more
 * if it lies at or below HighRxt (its retransmission is in the network).
 * With RACK the second term is the segment's own: whether a retransmission
 * of it is in flight (RFC 8985 §6.2 finds a retransmission lost, and then
 * it is no longer; RFC 8985 §9.3 keeps RFC 6675's pipe otherwise). That sum
 * has no term that depends on the board as a whole, so it is kept as the
 * records change (b->rack_pipe) instead of walked on every ACK.
 */
uint64_t tcp_sack_set_pipe(struct tcp_ep *ep)
{
	struct sack_board *b = &ep->sb;
	bool rack = tcp_rack_on(ep);
	uint64_t pipe = 0;

	sb_mark_lost(ep);
	if (rack) {
		b->pipe = b->rack_pipe;
		return b->pipe;
	}
	for (uint32_t i = 0; i < b->n; i++) {
		const struct sack_rec *r = rec_at(b, i);
		if (r->sacked)
			continue;
		if (!r->lost)
			pipe += rec_len(r);
		if (r->start < b->high_rxt)
			pipe += (r->end < b->high_rxt ? r->end : b->high_rxt) - r->start;
	}
	b->pipe = pipe;
	return pipe;
}

/* SACKed segments above record i, for the annotations. */
static uint32_t sacked_above(const struct sack_board *b, uint32_t i)
{
	uint32_t n = 0;

	for (uint32_t k = i + 1; k < b->n; k++)
		n += rec_at(b, k)->sacked;
	return n;
}

/* Stream offset where new data starts (SND.MAX). */
static uint64_t snd_max_off(const struct tcp_ep *ep)
{
	return tcp_off_of_snd(ep, ep->snd_max);
}

static bool new_data_allowed(const struct tcp_ep *ep)
{
	uint64_t data_end = ep->snd_off + ep->sbuf_len;
	uint64_t outstanding = (uint32_t)(ep->snd_max - ep->snd_una);

	return snd_max_off(ep) < data_end + (ep->fin_queued ? 1 : 0) &&
	       ep->snd_wnd > outstanding;
}

/* The end of a retransmission that starts at record r: at most SMSS of it. */
static uint64_t first_smss_end(const struct tcp_ep *ep, const struct sack_rec *r)
{
	return r->end - r->start > ep->smss ? r->start + ep->smss : r->end;
}

/*
 * With RACK, the first record below offset below that is marked lost and
 * not resent since (RFC 8985 §6.2: never resent, or its retransmission
 * found lost too); b->n if none.
 */
static uint32_t first_unsent_lost(struct tcp_ep *ep, uint64_t below)
{
	struct sack_board *b = &ep->sb;
	uint32_t i;

	/* None below unsent_lost_from (sb_note_marked lowers it for every
	 * record marked lost), and no record from high_marked on was ever
	 * marked lost. */
	for (i = tcp_sack_unsacked_from(b, sb_find(b, b->unsent_lost_from)); i < b->n;
	     i = tcp_sack_unsacked_from(b, i + 1)) {
		const struct sack_rec *r = rec_at(b, i);

		if (r->start >= below || r->start >= b->high_marked) {
			b->unsent_lost_from = r->start;      /* none below it */
			return b->n;
		}
		if (r->lost && !r->rexmit) {
			b->unsent_lost_from = r->start;
			return i;
		}
	}
	return b->n;
}

/*
 * RFC 6675 §4 NextSeg(). Fills [*start, *end) and *rule (1 to 4) for a
 * retransmission, or returns true with *rule 2 when new data should go,
 * false when none of the four rules applies.
 */
bool tcp_sack_next_seg(struct tcp_ep *ep, uint64_t *start, uint64_t *end, int *rule)
{
	struct sack_board *b = &ep->sb;
	uint32_t i;

	sb_mark_lost(ep);
	/* (1) the smallest unSACKed S2 > HighRxt, below the highest SACKed
	 * octet, for which IsLost() is true. With RACK: the smallest segment
	 * marked lost and not resent since, at any height (RACK marks
	 * segments above every SACK, and a retransmission it found lost,
	 * below HighRxt, RFC 8985 §6.2). */
	if (tcp_rack_on(ep)) {
		i = first_unsent_lost(ep, UINT64_MAX);
		if (i < b->n) {
			*start = rec_at(b, i)->start;
			*end = first_smss_end(ep, rec_at(b, i));
			*rule = 1;
			return true;
		}
	} else {
		for (i = sb_find(b, b->high_rxt); i < b->n; i++) {
			const struct sack_rec *r = rec_at(b, i);
			if (r->start >= b->high_sacked)
				break;
			if (!r->sacked && r->lost) {
				*start = r->start > b->high_rxt ? r->start : b->high_rxt;
				*end = r->end - *start > ep->smss ? *start + ep->smss : r->end;
				*rule = 1;
				return true;
			}
		}
	}
	/* (2) new data, if the receiver's window allows. */
	if (new_data_allowed(ep)) {
		*start = *end = snd_max_off(ep);
		*rule = 2;
		return true;
	}
	/* (3) an unSACKed S3 > HighRxt below the highest SACKed octet. */
	for (i = sb_find(b, b->high_rxt); i < b->n; i++) {
		const struct sack_rec *r = rec_at(b, i);
		if (r->start >= b->high_sacked)
			break;
		if (!r->sacked) {
			*start = r->start > b->high_rxt ? r->start : b->high_rxt;
			*end = r->end - *start > ep->smss ? *start + ep->smss : r->end;
			*rule = 3;
			return true;
		}
	}
	/* (4) one rescue retransmission per recovery, while HighACK > RescueRxt:
	 * a segment that holds the highest outstanding unSACKed octet. */
	if (!b->rescue_set || tcp_off_of_snd(ep, ep->snd_una) >= b->rescue_rxt) {
		for (i = b->n; i-- > 0;) {
			const struct sack_rec *r = rec_at(b, i);
			if (r->sacked)
				continue;
			*end = r->end;
			*start = r->end - r->start > ep->smss ? r->end - ep->smss : r->start;
			*rule = 4;
			return true;
		}
	}
	return false;
}

/* ================================================================ output */

/*
 * Whether tcp_output's choice is SACK's: in recovery (NextSeg), after a
 * timeout while the holes are resent (§5.1), or while SACKed data is
 * outstanding outside recovery, when limited transmit is governed by pipe
 * (§5 1.c).
 */
bool tcp_sack_wants_output(const struct tcp_ep *ep)
{
	if (!ep->sack_ok)
		return false;
	if (ep->in_recovery || seq_lt(ep->snd_nxt, ep->snd_max))
		return true;
	if (ep->in_loss && tcp_rack_on(ep))
		return true;    /* RACK may find a retransmission lost until it ends */
	return ep->sb.sacked_bytes > 0 && ep->cfg.limited_transmit;
}

/* A retransmission of [start, end) (offsets), the FIN with it if it was
 * sent and lies there. */
static void plan_rexmt(struct tcp_ep *ep, uint64_t start, uint64_t end, struct out_plan *p)
{
	uint64_t data_end = ep->snd_off + ep->sbuf_len;

	memset(p, 0, sizeof(*p));
	p->seq = tcp_seq_of_off(ep, start);
	p->fin = ep->fin_queued && end > data_end;
	p->len = (end > data_end ? data_end : end) - start;
	p->avail = data_end > start ? data_end - start : 0;
	p->rexmt = true;
	p->keep_nxt = true;
}

/* What the sender may still put in the network now, in recovery. */
static bool recovery_budget(const struct tcp_ep *ep)
{
	if (ep->cfg.recovery == TCP_RECOVERY_RFC6675)
		/* RFC 6675 §5 (C): "If cwnd - pipe >= 1 SMSS". */
		return ep->cc.cwnd_bytes >= ep->sb.pipe + ep->smss;
	/* RFC 6937: up to sndcnt; a whole segment leaves while sndcnt > 0
	 * (sndcnt is in bytes; a segment stack sends whole segments). */
	return ep->sb.sndcnt_left > 0;
}

/* New data, as much as SMSS, the queue, budget and the peer's window allow. */
static bool plan_new(struct tcp_ep *ep, bool idle, uint64_t budget, struct out_plan *p)
{
	uint64_t outstanding = (uint32_t)(ep->snd_max - ep->snd_una);
	uint64_t room = ep->snd_wnd > outstanding ? ep->snd_wnd - outstanding : 0;

	memset(p, 0, sizeof(*p));
	p->in_flight = outstanding;
	return tcp_output_new_data(ep, idle, budget < room ? budget : room, p);
}

/* RFC 6675 §5 (C): the next segment NextSeg() names, while the budget lasts. */
static bool choose_in_recovery(struct tcp_ep *ep, bool idle, struct out_plan *p)
{
	struct sack_board *b = &ep->sb;
	uint64_t start, end;
	int rule;

	if (!recovery_budget(ep) || !tcp_sack_next_seg(ep, &start, &end, &rule))
		return false;
	if (rule == 2) {
		ep->snd_nxt = ep->snd_max;       /* new data starts at HighData + 1 */
		return plan_new(ep, idle, ep->smss, p);
	}
	plan_rexmt(ep, start, end, p);
	if (rule == 1 && tcp_rack_cause(ep, start))
		;    /* RACK marked it lost */
	else if (rule == 1)
		tcp_set_cause(ep, TCP_WHY_SACK_RETRANSMIT, 0,
			      sacked_above(b, sb_find(b, start)));
	else if (rule == 3)
		tcp_set_cause(ep, TCP_WHY_SACK_RULE3, 0, sacked_above(b, sb_find(b, start)));
	else
		tcp_set_cause(ep, TCP_WHY_SACK_RESCUE, 0, 0);
	p->rescue = rule == 4;
	return true;
}

/* With RACK, a segment resent since the timeout whose retransmission RACK
 * found lost (RFC 8985 §6.2): lost, and not in flight any more. */
static bool relost(const struct tcp_ep *ep, const struct sack_rec *r)
{
	return tcp_rack_on(ep) && r->lost && !r->rexmit && !r->sacked;
}

/* The first such segment below SND.NXT goes again, before the go-back goes
 * on, as far as cwnd less what is in flight allows. */
static bool choose_relost(struct tcp_ep *ep, uint64_t nxt, uint64_t flight, struct out_plan *p)
{
	struct sack_board *b = &ep->sb;
	uint32_t i = tcp_rack_on(ep) ? first_unsent_lost(ep, nxt) : b->n;

	if (i >= b->n || ep->cc.cwnd_bytes < flight + ep->smss)
		return false;
	plan_rexmt(ep, rec_at(b, i)->start, first_smss_end(ep, rec_at(b, i)), p);
	p->in_flight = flight;
	tcp_rack_cause(ep, rec_at(b, i)->start);
	return true;
}

/*
 * RFC 6675 §5.1: after a timeout, "a TCP sender SHOULD use this SACK
 * information when determining what data should be sent": go back to
 * SND.UNA as without SACK, but step over what the receiver holds, and count
 * in flight only what was resent since (the rest is taken as lost).
 */
static bool choose_after_rto(struct tcp_ep *ep, bool idle, struct out_plan *p)
{
	struct sack_board *b = &ep->sb;
	uint64_t nxt = tcp_off_of_snd(ep, ep->snd_nxt);
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una);
	uint64_t flight = 0, wnd, usable, end;
	uint32_t i;

	for (i = 0; i < b->n && rec_at(b, i)->start < nxt; i++) {
		const struct sack_rec *r = rec_at(b, i);
		if (!r->sacked && !relost(ep, r))
			flight += (r->end < nxt ? r->end : nxt) - (r->start > una ? r->start : una);
	}
	if (choose_relost(ep, nxt, flight, p))
		return true;
	/* RFC 2018 §8: the segment at the left edge goes "whether or not the
	 * SACKed bit is on for that segment" (the receiver may have reneged);
	 * beyond it, SACKed data is stepped over. */
	for (i = sb_find(b, nxt); i < b->n && rec_at(b, i)->sacked && nxt > una; i++)
		nxt = rec_at(b, i)->end;
	if (nxt >= snd_max_off(ep)) {
		/* Every hole resent: new data, within cwnd less what is out. */
		ep->snd_nxt = ep->snd_max;
		wnd = ep->cc.cwnd_bytes;
		return plan_new(ep, idle, wnd > flight ? wnd - flight : 0, p);
	}
	ep->snd_nxt = tcp_seq_of_off(ep, nxt);
	wnd = ep->snd_wnd < ep->cc.cwnd_bytes ? ep->snd_wnd : ep->cc.cwnd_bytes;
	usable = wnd > flight ? wnd - flight : 0;
	if (i >= b->n) {
		/* Sent without a record (a window probe's byte): resend as is. */
		end = snd_max_off(ep);
		i = b->n - 1;
	} else {
		end = rec_at(b, i)->end;
	}
	/* the hole ends where SACKed data begins (the left edge, SACKed, is
	 * one record) */
	while (i + 1 < b->n && !rec_at(b, i)->sacked && !rec_at(b, i + 1)->sacked &&
	       end - nxt < ep->smss &&
	       rec_at(b, i + 1)->start == end)
		end = rec_at(b, ++i)->end;
	if (end - nxt > ep->smss)
		end = nxt + ep->smss;
	if (end - nxt > usable)
		end = nxt + usable;
	if (end <= nxt)
		return false;
	plan_rexmt(ep, nxt, end, p);
	p->keep_nxt = false;
	p->in_flight = flight;
	if (!ep->cause.set)
		tcp_set_cause(ep, TCP_WHY_SACK_HOLE_AFTER_RTO, 0, 0);
	return true;
}

/* RFC 6675 §5 (1.c): outside recovery, new data while cwnd - pipe >= SMSS. */
static bool choose_limited(struct tcp_ep *ep, bool idle, struct out_plan *p)
{
	uint64_t cwnd = ep->cc.cwnd_bytes, pipe = ep->sb.pipe;

	if (cwnd < pipe + ep->smss)
		return false;
	if (!plan_new(ep, idle, cwnd - pipe, p))
		return false;
	p->limited = true;
	if (!ep->cause.set && p->len > 0 && p->in_flight + p->len > cwnd)
		tcp_set_cause(ep, TCP_WHY_LIMITED_TRANSMIT, ep->sb.dupacks, 0);
	return true;
}

bool tcp_sack_choose(struct tcp_ep *ep, bool idle, struct out_plan *p)
{
	if (ep->in_recovery)
		return choose_in_recovery(ep, idle, p);
	if (seq_lt(ep->snd_nxt, ep->snd_max) || (ep->in_loss && tcp_rack_on(ep)))
		return choose_after_rto(ep, idle, p);
	return choose_limited(ep, idle, p);
}

/* A segment tcp_sack_choose chose has left (RFC 6675 §5 C.2 - C.4, RFC 6937). */
void tcp_sack_sent(struct tcp_ep *ep, const struct out_plan *p)
{
	struct sack_board *b = &ep->sb;
	uint64_t start = tcp_off_of_snd(ep, p->seq);
	uint64_t end = start + p->len + p->fin;

	b->pipe += end - start;                 /* (C.4), (1.c.2) */
	if (p->rexmt) {
		ep->stats.sack_retransmits += ep->in_recovery;
		/* (C.2) HighRxt, unless rule (4) sent it; then RescueRxt =
		 * RecoveryPoint. */
		if (p->rescue) {
			b->rescue_rxt = b->recovery_point;
			b->rescue_set = true;
			ep->stats.sack_rescue_retransmits++;
		} else if (end > b->high_rxt) {
			b->high_rxt = end;
		}
	}
	if (ep->in_recovery) {
		b->prr_out += end - start;          /* RFC 6937: prr_out += data sent */
		b->sndcnt_left -= (int64_t)(end - start);
	}
}

/* ================================================================== ACKs */

/*
 * Update() (RFC 6675 §4 and §5 (B.1)): the SACK blocks of one ACK. A first
 * block below the cumulative ACK, or inside the second, is a D-SACK
 * (RFC 2883 §4) and reports a duplicate: counted, not applied. Blocks
 * outside [SND.UNA, SND.MAX) are ignored. Returns the bytes newly SACKed.
 */
static uint64_t sb_update(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	const struct tcp_opts *o = &seg->opt;
	uint64_t newly = 0;

	for (unsigned k = 0; k < o->nsack; k++) {
		uint32_t l = o->sack[k].left, r = o->sack[k].right;

		ep->stats.sack_blocks_received++;
		if (k == 0 && (seq_lt(l, seg->ack) ||
			       (o->nsack > 1 && seq_geq(l, o->sack[1].left) &&
				seq_leq(r, o->sack[1].right)))) {
			ep->stats.dsack_received++;
			continue;
		}
		if (!seq_lt(l, r) || seq_lt(l, ep->snd_una) || seq_gt(r, ep->snd_max))
			continue;
		newly += sb_mark(&ep->sb, tcp_off_of_snd(ep, l), tcp_off_of_snd(ep, r));
	}
	return newly;
}

/* RFC 2018 §8: the receiver acknowledged up to a segment it had SACKed and
 * SACKs it no longer: it reneged. The SACK marks go (the data was kept). */
static void sb_check_renege(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	struct sack_board *b = &ep->sb;
	const struct sack_rec *first = b->n ? rec_at(b, 0) : NULL;

	if (!first || !first->sacked || first->start != tcp_off_of_snd(ep, seg->ack))
		return;
	for (unsigned k = 0; k < seg->opt.nsack; k++)
		if (seg->opt.sack[k].left == seg->ack)
			return;
	for (uint32_t i = 0; i < b->n; i++) {
		struct sack_rec *r = rec_at(b, i);
		sb_unshare(b, r);
		r->sacked = false;
		r->lost = false;
		sb_share(b, r);
	}
	b->sacked_bytes = 0;
	b->high_sacked = 0;
	sb_after_clear(b);
	ep->stats.sack_reneges++;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/*
 * RFC 6937 §3, on every ACK in recovery: prr_delivered += DeliveredData;
 * then, with pipe from SetPipe(),
 *   pipe > ssthresh:  sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out
 *   otherwise:        sndcnt = MIN(ssthresh - pipe, limit), where limit is
 *     PRR-SSRB: MAX(prr_delivered - prr_out, DeliveredData) + MSS
 *     PRR-CRB:  prr_delivered - prr_out
 * and cwnd = pipe + sndcnt (Linux's tcp_cwnd_reduction does the same).
 */
static void prr_on_ack(struct tcp_ep *ep, uint64_t delivered)
{
	struct sack_board *b = &ep->sb;
	uint64_t ssthresh = ep->cc.ssthresh_bytes;
	int64_t sndcnt;

	b->prr_delivered += delivered;
	tcp_sack_set_pipe(ep);
	if (b->pipe > ssthresh) {
		sndcnt = (int64_t)ceil_div(b->prr_delivered * ssthresh, b->recover_fs) -
			 (int64_t)b->prr_out;
	} else {
		int64_t limit = (int64_t)b->prr_delivered - (int64_t)b->prr_out;

		if (ep->cfg.recovery == TCP_RECOVERY_PRR) {
			if (limit < (int64_t)delivered)
				limit = (int64_t)delivered;
			limit += ep->smss;
		}
		sndcnt = (int64_t)(ssthresh - b->pipe) < limit ? (int64_t)(ssthresh - b->pipe) : limit;
	}
	b->sndcnt = sndcnt;
	b->sndcnt_left = sndcnt;
	ep->cc.cwnd_bytes = b->pipe + (sndcnt > 0 ? (uint64_t)sndcnt : 0);
}

/*
 * RFC 6675 §5 step (4): enter loss recovery. RecoveryPoint = HighData;
 * ssthresh = cwnd = FlightSize / 2 (the cc's on_sack_recovery; what limited
 * transmit sent does not count, RFC 5681 §3.2 step 2); retransmit the
 * segment at HighACK + 1 and set HighRxt and RescueRxt to its end; SetPipe.
 * With PRR, RecoverFS = snd.nxt - snd.una and the counters start at 0
 * (RFC 6937 §3); the fast retransmit always leaves (Linux forces it too).
 */
static void enter_recovery(struct tcp_ep *ep, uint64_t delivered)
{
	struct sack_board *b = &ep->sb;
	uint64_t flight = tcp_flight_bytes(ep);
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una);
	struct out_plan p;

	ep->in_recovery = true;
	ep->rack.tlp_set = false;        /* RFC 8985 §7.4: this reduction answers a probe too */
	b->recovery_point = snd_max_off(ep);
	ep->cc.ops->on_sack_recovery(&ep->cc, flight - ep->lt_bytes);
	tcp_ecn_reduced(ep, TCP_CWR_FAST_RETRANSMIT);    /* RFC 3168 §6.1.2 */
	ep->lt_bytes = 0;
	b->prr_delivered = 0;
	b->prr_out = 0;
	b->recover_fs = flight;
	b->rescue_set = false;
	ep->stats.sack_recoveries++;
	ep->stats.fast_retransmits += !tcp_rack_on(ep);   /* with RACK: below, if one leaves */
	ep->rtt_timing = false;          /* Karn: the timed segment may be the one resent */
	b->high_rxt = una;
	if (ep->cfg.recovery != TCP_RECOVERY_RFC6675)
		prr_on_ack(ep, delivered);
	/* With RACK (RFC 8985), only if RACK marked it lost and it is not
	 * resent already (the last recovery's retransmission of it may still
	 * be on its way); else NextSeg chooses as PRR allows. */
	if (b->n > 0 && !rec_at(b, 0)->sacked &&
	    (!tcp_rack_on(ep) || (rec_at(b, 0)->lost && !rec_at(b, 0)->rexmit))) {
		const struct sack_rec *r = rec_at(b, 0);

		plan_rexmt(ep, r->start, first_smss_end(ep, r), &p);
		if (!tcp_rack_cause(ep, r->start))
			tcp_set_cause(ep, TCP_WHY_SACK_FAST_RETRANSMIT, b->dupacks,
				      sacked_above(b, 0));
		tcp_output_plan(ep, &p);
		ep->cause.set = false;
		b->rescue_rxt = b->high_rxt;     /* (4.3) */
		b->rescue_set = true;
	}
	tcp_sack_set_pipe(ep);              /* (4.4) */
	tcp_note_cwnd(ep);
	tcp_rexmt_arm(ep);
	tcp_trace(ep, TCP_TR_SACK_RECOVERY);
}

/* RACK's reordering timer found a loss (tcp_rack.c). */
void tcp_sack_enter_recovery(struct tcp_ep *ep, uint64_t delivered)
{
	enter_recovery(ep, delivered);
}

/*
 * RFC 6675 §5 for one ACK (process_ack has moved SND.UNA already). old_una
 * is SND.UNA before it. DeliveredData (RFC 6937) is the advance of SND.UNA
 * plus the change in SACKed bytes.
 */
void tcp_sack_on_ack(struct tcp_ep *ep, const struct tcp_seg *seg, uint32_t old_una)
{
	struct sack_board *b = &ep->sb;
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una);
	uint64_t advance = (uint32_t)(ep->snd_una - old_una);
	uint64_t sacked_before = b->sacked_bytes, newly, delivered;
	bool cumulative = advance > 0, rack_lost;

	tcp_rack_on_delivered(ep, seg);         /* RFC 8985 §6.2 steps 1-3 */
	sb_cum_ack(b, una);
	newly = sb_update(ep, seg);
	sb_check_renege(ep, seg);
	rack_lost = tcp_rack_detect(ep, seg);   /* steps 4-5 */
	delivered = advance + b->sacked_bytes > sacked_before ?
		    advance + b->sacked_bytes - sacked_before : 0;
	if (newly)
		ep->stats.sack_dupacks_received++;   /* §2: an ACK that SACKs new data */
	if (cumulative)
		b->dupacks = 0;

	if (ep->in_recovery) {
		if (una >= b->recovery_point) {
			/* (A): the end of loss recovery; RFC 6937: cwnd = ssthresh. */
			ep->in_recovery = false;
			ep->cc.cwnd_bytes = ep->cc.ssthresh_bytes;
			tcp_note_cwnd(ep);
			tcp_trace(ep, TCP_TR_SACK_RECOVERY_EXIT);
			return;
		}
		/* (B.2) SetPipe; PRR's sndcnt for this ACK; (C) follows in tcp_output. */
		if (ep->cfg.recovery == TCP_RECOVERY_RFC6675)
			tcp_sack_set_pipe(ep);
		else
			prr_on_ack(ep, delivered);
		tcp_note_cwnd(ep);
		return;
	}
	/* RFC 8985 §6.2: with RACK, a segment RACK marked lost starts
	 * recovery, whether or not the ACK SACKed anything new. */
	if (rack_lost && una >= b->recovery_point && !ep->in_loss) {
		b->dupacks += newly > 0;
		enter_recovery(ep, delivered);
		return;
	}
	if (!newly) {
		if (b->sacked_bytes > 0)
			tcp_sack_set_pipe(ep);  /* what limited transmit (1.c) may use */
		return;
	}
	/* (1) a DupAck outside recovery. */
	b->dupacks++;
	if (!tcp_rack_on(ep) && (b->dupacks >= DUPTHRESH || tcp_sack_is_lost(ep, una)) &&
	    una >= b->recovery_point && !ep->in_loss) {
		enter_recovery(ep, delivered);          /* (1.a), (1.b) -> (4) */
		return;
	}
	/* (1.c.1) HighRxt = HighACK; (1.c.2) SetPipe; (1.c.3) in tcp_output. */
	b->high_rxt = una;
	tcp_sack_set_pipe(ep);
	tcp_trace(ep, TCP_TR_DUPACK);
}

/*
 * RFC 6675 §5.1: a timeout ends recovery and sets RecoveryPoint to
 * HighData; no new recovery until HighACK reaches it. The scoreboard is
 * kept (only a reneging receiver clears it, sb_check_renege): everything
 * not SACKed counts as lost and nothing as retransmitted yet, so that
 * choose_after_rto resends the holes and only them.
 */
void tcp_sack_on_rto(struct tcp_ep *ep)
{
	struct sack_board *b = &ep->sb;

	b->recovery_point = snd_max_off(ep);
	sb_after_clear(b);                      /* everything is lost now */
	for (uint32_t i = 0; i < b->n; i++) {
		struct sack_rec *r = rec_at(b, i);
		sb_unshare(b, r);    /* no longer counts in the pipe */
		if (!r->sacked) {
			r->lost = true;
			sb_note_marked(b, r);
		}
		r->rexmit = false;
	}
	b->high_rxt = tcp_off_of_snd(ep, ep->snd_una);
	b->rescue_set = false;
	b->dupacks = 0;
	b->sndcnt = b->sndcnt_left = 0;
	tcp_rack_on_rto(ep);
}
