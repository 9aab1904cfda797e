/* ikd_exchange.c — request/response pairing, retransmissions and retries.
 *
 * IKEv2 (RFC 7296 §2.1-2.2): each peer numbers its own requests, so an
 * exchange is named by (SA, Message ID, which peer asked). A later copy with
 * identical bytes is a retransmission, of a request or of the cached
 * response; different bytes under the same name are a retry (COOKIE,
 * INVALID_KE_PAYLOAD) and start a new attempt. RFC 7383 fragments of one
 * message share its Message ID and are parts of one transmission. */
#include <string.h>
#include "ikd_internal.h"


static guint attempt_hash(gconstpointer p)
{
    const ikd_attempt_t *a = p;
    guint32 h = a->sa->id * 0x9E3779B1u;
    h ^= a->mid * 0x85EBCA6Bu;
    return h ^ a->by_initiator;
}

static gboolean attempt_equal(gconstpointer p, gconstpointer q)
{
    const ikd_attempt_t *a = p, *b = q;
    return a->sa == b->sa && a->mid == b->mid && a->by_initiator == b->by_initiator;
}

void ikd_exchange_table_init(ikd_engine_t *eng)
{
    eng->attempts = g_hash_table_new(attempt_hash, attempt_equal);
    eng->copy_arrays = g_ptr_array_new();
}

void ikd_exchange_table_free(ikd_engine_t *eng)
{
    for (guint i = 0; i < eng->copy_arrays->len; i++)
        g_array_free(g_ptr_array_index(eng->copy_arrays, i), TRUE);
    g_ptr_array_free(eng->copy_arrays, TRUE);
    g_hash_table_destroy(eng->attempts);
}

static ikd_attempt_t *attempt_find(ikd_engine_t *eng, ikd_sa_t *sa, guint32 mid, gboolean by_init)
{
    ikd_attempt_t key;
    key.sa = sa;
    key.mid = mid;
    key.by_initiator = by_init ? 1 : 0;
    return g_hash_table_lookup(eng->attempts, &key);
}

static ikd_attempt_t *attempt_new(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m,
                                  gboolean by_init, ikd_attempt_t *previous)
{
    ikd_attempt_t *a = ikd_arena_alloc(&eng->arena, sizeof *a);
    a->sa = sa;
    a->mid = m->mid;
    a->by_initiator = by_init ? 1 : 0;
    a->exchange = m->exchange;
    a->previous = previous;
    g_hash_table_add(eng->attempts, a); /* replaces the previous attempt */
    return a;
}

/* --- the copies of one side of an attempt ------------------------------ */

static ikd_copy_t *copies_find(ikd_copies_t *c, guint64 digest)
{
    if (!c->n)
        return NULL;
    if (c->first.digest == digest)
        return &c->first;
    if (c->more)
        for (guint i = 0; i < c->more->len; i++) {
            ikd_copy_t *x = &g_array_index(c->more, ikd_copy_t, i);
            if (x->digest == digest)
                return x;
        }
    return NULL;
}

static gboolean copies_have_fragment(const ikd_copies_t *c, guint16 frag_num)
{
    if (!c->n)
        return FALSE;
    if (c->first.frag_num == frag_num)
        return TRUE;
    if (c->more)
        for (guint i = 0; i < c->more->len; i++)
            if (g_array_index(c->more, ikd_copy_t, i).frag_num == frag_num)
                return TRUE;
    return FALSE;
}

/* Returns FALSE when the cap is reached and the image is not tracked. */
static gboolean copies_add(ikd_engine_t *eng, ikd_copies_t *c, const ikd_msg_t *m)
{
    ikd_copy_t x = { m->digest, m->frame, 0, m->frag_num };
    if (!c->n) {
        c->first = x;
    } else {
        if (c->n >= IKD_MAX_COPIES)
            return FALSE;
        if (!c->more) {
            c->more = g_array_new(FALSE, FALSE, sizeof(ikd_copy_t));
            g_ptr_array_add(eng->copy_arrays, c->more);
        }
        g_array_append_val(c->more, x);
    }
    c->n++;
    return TRUE;
}

/* A new image belongs to the same transmission when it is a fragment whose
 * number this side has not shown yet. */
static gboolean is_next_fragment(const ikd_copies_t *c, const ikd_msg_t *m)
{
    return m->frag_total > 1 && m->frag_num >= 1 && !copies_have_fragment(c, m->frag_num);
}

static void mark_retransmission(ikd_sa_t *sa, ikd_copies_t *c, ikd_copy_t *x, ikd_verdict_t *v)
{
    x->count++;
    if (x->count > c->max_count)
        c->max_count = x->count;
    v->findings |= IKD_F_RETRANSMISSION;
    v->retrans_count = x->count;
    v->retrans_original = x->first_frame;
    sa->n_retransmissions++;
    if (x->count > sa->max_retransmissions)
        sa->max_retransmissions = x->count;
}

static void note_fragment(const ikd_msg_t *m, ikd_verdict_t *v)
{
    if (m->frag_total > 1)
        v->findings |= IKD_F_FRAGMENT;
}

static void count_request(ikd_sa_t *sa, ikd_attempt_t *a, const ikd_msg_t *m)
{
    sa->n_requests++;
    sa->n_open++;
    sa->n_exchanges[ikd_exchange_slot(m->version, m->exchange)]++;
    sa->last_request = a;
}

static void start_request(ikd_engine_t *eng, ikd_attempt_t *a, const ikd_msg_t *m)
{
    a->has_request = 1;
    a->exchange = m->exchange;
    a->req_first_frame = a->req_last_frame = m->frame;
    a->req_first_time = a->req_last_time = m->time;
    a->rekey_request = m->has_rekey_spi && m->exchange == IKD_CREATE_CHILD_SA;
    a->rekey_spi = m->rekey_spi;
    copies_add(eng, &a->req, m);
}

void ikd_exchange_request(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    gboolean by_init = m->flag_initiator;
    ikd_attempt_t *a = attempt_find(eng, sa, m->mid, by_init);

    note_fragment(m, v);
    if (a && a->has_request) {
        ikd_copy_t *x = copies_find(&a->req, m->digest);
        if (x) {
            mark_retransmission(sa, &a->req, x, v);
            if (a->resp_first_frame) {
                v->findings |= IKD_F_RESPONSE_LOST;
                v->lost_response_frame = a->resp_first_frame;
            }
        } else if (m->exchange == a->exchange && is_next_fragment(&a->req, m)) {
            if (!copies_add(eng, &a->req, m))
                v->findings |= IKD_F_TOO_MANY;
        } else {
            ikd_attempt_t *prev = a;
            prev->superseded = TRUE;
            a = attempt_new(eng, sa, m, by_init, prev);
            start_request(eng, a, m);
            count_request(sa, a, m);
            v->findings |= IKD_F_RETRY;
            v->retry_previous = prev->req_first_frame;
            v->retry_reason = prev->resp_reason;
        }
        a->req_last_frame = m->frame;
        a->req_last_time = m->time;
    } else {
        if (!a)
            a = attempt_new(eng, sa, m, by_init, NULL);
        start_request(eng, a, m);
        count_request(sa, a, m);
        if (a->resp_first_frame) /* its response came first: out of order */
            sa->n_open--;
    }
    v->attempt = a;
}

static guint16 response_reason(const ikd_msg_t *m)
{
    for (guint i = 0; i < m->n_notifies; i++)
        if (m->notifies[i] && m->notifies[i] < IKD_N_ERROR_LIMIT)
            return m->notifies[i];
    for (guint i = 0; i < m->n_notifies; i++)
        if (m->notifies[i] == IKD_N_COOKIE)
            return IKD_N_COOKIE;
    return 0;
}

void ikd_exchange_response(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    /* The responder of this exchange is the sender; the requester is the
     * original initiator exactly when the sender is not. */
    gboolean by_init = !m->flag_initiator;
    ikd_attempt_t *a = attempt_find(eng, sa, m->mid, by_init);

    note_fragment(m, v);
    if (!a) {
        a = attempt_new(eng, sa, m, by_init, NULL);
        v->findings |= IKD_F_ORPHAN_RESPONSE;
    }
    v->attempt = a;
    if (!a->resp.n) {
        a->resp_first_frame = m->frame;
        a->resp_time = m->time;
        a->resp_reason = response_reason(m);
        copies_add(eng, &a->resp, m);
        if (a->has_request && sa->n_open)
            sa->n_open--;
        return;
    }
    ikd_copy_t *x = copies_find(&a->resp, m->digest);
    if (x) {
        mark_retransmission(sa, &a->resp, x, v);
    } else if (is_next_fragment(&a->resp, m)) {
        if (!copies_add(eng, &a->resp, m))
            v->findings |= IKD_F_TOO_MANY;
    } else {
        /* A second, different answer to one request. */
        v->findings |= IKD_F_RETRY;
        v->retry_previous = a->resp_first_frame;
        if (!copies_add(eng, &a->resp, m))
            v->findings |= IKD_F_TOO_MANY;
    }
}

/* IKEv1 has no request/response flag: only byte-identical copies from the
 * same sender under the same Message ID are recognised (retransmissions). */
void ikd_exchange_v1(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    gboolean by_init = v->role == IKD_ROLE_INITIATOR;
    ikd_attempt_t *a = attempt_find(eng, sa, m->mid, by_init);

    if (!a) {
        a = attempt_new(eng, sa, m, by_init, NULL);
        a->req_first_frame = m->frame;
        a->req_first_time = m->time;
        sa->n_exchanges[ikd_exchange_slot(m->version, m->exchange)]++;
    }
    v->attempt = a;
    /* Without request flags, "answered" means the peer said anything since. */
    if (by_init) {
        a->has_request = 1;
        sa->last_request = a;
    } else if (sa->last_request && !sa->last_request->resp_first_frame) {
        sa->last_request->resp_first_frame = m->frame;
    }
    ikd_copy_t *x = copies_find(&a->req, m->digest);
    if (x)
        mark_retransmission(sa, &a->req, x, v);
    else if (!copies_add(eng, &a->req, m))
        v->findings |= IKD_F_TOO_MANY;
    a->req_last_frame = m->frame;
    a->req_last_time = m->time;
}

void ikd_attempt_get_info(const ikd_attempt_t *a, ikd_attempt_info_t *info)
{
    memset(info, 0, sizeof *info);
    if (!a)
        return;
    info->request_frame = a->has_request ? a->req_first_frame : 0;
    info->response_frame = a->resp_first_frame;
    info->rtt = a->resp_time - a->req_first_time;
    info->response_error = a->resp_reason < IKD_N_ERROR_LIMIT ? a->resp_reason : 0;
    info->unanswered = ikd_attempt_unanswered(a);
    info->retried = a->superseded;
}
