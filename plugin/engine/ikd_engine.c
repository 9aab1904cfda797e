/* ikd_engine.c — one message in, one verdict out. */
#include <string.h>
#include "ikd_internal.h"

/* A fragmented message: its SPIs, Message ID and direction. */
typedef struct {
    guint64 ispi, rspi;
    guint32 mid;
    guint8 response;
} frag_key_t;

static guint frag_hash(gconstpointer p)
{
    const frag_key_t *k = p;
    guint64 h = k->ispi * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15) ^ k->rspi ^ ((guint64)k->mid << 1)
                ^ k->response;
    return (guint)(h ^ h >> 32);
}

static gboolean frag_equal(gconstpointer a, gconstpointer b)
{
    const frag_key_t *x = a, *y = b;
    return x->ispi == y->ispi && x->rspi == y->rspi && x->mid == y->mid && x->response == y->response;
}

static frag_key_t frag_key_of(const ikd_msg_t *m)
{
    frag_key_t k;
    memset(&k, 0, sizeof k);
    k.ispi = m->ispi;
    k.rspi = m->rspi;
    k.mid = m->mid;
    k.response = (guint8)m->flag_response;
    return k;
}

void ikd_engine_note_first_inner(ikd_engine_t *eng, const ikd_msg_t *m, guint8 type)
{
    /* Fragments whose message never completes are forgotten in bulk. */
    if (g_hash_table_size(eng->first_inner) >= IKD_MAX_OPEN_FRAGMENTED)
        g_hash_table_remove_all(eng->first_inner);
    frag_key_t *k = g_new(frag_key_t, 1);
    *k = frag_key_of(m);
    g_hash_table_replace(eng->first_inner, k, GUINT_TO_POINTER((guint)type));
}

guint8 ikd_engine_take_first_inner(ikd_engine_t *eng, const ikd_msg_t *m)
{
    frag_key_t k = frag_key_of(m);
    gpointer type = g_hash_table_lookup(eng->first_inner, &k);
    if (type)
        g_hash_table_remove(eng->first_inner, &k);
    return (guint8)GPOINTER_TO_UINT(type);
}

/* A verdict is kept for every IKE message of a capture. */
G_STATIC_ASSERT(sizeof(void *) != 8 || sizeof(ikd_verdict_t) <= 64);

ikd_engine_t *ikd_engine_new(void)
{
    ikd_engine_t *eng = g_new0(ikd_engine_t, 1);
    eng->first_inner = g_hash_table_new_full(frag_hash, frag_equal, g_free, NULL);
    ikd_sa_table_init(eng);
    ikd_exchange_table_init(eng);
    return eng;
}

void ikd_engine_free(ikd_engine_t *eng)
{
    if (!eng)
        return;
    ikd_exchange_table_free(eng);
    ikd_sa_table_free(eng);
    g_hash_table_destroy(eng->first_inner);
    ikd_arena_clear(&eng->arena);
    g_free(eng);
}

void ikd_engine_summarize(const ikd_engine_t *eng, ikd_engine_summary_t *s)
{
    memset(s, 0, sizeof *s);
    GByteArray *facts = g_byte_array_new();
    for (guint i = 0; eng && i < eng->sas->len; i++) {
        const ikd_sa_t *sa = g_ptr_array_index(eng->sas, i);
        char buf[IKD_OUTCOME_MAX];
        const char *o = ikd_sa_outcome(sa, TRUE, buf);
        const guint32 counts[] = { sa->n_messages, sa->n_requests, sa->n_retransmissions,
                                   sa->first_frame, sa->last_frame };
        s->n_messages += sa->n_messages;
        g_byte_array_append(facts, (const guint8 *)o, (guint)strlen(o) + 1);
        g_byte_array_append(facts, (const guint8 *)counts, sizeof counts);
    }
    s->n_sas = eng ? eng->sas->len : 0;
    guint64 d = ikd_digest(facts->data, facts->len);
    s->digest = (guint32)(d ^ d >> 32);
    g_byte_array_free(facts, TRUE);
}

void ikd_engine_set_max_sas(ikd_engine_t *eng, guint max)
{
    eng->max_sas = max;
}

guint64 ikd_engine_untracked(const ikd_engine_t *eng, guint32 *first_frame)
{
    if (first_frame)
        *first_frame = eng ? eng->first_untracked : 0;
    return eng ? eng->n_untracked : 0;
}

guint ikd_engine_sa_count(const ikd_engine_t *eng)
{
    return eng->sas->len;
}

const ikd_sa_t *ikd_engine_sa(const ikd_engine_t *eng, guint index)
{
    return index < eng->sas->len ? g_ptr_array_index(eng->sas, index) : NULL;
}

/* FNV-1a over 8-byte words (then the tail bytes): copies are compared by
 * this, so it runs on every IKE message and must be cheap. */
guint64 ikd_digest(const guint8 *data, gsize len)
{
    const guint64 prime = G_GUINT64_CONSTANT(0x100000001b3);
    guint64 h = G_GUINT64_CONSTANT(0xcbf29ce484222325) ^ len;
    gsize i = 0;
    for (; i + 8 <= len; i += 8) {
        guint64 w;
        memcpy(&w, data + i, sizeof w);
        h = (h ^ w) * prime;
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ data[i]) * prime;
    return h;
}

void ikd_msg_add_notify(ikd_msg_t *m, guint16 type)
{
    if (m->n_notifies < IKD_MAX_NOTIFIES)
        m->notifies[m->n_notifies++] = type;
    else
        m->notifies_truncated = TRUE;
}

static gboolean same_endpoint(const ikd_addr_t *a, guint16 pa, const ikd_addr_t *b, guint16 pb)
{
    return pa == pb && a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

static gboolean is_nat_t_port(const ikd_msg_t *m)
{
    return m->sport == 4500 || m->dport == 4500;
}

/* The first sighting fixes where each peer was. */
static void place_peers(ikd_sa_t *sa, const ikd_msg_t *m, ikd_role_t sender)
{
    const ikd_addr_t *ia = sender == IKD_ROLE_INITIATOR ? &m->src : &m->dst;
    const ikd_addr_t *ra = sender == IKD_ROLE_INITIATOR ? &m->dst : &m->src;
    sa->init_addr = sa->init_cur_addr = *ia;
    sa->resp_addr = sa->resp_cur_addr = *ra;
    sa->init_port = sa->init_cur_port = sender == IKD_ROLE_INITIATOR ? m->sport : m->dport;
    sa->resp_port = sa->resp_cur_port = sender == IKD_ROLE_INITIATOR ? m->dport : m->sport;
    sa->first_frame = m->frame;
    sa->first_time = m->time;
}

/* NAT-T float (RFC 7296 §2.23) and later moves of the sender. */
static void track_endpoints(ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    gboolean from_init = v->role == IKD_ROLE_INITIATOR;
    ikd_addr_t *cur = from_init ? &sa->init_cur_addr : &sa->resp_cur_addr;
    guint16 *port = from_init ? &sa->init_cur_port : &sa->resp_cur_port;
    gboolean began_on_500 = sa->init_port == 500 || sa->resp_port == 500;

    if (!sa->float_frame && began_on_500 && is_nat_t_port(m)) {
        sa->float_frame = m->frame;
        v->findings |= IKD_F_NAT_FLOAT;
    } else if (!same_endpoint(cur, *port, &m->src, m->sport)) {
        gboolean float_port = *port == 500 && m->sport == 4500 && sa->float_frame
                              && cur->family == m->src.family
                              && memcmp(cur->bytes, m->src.bytes, 16) == 0;
        if (!float_port && !(v->findings & IKD_F_RETRANSMISSION))
            v->findings |= IKD_F_ADDR_CHANGE;
    }
    *cur = m->src;
    *port = m->sport;
}

static ikd_role_t sender_role(const ikd_sa_t *sa, const ikd_msg_t *m, gboolean created)
{
    if (m->version != 1)
        return m->flag_initiator ? IKD_ROLE_INITIATOR : IKD_ROLE_RESPONDER;
    /* IKEv1 carries no role flag: the initiator sent the zero-rspi message;
     * mid-stream, the first sender is taken for the initiator. */
    if (created)
        return IKD_ROLE_INITIATOR;
    return same_endpoint(&sa->init_cur_addr, 0, &m->src, 0) ? IKD_ROLE_INITIATOR
                                                             : IKD_ROLE_RESPONDER;
}

/* An initiator that gives up after its retries starts over with a new SA:
 * link the two when the old one never got past the negotiation. */
static void note_restart(ikd_engine_t *eng, ikd_sa_t *sa, ikd_verdict_t *v)
{
    ikd_sa_t *prev = ikd_sa_replaces(eng, sa);
    if (!prev || prev->restarted_as
        || (prev->state != IKD_ST_NEGOTIATING && prev->state != IKD_ST_INIT_DONE))
        return;
    prev->restarted_as = sa->id;
    sa->restart_of = prev->id;
    v->findings |= IKD_F_RESTART;
}

static void initial_state(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    gboolean fresh = m->version == 1 ? m->rspi == 0
                                     : m->exchange == IKD_IKE_SA_INIT && m->mid == 0;
    if (fresh) {
        if (v->role == IKD_ROLE_INITIATOR && !m->rspi)
            note_restart(eng, sa, v);
        return; /* NEGOTIATING */
    }
    sa->midstream = TRUE;
    v->findings |= IKD_F_MIDSTREAM;
    if (m->version == 1)
        sa->state = m->exchange == IKD_V1_QUICK_MODE || m->exchange == IKD_V1_INFORMATIONAL
                        ? IKD_ST_ESTABLISHED : IKD_ST_INIT_DONE;
    else if (m->exchange == IKD_IKE_AUTH || m->exchange == IKD_IKE_INTERMEDIATE
             || m->exchange == IKD_IKE_SA_INIT)
        sa->state = IKD_ST_INIT_DONE;
    else
        sa->state = IKD_ST_ESTABLISHED; /* only an established SA has these */
}

const ikd_verdict_t *ikd_engine_process(ikd_engine_t *eng, const ikd_msg_t *m)
{
    gboolean created;

    if ((m->version != 1 && m->version != 2) || m->ispi == 0)
        return NULL;

    ikd_sa_t *sa = ikd_sa_lookup(eng, m, &created);
    if (!sa)
        return NULL; /* beyond the IKE SA limit */
    ikd_verdict_t *v = ikd_arena_alloc(&eng->arena, sizeof *v);
    v->sa = sa;
    v->frame = m->frame;
    v->exchange = m->exchange;
    v->mid = m->mid;
    v->frag_num = m->frag_num;
    v->frag_total = m->frag_total;
    v->role = sender_role(sa, m, created);
    if (created) {
        place_peers(sa, m, v->role);
        initial_state(eng, sa, m, v);
    }
    if (m->time > eng->last_time)
        eng->last_time = m->time;
    sa->n_messages++;
    sa->last_frame = m->frame;
    sa->last_time = m->time;

    if (m->version == 1) {
        ikd_exchange_v1(eng, sa, m, v);
    } else if (m->flag_response) {
        v->is_response = TRUE;
        ikd_exchange_response(eng, sa, m, v);
    } else {
        v->is_request = TRUE;
        ikd_exchange_request(eng, sa, m, v);
    }
    track_endpoints(sa, m, v);
    ikd_collect_errors(eng, sa, m, v);
    if (!(v->findings & IKD_F_RETRANSMISSION)) {
        v->nat = ikd_natd_check(m);
        if (v->nat) {
            v->findings |= IKD_F_NAT_DETECTED;
            sa->nat |= v->nat;
        }
    }
    ikd_update_state(eng, sa, m, v);
    return v;
}

/* --- late-bound facts ---------------------------------------------------- */

guint32 ikd_verdict_response_in(const ikd_verdict_t *v)
{
    return v->is_request && v->attempt ? v->attempt->resp_first_frame : 0;
}

guint32 ikd_verdict_response_to(const ikd_verdict_t *v)
{
    return v->is_response && v->attempt && v->attempt->has_request ? v->attempt->req_first_frame
                                                                    : 0;
}

gboolean ikd_verdict_rtt(const ikd_verdict_t *v, double *seconds)
{
    if (!ikd_verdict_response_to(v) || v->frame != v->attempt->resp_first_frame)
        return FALSE;
    *seconds = v->attempt->resp_time - v->attempt->req_first_time;
    return TRUE;
}

gboolean ikd_attempt_unanswered(const ikd_attempt_t *a)
{
    if (!a->has_request || a->resp_first_frame)
        return FALSE;
    return a->req.max_count > 0 || a->sa->engine->last_time - a->req_last_time >= IKD_ANSWER_GRACE;
}

gboolean ikd_verdict_unanswered(const ikd_verdict_t *v)
{
    return v->is_request && v->attempt && ikd_attempt_unanswered(v->attempt);
}

void ikd_verdict_transmissions(const ikd_verdict_t *v, guint *count, double *span)
{
    const ikd_attempt_t *a = v->attempt;
    *count = 0;
    *span = 0;
    if (!a)
        return;
    *count = 1 + (v->is_response ? a->resp.max_count : a->req.max_count);
    if (!v->is_response)
        *span = a->req_last_time - a->req_first_time;
}
