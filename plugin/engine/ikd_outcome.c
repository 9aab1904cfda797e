/* ikd_outcome.c — error attribution and the life of an IKE SA.
 *
 * The phase of an error notify follows from the exchange that carries it:
 * IKE_SA_INIT concerns the IKE SA (phase 1); in IKE_AUTH the child-SA
 * errors concern the first child SA (phase 2) while the rest concern the IKE
 * SA; CREATE_CHILD_SA concerns a child SA unless it rekeys the IKE SA. */
#include <stdio.h>
#include "ikd_internal.h"

static gboolean is_child_error(guint16 type)
{
    switch (type) {
    case IKD_N_NO_PROPOSAL_CHOSEN:
    case IKD_N_TS_UNACCEPTABLE:
    case IKD_N_SINGLE_PAIR_REQUIRED:
    case IKD_N_NO_ADDITIONAL_SAS:
    case IKD_N_INTERNAL_ADDRESS_FAILURE:
    case IKD_N_FAILED_CP_REQUIRED:
    case IKD_N_INVALID_SELECTORS:
        return TRUE;
    default:
        return FALSE;
    }
}

ikd_phase_t ikd_error_phase(guint8 version, guint8 exchange, guint16 type, gboolean rekeys_ike)
{
    if (version == 1)
        return exchange == IKD_V1_QUICK_MODE ? IKD_PHASE_CHILD_SA : IKD_PHASE_IKE_SA;
    switch (exchange) {
    case IKD_IKE_AUTH:
        return is_child_error(type) ? IKD_PHASE_CHILD_SA : IKD_PHASE_IKE_SA;
    case IKD_CREATE_CHILD_SA:
        return rekeys_ike ? IKD_PHASE_IKE_SA : IKD_PHASE_CHILD_SA;
    case IKD_INFORMATIONAL:
        return type == IKD_N_INVALID_SPI || type == IKD_N_CHILD_SA_NOT_FOUND
                   ? IKD_PHASE_CHILD_SA : IKD_PHASE_IKE_SA;
    default:
        return IKD_PHASE_IKE_SA;
    }
}

void ikd_collect_errors(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    guint n = 0;
    for (guint i = 0; i < m->n_notifies; i++)
        if (m->notifies[i] && m->notifies[i] < IKD_N_ERROR_LIMIT)
            n++;
    if (!n)
        return;

    gboolean rekeys = v->attempt && v->attempt->rekey_request;
    ikd_error_t *errs = ikd_arena_alloc(&eng->arena, n * sizeof *errs);
    n = 0;
    for (guint i = 0; i < m->n_notifies; i++) {
        guint16 t = m->notifies[i];
        if (!t || t >= IKD_N_ERROR_LIMIT)
            continue;
        ikd_error_t *e = &errs[n++];
        e->type = t;
        e->phase = ikd_error_phase(m->version, m->exchange, t, rekeys);
        e->role = v->role;
        e->exchange = m->exchange;
        e->frame = m->frame;
        /* A retransmitted error is the same error: list it once per SA. */
        if (!(v->findings & IKD_F_RETRANSMISSION)) {
            if (!sa->errors)
                sa->errors = g_array_new(FALSE, FALSE, sizeof(ikd_error_t));
            if (sa->errors->len < IKD_MAX_SA_ERRORS)
                g_array_append_val(sa->errors, *e);
        }
    }
    v->errors = errs;
    v->n_errors = (guint8)n;
    v->findings |= IKD_F_ERROR;
}

/* Wireshark decrypted the message: payloads other than SK/SKF are in the tree. */
static gboolean payloads_visible(const ikd_msg_t *m)
{
    for (guint w = 0; w < G_N_ELEMENTS(m->payloads); w++) {
        guint32 bits = m->payloads[w];
        if (w == IKD_PL_SK / 32)
            bits &= ~(1u << (IKD_PL_SK % 32) | 1u << (IKD_PL_SKF % 32));
        if (bits)
            return TRUE;
    }
    return FALSE;
}

static gboolean is_encrypted(const ikd_msg_t *m)
{
    return ikd_msg_has_payload(m, IKD_PL_SK) || ikd_msg_has_payload(m, IKD_PL_SKF);
}

static void fail(ikd_sa_t *sa, const ikd_verdict_t *v, guint8 exchange)
{
    sa->state = IKD_ST_FAILED;
    sa->fail_type = v->errors[0].type;
    sa->fail_exchange = exchange;
    sa->decided_frame = v->frame;
}

static void decide(ikd_sa_t *sa, ikd_state_t st, ikd_verdict_t *v)
{
    sa->state = st;
    sa->decided_frame = v->frame;
}

/* A successor IKE SA made by a CREATE_CHILD_SA rekey: already authenticated. */
static void start_rekeyed_sa(ikd_engine_t *eng, ikd_sa_t *old, const ikd_attempt_t *a,
                             const ikd_msg_t *m, ikd_verdict_t *v)
{
    ikd_sa_t *sa = ikd_sa_create(eng, m->version, a->rekey_spi, m->rekey_spi);
    sa->state = IKD_ST_ESTABLISHED;
    sa->rekeyed_from = old->id;
    old->rekeyed_to = sa->id;
    /* The requester of the rekey is the new SA's original initiator. */
    sa->init_addr = sa->init_cur_addr = m->dst;
    sa->init_port = sa->init_cur_port = m->dport;
    sa->resp_addr = sa->resp_cur_addr = m->src;
    sa->resp_port = sa->resp_cur_port = m->sport;
    sa->first_frame = sa->last_frame = m->frame;
    sa->first_time = sa->last_time = m->time;
    v->findings |= IKD_F_REKEYED;
}

static void update_v2(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    gboolean visible = !is_encrypted(m) || payloads_visible(m);
    gboolean settled = sa->state == IKD_ST_FAILED || sa->state == IKD_ST_DELETED;

    if (v->findings & IKD_F_RETRANSMISSION)
        return; /* a copy changes nothing */
    /* RFC 7383: Wireshark shows the reassembled content on the fragment that
     * completes the message; the others say nothing about the outcome. */
    if (ikd_msg_has_payload(m, IKD_PL_SKF) && m->frag_total > 1 && !visible
        && m->frag_num != m->frag_total)
        return;

    switch (m->exchange) {
    case IKD_IKE_SA_INIT:
        if (!v->is_response) {
            if (sa->state == IKD_ST_FAILED && sa->fail_exchange == IKD_IKE_SA_INIT)
                decide(sa, IKD_ST_NEGOTIATING, v); /* retried after the error */
        } else if (v->n_errors) {
            if (sa->state <= IKD_ST_INIT_DONE
                || (sa->state == IKD_ST_FAILED && sa->fail_exchange == IKD_IKE_SA_INIT))
                fail(sa, v, m->exchange);
        } else if (sa->state == IKD_ST_NEGOTIATING) {
            gboolean cookie = FALSE;
            for (guint i = 0; i < m->n_notifies; i++)
                cookie |= m->notifies[i] == IKD_N_COOKIE;
            if (!cookie)
                sa->state = IKD_ST_INIT_DONE;
        }
        break;
    case IKD_IKE_AUTH:
        if (settled)
            break;
        if (!v->is_response) {
            if (sa->state == IKD_ST_NEGOTIATING)
                sa->state = IKD_ST_INIT_DONE;
        } else if (v->n_errors) {
            fail(sa, v, m->exchange);
        } else if (!visible) {
            if (sa->state != IKD_ST_ESTABLISHED) {
                decide(sa, IKD_ST_HIDDEN, v);
                v->findings |= IKD_F_HIDDEN;
            }
        } else if (ikd_msg_has_payload(m, IKD_PL_AUTH) && !ikd_msg_has_payload(m, IKD_PL_EAP)) {
            decide(sa, IKD_ST_ESTABLISHED, v);
            v->findings |= IKD_F_ESTABLISHED;
        }
        break;
    case IKD_CREATE_CHILD_SA:
        if (v->is_response && !v->n_errors && m->has_rekey_spi && v->attempt
            && v->attempt->rekey_request && v->attempt->has_request && !ikd_sa_limit_reached(eng))
            start_rekeyed_sa(eng, sa, v->attempt, m, v);
        break;
    case IKD_INFORMATIONAL:
        if (ikd_msg_has_payload(m, IKD_PL_DELETE) && m->n_delete_spis == 0) {
            v->findings |= IKD_F_DELETE;
            if (sa->state != IKD_ST_FAILED && sa->state != IKD_ST_DELETED)
                decide(sa, IKD_ST_DELETED, v);
        } else if (!settled) {
            for (guint i = 0; i < v->n_errors; i++)
                if (v->errors[i].type == IKD_N_AUTHENTICATION_FAILED) {
                    /* RFC 7296 §2.21.2: the initiator rejects the responder's AUTH. */
                    sa->state = IKD_ST_FAILED;
                    sa->fail_type = IKD_N_AUTHENTICATION_FAILED;
                    sa->fail_exchange = m->exchange;
                    sa->decided_frame = m->frame;
                    break;
                }
        }
        break;
    default:
        break;
    }
}

static void update_v1(ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    if (v->findings & IKD_F_RETRANSMISSION)
        return;
    if (v->n_errors && sa->state != IKD_ST_ESTABLISHED && sa->state != IKD_ST_FAILED) {
        fail(sa, v, m->exchange);
        return;
    }
    if (v->role != IKD_ROLE_RESPONDER || sa->state == IKD_ST_FAILED)
        return;
    if (m->exchange == IKD_V1_QUICK_MODE && sa->state != IKD_ST_ESTABLISHED)
        decide(sa, IKD_ST_ESTABLISHED, v);
    else if (sa->state == IKD_ST_NEGOTIATING)
        sa->state = IKD_ST_INIT_DONE;
}

void ikd_update_state(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v)
{
    if (m->version == 1)
        update_v1(sa, m, v);
    else
        update_v2(eng, sa, m, v);
}

gboolean ikd_error_is_recoverable(guint16 type)
{
    return type == IKD_N_INVALID_KE_PAYLOAD || type == IKD_N_TEMPORARY_FAILURE;
}

guint ikd_sa_unanswered(const ikd_sa_t *sa)
{
    /* The latest request may merely be pending at the end of the capture. */
    if (sa->n_open && sa->last_request && !sa->last_request->resp_first_frame
        && !ikd_attempt_unanswered(sa->last_request))
        return sa->n_open - 1;
    return sa->n_open;
}

const char *ikd_sa_outcome(const ikd_sa_t *sa, gboolean capture_complete, char *buf)
{
    switch (sa->state) {
    case IKD_ST_ESTABLISHED:
        return "established";
    case IKD_ST_DELETED:
        return "deleted";
    case IKD_ST_HIDDEN:
        return "hidden";
    case IKD_ST_FAILED:
        /* The initiator usually retries after these: not final until the end. */
        if (!capture_complete && ikd_error_is_recoverable(sa->fail_type))
            return NULL;
        snprintf(buf, IKD_OUTCOME_MAX, "failed:%s", ikd_notify_name(sa->version, sa->fail_type));
        return buf;
    case IKD_ST_NEGOTIATING:
    case IKD_ST_INIT_DONE:
    default:
        if (!capture_complete)
            return NULL;
        if (sa->last_request && ikd_attempt_unanswered(sa->last_request))
            return "no-response";
        return "incomplete";
    }
}
