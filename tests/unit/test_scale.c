/* Scale: 10^5 Message IDs on one SA and 10^5 SAs must stay linear. A list
 * scan anywhere makes these take 10^10 steps, far beyond the bound. */
#include <time.h>
#include "ikd_test.h"

ENGINE_FIXTURE

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define N 100000
#define BOUND_SECONDS 5.0 /* generous: sanitizers, a busy CI machine */

static void many_message_ids_on_one_sa(void **state)
{
    ikd_engine_t *e = *state;
    double t0 = now();
    healthy_start(e, 1, 0);
    for (guint32 i = 0; i < N; i++) {
        ikd_msg_t m = mk(10 + 2 * i, i, TRUE, FALSE, IKD_INFORMATIONAL, 2 + i, SPI_R, 1000 + 2 * i);
        feed(e, &m);
        m = mk(11 + 2 * i, i + 0.1, FALSE, TRUE, IKD_INFORMATIONAL, 2 + i, SPI_R, 1001 + 2 * i);
        const ikd_verdict_t *v = feed(e, &m);
        assert_int_equal(ikd_verdict_response_to(v), 10 + 2 * i);
    }
    assert_int_equal(ikd_engine_sa_count(e), 1);
    assert_int_equal(ikd_sa_unanswered(ikd_engine_sa(e, 0)), 0);
    assert_true(now() - t0 < BOUND_SECONDS);
}

static void many_sas(void **state)
{
    ikd_engine_t *e = *state;
    double t0 = now();
    for (guint32 i = 0; i < N; i++) {
        ikd_msg_t m = mk(1 + 2 * i, i, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, i);
        m.ispi = 0x100000000ull + i;
        feed(e, &m);
        m = mk(2 + 2 * i, i + 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0x200000000ull + i, i + 7);
        m.ispi = 0x100000000ull + i;
        const ikd_verdict_t *v = feed(e, &m);
        assert_int_equal(v->sa->id, i + 1);
    }
    assert_int_equal(ikd_engine_sa_count(e), N);
    assert_true(now() - t0 < BOUND_SECONDS);
}

static void message_ids_near_the_top(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 1, TRUE, FALSE, IKD_INFORMATIONAL, G_MAXUINT32, SPI_R, 10);
    feed(e, &m);
    m = mk(11, 2, FALSE, TRUE, IKD_INFORMATIONAL, G_MAXUINT32, SPI_R, 11);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(ikd_verdict_response_to(v), 10);
    m = mk(12, 3, TRUE, FALSE, IKD_INFORMATIONAL, G_MAXUINT32 - 1, SPI_R, 12);
    v = feed(e, &m);
    assert_false(v->findings & (IKD_F_RETRY | IKD_F_RETRANSMISSION));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(many_message_ids_on_one_sa),
        T(many_sas),
        T(message_ids_near_the_top),
    };
    return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
}
