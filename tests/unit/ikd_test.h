/* ikd_test.h — building IKE messages for the engine's unit tests. */
#ifndef IKD_TEST_H
#define IKD_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ikd_engine.h"
#include "ikd_ids.h"

#define SPI_I G_GUINT64_CONSTANT(0x1111111111111111)
#define SPI_R G_GUINT64_CONSTANT(0x2222222222222222)

/* Initiator 192.0.2.1, responder 192.0.2.2, both on UDP 500. */
static inline void set_v4(ikd_addr_t *a, guint8 last)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->bytes[0] = 192;
    a->bytes[1] = 0;
    a->bytes[2] = 2;
    a->bytes[3] = last;
}

/* A message of SA (SPI_I, rspi); from_initiator sets the I flag and the
 * direction; the digest stands for the bytes. */
static inline ikd_msg_t mk(guint32 frame, double t, gboolean from_initiator, gboolean response,
                           guint8 exchange, guint32 mid, guint64 rspi, guint64 digest)
{
    ikd_msg_t m;
    memset(&m, 0, sizeof m);
    m.frame = frame;
    m.time = t;
    m.version = 2;
    m.ispi = SPI_I;
    m.rspi = rspi;
    m.exchange = exchange;
    m.flag_initiator = from_initiator;
    m.flag_response = response;
    m.mid = mid;
    m.digest = digest;
    set_v4(&m.src, from_initiator ? 1 : 2);
    set_v4(&m.dst, from_initiator ? 2 : 1);
    m.sport = m.dport = 500;
    return m;
}

/* Encrypted message whose inner payloads Wireshark decrypted. */
static inline void decrypted(ikd_msg_t *m, const guint8 *payloads, size_t n)
{
    ikd_msg_add_payload(m, IKD_PL_SK);
    for (size_t i = 0; i < n; i++)
        ikd_msg_add_payload(m, payloads[i]);
}

static inline void encrypted(ikd_msg_t *m)
{
    ikd_msg_add_payload(m, IKD_PL_SK);
}

static inline void on_4500(ikd_msg_t *m)
{
    m->sport = m->dport = 4500;
}

/* Feeds one message and checks it was analysed. */
static inline const ikd_verdict_t *feed(ikd_engine_t *e, const ikd_msg_t *m)
{
    const ikd_verdict_t *v = ikd_engine_process(e, m);
    assert_non_null(v);
    return v;
}

static inline const char *outcome(const ikd_verdict_t *v)
{
    static char buf[IKD_OUTCOME_MAX];
    const char *o = ikd_sa_outcome(v->sa, TRUE, buf);
    return o ? o : "(none)";
}

/* A healthy IKE_SA_INIT + IKE_AUTH (decrypted) starting at frame f. */
static inline const ikd_verdict_t *healthy_start(ikd_engine_t *e, guint32 f, double t)
{
    static const guint8 auth_resp[] = { 36 /* IDr */, IKD_PL_AUTH, IKD_PL_SA, 44, 45 };
    ikd_msg_t m;
    m = mk(f, t, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 100 + f);
    feed(e, &m);
    m = mk(f + 1, t + 0.01, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 100 + f + 1);
    feed(e, &m);
    m = mk(f + 2, t + 0.02, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 100 + f + 2);
    encrypted(&m);
    feed(e, &m);
    m = mk(f + 3, t + 0.03, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 100 + f + 3);
    decrypted(&m, auth_resp, sizeof auth_resp);
    return feed(e, &m);
}

#define ENGINE_FIXTURE                                                                          \
    static int setup(void **state)                                                             \
    {                                                                                          \
        *state = ikd_engine_new();                                                             \
        return 0;                                                                              \
    }                                                                                          \
    static int teardown(void **state)                                                          \
    {                                                                                          \
        ikd_engine_free(*state);                                                               \
        return 0;                                                                              \
    }

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

#endif
