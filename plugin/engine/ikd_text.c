/* ikd_text.c — expert info sentences, built from verdicts. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "ikd_text.h"
#include "ikd_internal.h"

const char *ikd_role_name(guint8 role)
{
    return role == IKD_ROLE_INITIATOR ? "initiator" : "responder";
}

static const char *role_title(guint8 role)
{
    return role == IKD_ROLE_INITIATOR ? "Initiator" : "Responder";
}

const char *ikd_phase_name(guint8 phase)
{
    return phase == IKD_PHASE_CHILD_SA ? "child SA" : "IKE SA";
}

static const char *phase_number(guint8 phase)
{
    return phase == IKD_PHASE_CHILD_SA ? "phase 2" : "phase 1";
}

char *ikd_format_addr(const ikd_addr_t *a, char *buf, gsize n)
{
    if (!a->family || !inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->bytes, buf, (socklen_t)n))
        g_strlcpy(buf, "?", n);
    return buf;
}

/* Writes v in decimal at p; returns the end. */
static char *put_dec(char *p, guint v)
{
    char tmp[12];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        *p++ = tmp[--k];
    return p;
}

char *ikd_format_endpoint(const ikd_addr_t *a, guint16 port, char *buf, gsize n)
{
    char addr[INET6_ADDRSTRLEN];
    if (a->family == 4 && n >= sizeof "255.255.255.255:65535") {
        /* IPv4 by hand: reports format one or two per row, twice */
        char *p = buf;
        for (int i = 0; i < 4; i++) {
            p = put_dec(p, a->bytes[i]);
            *p++ = i < 3 ? '.' : ':';
        }
        *put_dec(p, port) = '\0';
        return buf;
    }
    ikd_format_addr(a, addr, sizeof addr);
    snprintf(buf, n, a->family == 6 ? "[%s]:%u" : "%s:%u", addr, port);
    return buf;
}

static const char *xname(const ikd_verdict_t *v)
{
    return ikd_exchange_name(v->sa->version, v->exchange);
}

static const char *kind(const ikd_verdict_t *v)
{
    return v->is_response ? "response" : v->is_request ? "request" : "message";
}

char *ikd_text_retransmission(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX, "Retransmission #%u of %s %s (MID %u), original in frame %u",
             v->retrans_count, xname(v), kind(v), v->mid, v->retrans_original);
    return buf;
}

char *ikd_text_retry(const ikd_verdict_t *v, char *buf)
{
    char why[64] = "";
    if (v->retry_reason)
        snprintf(why, sizeof why, " after %s", ikd_notify_name(v->sa->version, v->retry_reason));
    snprintf(buf, IKD_TEXT_MAX, "%s %s (MID %u) sent again with new content%s, previous in frame %u",
             xname(v), kind(v), v->mid, why, v->retry_previous);
    return buf;
}

char *ikd_text_unanswered(const ikd_verdict_t *v, char *buf)
{
    guint count;
    double span;
    ikd_verdict_transmissions(v, &count, &span);
    snprintf(buf, IKD_TEXT_MAX, "No response to %s request (MID %u): %u transmission%s over %.1f s",
             xname(v), v->mid, count, count == 1 ? "" : "s", span);
    return buf;
}

char *ikd_text_response_lost(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX,
             "%s request (MID %u) repeated after its response in frame %u: "
             "responses do not reach the %s",
             xname(v), v->mid, v->lost_response_frame, ikd_role_name(v->role));
    return buf;
}

char *ikd_text_float(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX, "NAT-T: IKE SA #%u moved from UDP 500 to 4500", v->sa->id);
    return buf;
}

char *ikd_text_addr_change(const ikd_verdict_t *v, const ikd_addr_t *src, guint16 sport, char *buf)
{
    char ep[64];
    snprintf(buf, IKD_TEXT_MAX, "%s of IKE SA #%u now sends from %s (NAT rebinding or MOBIKE)",
             role_title(v->role), v->sa->id, ikd_format_endpoint(src, sport, ep, sizeof ep));
    return buf;
}

/* One clause per disagreeing hash; a destination mismatch cannot be faked
 * by forced encapsulation, so it comes first. */
char *ikd_text_nat(const ikd_verdict_t *v, const ikd_addr_t *src, guint16 sport,
                   const ikd_addr_t *dst, guint16 dport, char *buf)
{
    char ep[64], other[64];
    gsize used = 0;

    buf[0] = '\0';
    ikd_format_endpoint(dst, dport, other, sizeof other);
    if (v->nat & IKD_NAT_RESPONDER_DST)
        used += snprintf(buf + used, IKD_TEXT_MAX - used,
                         "NAT between this capture point and the responder: it sees the "
                         "initiator elsewhere than %s", other);
    if ((v->nat & IKD_NAT_INITIATOR_DST) && used < IKD_TEXT_MAX)
        used += snprintf(buf + used, IKD_TEXT_MAX - used,
                         "%sNAT between the initiator and this capture point: it addressed "
                         "the responder elsewhere than %s", used ? "; " : "", other);
    if ((v->nat & (IKD_NAT_INITIATOR_SRC | IKD_NAT_RESPONDER_SRC)) && used < IKD_TEXT_MAX)
        snprintf(buf + used, IKD_TEXT_MAX - used,
                 "%sNAT between the %s and this capture point, or the %s forces UDP "
                 "encapsulation: its NAT_DETECTION_SOURCE_IP does not match %s",
                 used ? "; " : "", ikd_role_name(v->role), ikd_role_name(v->role),
                 ikd_format_endpoint(src, sport, ep, sizeof ep));
    return buf;
}

char *ikd_text_error(const ikd_verdict_t *v, const ikd_error_t *e, const ikd_addr_t *sender,
                     char *buf)
{
    char addr[INET6_ADDRSTRLEN];
    const char *who = role_title(e->role);
    const char *name = ikd_notify_name(v->sa->version, e->type);
    const char *x = ikd_exchange_name(v->sa->version, e->exchange);
    ikd_format_addr(sender, addr, sizeof addr);

    switch (v->sa->version == 2 ? e->type : 0) {
    case IKD_N_NO_PROPOSAL_CHOSEN:
        snprintf(buf, IKD_TEXT_MAX,
                 "%s %s rejected the %s proposal (%s in %s): %s configuration mismatch",
                 who, addr, ikd_phase_name(e->phase), name, x, phase_number(e->phase));
        break;
    case IKD_N_AUTHENTICATION_FAILED:
        snprintf(buf, IKD_TEXT_MAX,
                 "%s %s could not authenticate its peer (%s in %s): check the pre-shared key, "
                 "certificates and identities",
                 who, addr, name, x);
        break;
    case IKD_N_TS_UNACCEPTABLE:
        snprintf(buf, IKD_TEXT_MAX,
                 "%s %s rejected the traffic selectors (%s in %s): the protected subnets "
                 "differ, phase 2 configuration mismatch",
                 who, addr, name, x);
        break;
    case IKD_N_INVALID_KE_PAYLOAD:
        snprintf(buf, IKD_TEXT_MAX,
                 "%s %s wants another Diffie-Hellman group (%s in %s): the initiator must retry "
                 "with it",
                 who, addr, name, x);
        break;
    default:
        snprintf(buf, IKD_TEXT_MAX, "%s %s reported %s in %s: %s (%s) problem", who, addr, name,
                 x, ikd_phase_name(e->phase), phase_number(e->phase));
        break;
    }
    return buf;
}

char *ikd_text_hidden(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX,
             "IKE_AUTH of IKE SA #%u is encrypted and was not decrypted: its outcome is hidden. "
             "Add the SA's keys under ISAKMP preferences, IKEv2 Decryption Table",
             v->sa->id);
    return buf;
}

char *ikd_text_established(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX, "IKE SA #%u established", v->sa->id);
    return buf;
}

char *ikd_text_delete(const ikd_verdict_t *v, const ikd_addr_t *sender, char *buf)
{
    char addr[INET6_ADDRSTRLEN];
    snprintf(buf, IKD_TEXT_MAX, "IKE SA #%u deleted by %s %s", v->sa->id, ikd_role_name(v->role),
             ikd_format_addr(sender, addr, sizeof addr));
    return buf;
}

char *ikd_text_rekeyed(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX, "IKE SA #%u rekeyed: continues as IKE SA #%u", v->sa->id,
             v->sa->rekeyed_to);
    return buf;
}

char *ikd_text_midstream(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX,
             "Capture starts in the middle of IKE SA #%u (first seen: %s %s, MID %u)", v->sa->id,
             xname(v), kind(v), v->mid);
    return buf;
}

char *ikd_text_orphan(const ikd_verdict_t *v, char *buf)
{
    snprintf(buf, IKD_TEXT_MAX, "Response to a %s request (MID %u) that is not in the capture",
             xname(v), v->mid);
    return buf;
}

char *ikd_text_restart(const ikd_verdict_t *v, const ikd_engine_t *eng, char *buf)
{
    const ikd_sa_t *prev = ikd_engine_sa(eng, v->sa->restart_of - 1);
    guint count = 0;
    double span = 0;
    if (prev && prev->last_request) {
        ikd_verdict_t last = { 0 };
        last.attempt = prev->last_request;
        last.is_request = TRUE;
        ikd_verdict_transmissions(&last, &count, &span);
    }
    snprintf(buf, IKD_TEXT_MAX,
             "Initiator gave up on IKE SA #%u (last request sent %u time%s over %.1f s) and "
             "starts over as IKE SA #%u",
             v->sa->restart_of, count, count == 1 ? "" : "s", span, v->sa->id);
    return buf;
}
