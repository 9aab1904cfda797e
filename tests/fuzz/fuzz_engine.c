/* fuzz_engine.c — libFuzzer harness for the ikediag engine (plugin/engine).
 *
 * The input bytes are decoded into a sequence of ikd_msg_t — every field is
 * taken from the bytes, mostly from small pools of values so that messages
 * meet on the same SA, Message ID and digest (retransmissions, retries,
 * floats, rekeys), sometimes raw (absurd MIDs near 2^32, fragment numbers,
 * lengths, exchange types, versions, times) — and fed to one engine. After
 * every message the verdict goes through every accessor, every ikd_text_*
 * sentence and ikd_report_add; at the end every SA, every verdict again
 * (late-bound facts) and the report (ikd_report_render and every cell) are
 * read. Everything is freed: run with leak detection on.
 *
 * The only invariants the harness keeps are the ones the glue guarantees by
 * construction: n_notifies <= IKD_MAX_NOTIFIES (ikd_msg_add_notify) and
 * n_natd_src <= IKD_MAX_NATD_SRC.
 *
 * Build: see tests/fuzz/CMakeLists.txt (clang -fsanitize=fuzzer,address,undefined).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "ikd_engine.h"
#include "ikd_ids.h"
#include "ikd_payloads.h"
#include "ikd_report.h"
#include "ikd_text.h"

#define MAX_MSGS 4096

typedef struct {
    const uint8_t *p;
    size_t n;
} rd_t;

static uint8_t u8(rd_t *r)
{
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}
static uint16_t u16(rd_t *r) { return (uint16_t)(u8(r) | (u8(r) << 8)); }
static uint32_t u32(rd_t *r) { return (uint32_t)u16(r) | ((uint32_t)u16(r) << 16); }
static uint64_t u64(rd_t *r) { return (uint64_t)u32(r) | ((uint64_t)u32(r) << 32); }

static const guint64 spis[] = {0, 0x1111111111111111ull, 0x2222222222222222ull, 0x3333333333333333ull,
                               0xFFFFFFFFFFFFFFFFull, 1, 0x8000000000000000ull};
static const guint32 mids[] = {0, 1, 2, 3, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
static const guint8 exchanges[] = {IKD_IKE_SA_INIT, IKD_IKE_AUTH, IKD_CREATE_CHILD_SA, IKD_INFORMATIONAL,
                                   IKD_IKE_SESSION_RESUME, IKD_IKE_INTERMEDIATE, IKD_IKE_FOLLOWUP_KE,
                                   IKD_V1_MAIN_MODE, IKD_V1_AGGRESSIVE, IKD_V1_INFORMATIONAL,
                                   IKD_V1_QUICK_MODE, 0, 255};
static const guint16 notifies[] = {IKD_N_INVALID_SPI, IKD_N_NO_PROPOSAL_CHOSEN, IKD_N_INVALID_KE_PAYLOAD,
                                   IKD_N_AUTHENTICATION_FAILED, IKD_N_SINGLE_PAIR_REQUIRED,
                                   IKD_N_TS_UNACCEPTABLE, IKD_N_TEMPORARY_FAILURE, IKD_N_CHILD_SA_NOT_FOUND,
                                   IKD_N_NAT_DETECTION_SOURCE_IP, IKD_N_NAT_DETECTION_DESTINATION_IP,
                                   IKD_N_COOKIE, 16384, 16383, 0, 65535};
static const guint8 payload_types[] = {IKD_PL_SA, IKD_PL_AUTH, IKD_PL_NOTIFY, IKD_PL_DELETE, IKD_PL_SK,
                                       IKD_PL_EAP, IKD_PL_SKF, 34, 35, 36, 40, 47, 0, 255};

#define PICK(arr, b) ((arr)[(b) % (sizeof(arr) / sizeof((arr)[0]))])

static void read_addr(rd_t *r, ikd_addr_t *a)
{
    uint8_t c = u8(r);
    memset(a, 0, sizeof *a);
    switch (c & 3) {
    case 0: /* 192.0.2.x, x in 1..4 */
        a->family = 4;
        a->bytes[0] = 192, a->bytes[2] = 2, a->bytes[3] = 1 + ((c >> 2) & 3);
        break;
    case 1: /* 2001:db8::x */
        a->family = 6;
        a->bytes[0] = 0x20, a->bytes[1] = 0x01, a->bytes[2] = 0x0d, a->bytes[3] = 0xb8;
        a->bytes[15] = 1 + ((c >> 2) & 3);
        break;
    case 2: /* raw, any family byte */
        a->family = u8(r);
        for (int i = 0; i < 16; i++)
            a->bytes[i] = u8(r);
        break;
    default: /* unknown */
        break;
    }
}

static void read_hash(rd_t *r, guint8 *h)
{
    uint8_t c = u8(r);
    if (c & 0x80) {
        for (int i = 0; i < IKD_NATD_LEN; i++)
            h[i] = u8(r);
    } else {
        memset(h, c & 3, IKD_NATD_LEN);
    }
}

static void exercise_verdict(const ikd_verdict_t *v, const ikd_engine_t *eng, const ikd_msg_t *m)
{
    char buf[IKD_TEXT_MAX];
    double d;
    guint count;

    (void)ikd_verdict_response_in(v);
    (void)ikd_verdict_response_to(v);
    (void)ikd_verdict_rtt(v, &d);
    (void)ikd_verdict_unanswered(v);
    ikd_verdict_transmissions(v, &count, &d);
    if (v->attempt) {
        ikd_attempt_info_t info;
        ikd_attempt_get_info(v->attempt, &info);
    }
    ikd_text_retransmission(v, buf);
    ikd_text_retry(v, buf);
    ikd_text_unanswered(v, buf);
    ikd_text_response_lost(v, buf);
    ikd_text_float(v, buf);
    ikd_text_hidden(v, buf);
    ikd_text_established(v, buf);
    ikd_text_rekeyed(v, buf);
    ikd_text_midstream(v, buf);
    ikd_text_orphan(v, buf);
    ikd_text_restart(v, eng, buf);
    if (m) {
        ikd_text_addr_change(v, &m->src, m->sport, buf);
        ikd_text_nat(v, &m->src, m->sport, &m->dst, m->dport, buf);
        ikd_text_delete(v, &m->src, buf);
        for (guint i = 0; i < v->n_errors; i++)
            ikd_text_error(v, &v->errors[i], &m->src, buf);
    } else {
        ikd_addr_t none;
        memset(&none, 0, sizeof none);
        ikd_text_addr_change(v, &none, 0, buf);
        ikd_text_nat(v, &none, 0, &none, 0, buf);
        ikd_text_delete(v, &none, buf);
        for (guint i = 0; i < v->n_errors; i++)
            ikd_text_error(v, &v->errors[i], &none, buf);
    }
    if (v->sa) {
        char out[IKD_OUTCOME_MAX];
        (void)ikd_sa_outcome(v->sa, FALSE, out);
        (void)ikd_sa_unanswered(v->sa);
    }
}

static void exercise_report(ikd_report_t *rep, const char *filter)
{
    char *s = ikd_report_render(rep, filter);
    g_free(s);
    for (guint i = 0; i < ikd_report_sa_count(rep); i++) {
        const ikd_report_sa_t *row = ikd_report_sa(rep, i);
        (void)ikd_report_sa_unanswered(rep, row);
        g_free(ikd_report_spi(row->sa->ispi));
        g_free(ikd_report_errors(row));
        g_free(ikd_report_nat(row));
    }
    for (guint i = 0; i < ikd_report_xchg_count(rep); i++) {
        const ikd_report_xchg_t *x = ikd_report_xchg(rep, i);
        guint32 frame;
        double rtt;
        g_free(ikd_report_xchg_status(x));
        (void)ikd_report_xchg_response(x, &frame, &rtt);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd_t r = {data, size};
    ikd_engine_t *eng = ikd_engine_new();
    ikd_report_t *rep = ikd_report_new();
    if (size & 2) /* sometimes a small IKE SA limit: refused messages get no verdict */
        ikd_engine_set_max_sas(eng, 1 + (guint)(size % 5));
    GPtrArray *verdicts = g_ptr_array_new();
    guint32 frame = 0;
    double t = 0.0;
    char buf[IKD_TEXT_MAX];

    for (int n = 0; r.n > 0 && n < MAX_MSGS; n++) {
        ikd_msg_t m;
        memset(&m, 0, sizeof m);
        uint8_t c0 = u8(&r), c1 = u8(&r), c2 = u8(&r);

        if (c0 == 0xFF && c1 == 0xFF) { /* control: reset the report */
            ikd_report_reset(rep);
            continue;
        }
        m.frame = (c2 & 0x80) ? u32(&r) : ++frame;
        if (c2 & 0x40) {
            double d;
            guint64 bits = u64(&r);
            memcpy(&d, &bits, sizeof d);
            if (isfinite(d))
                t = d;
        } else {
            t += (c2 & 0x3F) * 0.125;
        }
        m.time = t;
        read_addr(&r, &m.src);
        read_addr(&r, &m.dst);
        {
            uint8_t p = u8(&r);
            m.sport = (p & 1) ? 4500 : 500;
            m.dport = (p & 2) ? 4500 : 500;
            if (p & 4)
                m.sport = u16(&r);
            if (p & 8)
                m.dport = u16(&r);
        }
        m.version = (c0 & 0x80) ? u8(&r) : ((c0 & 0x40) ? 1 : 2);
        m.ispi = (c0 & 0x20) ? u64(&r) : PICK(spis, c0 & 7);
        m.rspi = (c0 & 0x10) ? u64(&r) : PICK(spis, (c0 >> 3) & 3);
        m.exchange = (c1 & 0x80) ? u8(&r) : PICK(exchanges, c1 & 0x0F);
        m.flag_initiator = (c1 >> 4) & 1;
        m.flag_response = (c1 >> 5) & 1;
        m.mid = (c1 & 0x40) ? u32(&r) : PICK(mids, (c2 >> 3) & 7);
        {
            uint8_t f = u8(&r);
            m.length = (f & 1) ? u32(&r) : 28u + (f & 0xF0);
            m.digest = (f & 2) ? u64(&r) : (guint64)((f >> 2) & 3);
            if (f & 4) {
                m.frag_num = u16(&r);
                m.frag_total = u16(&r);
            } else if (f & 8) {
                m.frag_num = 1 + (f >> 6);
                m.frag_total = 1 + ((f >> 4) & 3);
            }
        }
        {
            uint8_t pl = u8(&r);
            for (int i = 0; i < (pl & 7); i++)
                ikd_msg_add_payload(&m, (pl & 8) ? u8(&r) : PICK(payload_types, u8(&r)));
            if (pl & 0x10)
                for (int i = 0; i < 8; i++)
                    m.payloads[i] = u32(&r);
            int nn = (pl >> 5) == 7 ? u8(&r) % 40 : (pl >> 5);
            for (int i = 0; i < nn; i++) {
                uint8_t k = u8(&r);
                ikd_msg_add_notify(&m, (k & 0x80) ? u16(&r) : PICK(notifies, k));
            }
        }
        {
            /* Payload facts from raw bytes, as the glue reads them; and the
             * RFC 7383 first-inner-payload memory around them. */
            uint8_t w = u8(&r);
            if (w & 1) {
                guint8 first = (w & 4) ? u8(&r) : PICK(payload_types, w >> 3);
                size_t len = u8(&r);
                if (w & 2)
                    len |= (size_t)u8(&r) << 8;
                len = len < r.n ? len : r.n;
                ikd_walk_t walk;
                ikd_payloads_walk(&m, r.p, len, first, &walk);
                r.p += len, r.n -= len;
                if (walk.encrypted && (w & 0x40))
                    ikd_engine_note_first_inner(eng, &m, walk.inner_first);
                if (w & 0x80)
                    (void)ikd_engine_take_first_inner(eng, &m);
            }
        }
        {
            uint8_t nd = u8(&r);
            m.n_natd_src = (nd & 7) > IKD_MAX_NATD_SRC ? IKD_MAX_NATD_SRC : (nd & 7);
            for (int i = 0; i < m.n_natd_src; i++)
                read_hash(&r, m.natd_src[i]);
            if (nd & 8) {
                m.has_natd_dst = TRUE;
                read_hash(&r, m.natd_dst);
            }
            if (nd & 0x10) {
                m.has_rekey_spi = TRUE;
                m.rekey_spi = (nd & 0x20) ? u64(&r) : PICK(spis, nd >> 6);
            }
            if (nd & 0x40)
                m.n_delete_spis = u16(&r);
        }

        const ikd_verdict_t *v = ikd_engine_process(eng, &m);
        (void)ikd_exchange_name(m.version, m.exchange);
        for (guint i = 0; i < m.n_notifies; i++) {
            (void)ikd_notify_name(m.version, m.notifies[i]);
            (void)ikd_notify_name_or_null(m.version, m.notifies[i]);
            (void)ikd_error_is_recoverable(m.notifies[i]);
            (void)ikd_error_phase(m.version, m.exchange, m.notifies[i], m.has_rekey_spi);
        }
        if (!v)
            continue;
        g_ptr_array_add(verdicts, (gpointer)v);
        exercise_verdict(v, eng, &m);
        const ikd_report_xchg_t *x = NULL;
        (void)ikd_report_add(rep, v, m.time, &x);
        if (x) {
            g_free(ikd_report_xchg_status(x));
        }
    }

    /* Late-bound facts, once the whole "capture" has been fed. */
    for (guint i = 0; i < verdicts->len; i++)
        exercise_verdict(g_ptr_array_index(verdicts, i), eng, NULL);
    for (guint i = 0; i < ikd_engine_sa_count(eng); i++) {
        const ikd_sa_t *sa = ikd_engine_sa(eng, i);
        char out[IKD_OUTCOME_MAX];
        (void)ikd_sa_outcome(sa, TRUE, out);
        (void)ikd_sa_outcome(sa, FALSE, out);
        (void)ikd_sa_unanswered(sa);
        ikd_format_endpoint(&sa->init_addr, sa->init_port, buf, sizeof buf);
        ikd_format_addr(&sa->resp_cur_addr, buf, sizeof buf);
        ikd_format_endpoint(&sa->init_cur_addr, sa->init_cur_port, buf, 8); /* short buffer */
    }
    (void)ikd_role_name(size & 3);
    (void)ikd_phase_name(size & 3);
    {
        guint32 first;
        guint64 n = ikd_engine_untracked(eng, &first);
        ikd_report_set_untracked(rep, n, 1 + (guint)(size % 5), first);
    }
    exercise_report(rep, NULL);
    exercise_report(rep, size & 1 ? "isakmp.exchtype == 34 && ip.addr == 192.0.2.1" : "");

    g_ptr_array_free(verdicts, TRUE);
    ikd_report_free(rep);
    ikd_engine_free(eng);
    return 0;
}
