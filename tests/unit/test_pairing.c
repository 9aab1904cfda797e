/* Request/response pairing, response times, both directions, every exchange. */
#include "ikd_test.h"

ENGINE_FIXTURE

static void pairs_request_and_response(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 10.0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    const ikd_verdict_t *req = feed(e, &m);
    m = mk(2, 10.25, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    const ikd_verdict_t *resp = feed(e, &m);

    assert_true(req->is_request);
    assert_true(resp->is_response);
    assert_int_equal(ikd_verdict_response_in(req), 2);
    assert_int_equal(ikd_verdict_response_to(resp), 1);
    assert_int_equal(ikd_verdict_response_in(resp), 0);
    assert_int_equal(ikd_verdict_response_to(req), 0);
    double rtt = 0;
    assert_true(ikd_verdict_rtt(resp, &rtt));
    assert_true(rtt > 0.2499 && rtt < 0.2501);
    assert_false(ikd_verdict_rtt(req, &rtt));
    assert_int_equal(req->role, IKD_ROLE_INITIATOR);
    assert_int_equal(resp->role, IKD_ROLE_RESPONDER);
    assert_ptr_equal(req->sa, resp->sa);
    assert_false(ikd_verdict_unanswered(req));
}

static void pairs_every_exchange_type(void **state)
{
    ikd_engine_t *e = *state;
    const guint8 types[] = { IKD_IKE_AUTH, IKD_CREATE_CHILD_SA, IKD_INFORMATIONAL,
                             IKD_IKE_SESSION_RESUME, IKD_IKE_INTERMEDIATE, IKD_IKE_FOLLOWUP_KE, 99 };
    healthy_start(e, 1, 0);
    for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
        guint32 f = 10 + 2 * i;
        ikd_msg_t m = mk(f, f, TRUE, FALSE, types[i], 2 + i, SPI_R, 1000 + f);
        const ikd_verdict_t *req = feed(e, &m);
        m = mk(f + 1, f + 0.5, FALSE, TRUE, types[i], 2 + i, SPI_R, 1000 + f + 1);
        const ikd_verdict_t *resp = feed(e, &m);
        assert_int_equal(ikd_verdict_response_in(req), f + 1);
        assert_int_equal(ikd_verdict_response_to(resp), f);
        assert_int_equal(resp->sa->id, 1);
    }
}

/* Each peer numbers its own requests: MID 2 from the responder is another
 * exchange than MID 2 from the initiator. */
static void responder_requests_have_their_own_numbers(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 10, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    const ikd_verdict_t *ireq = feed(e, &m);
    m = mk(11, 11, FALSE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 11);
    const ikd_verdict_t *rreq = feed(e, &m);
    m = mk(12, 12, TRUE, TRUE, IKD_INFORMATIONAL, 2, SPI_R, 12); /* answers the responder */
    const ikd_verdict_t *rresp = feed(e, &m);

    assert_int_equal(rreq->role, IKD_ROLE_RESPONDER);
    assert_int_equal(rresp->role, IKD_ROLE_INITIATOR);
    assert_int_equal(ikd_verdict_response_in(rreq), 12);
    assert_int_equal(ikd_verdict_response_to(rresp), 11);
    assert_int_equal(ikd_verdict_response_in(ireq), 0);
    assert_false(rresp->findings & IKD_F_RETRANSMISSION);
}

/* Window > 1: responses may come in any order. */
static void out_of_order_message_ids(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 10, TRUE, FALSE, IKD_CREATE_CHILD_SA, 3, SPI_R, 10);
    const ikd_verdict_t *r3 = feed(e, &m);
    m = mk(11, 10.1, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 11);
    const ikd_verdict_t *r2 = feed(e, &m);
    m = mk(12, 10.2, FALSE, TRUE, IKD_CREATE_CHILD_SA, 2, SPI_R, 12);
    feed(e, &m);
    m = mk(13, 10.3, FALSE, TRUE, IKD_CREATE_CHILD_SA, 3, SPI_R, 13);
    feed(e, &m);
    assert_int_equal(ikd_verdict_response_in(r2), 12);
    assert_int_equal(ikd_verdict_response_in(r3), 13);
    assert_int_equal(ikd_sa_unanswered(r2->sa), 0);
    assert_false(r2->findings & (IKD_F_RETRY | IKD_F_RETRANSMISSION));
}

static void response_without_request_is_an_orphan(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, FALSE, TRUE, IKD_INFORMATIONAL, 7, SPI_R, 1);
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->findings & IKD_F_ORPHAN_RESPONSE);
    assert_true(v->findings & IKD_F_MIDSTREAM);
    assert_int_equal(ikd_verdict_response_to(v), 0);
}

/* Both peers initiate at once: two IKE SAs, each peer the initiator of one. */
static void simultaneous_initiation_makes_two_sas(void **state)
{
    ikd_engine_t *e = *state;
    const guint64 spi_b = G_GUINT64_CONSTANT(0x3333333333333333);
    const guint64 spi_b_r = G_GUINT64_CONSTANT(0x4444444444444444);
    ikd_msg_t a = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    ikd_msg_t b = mk(2, 0.001, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 2);
    b.ispi = spi_b;
    set_v4(&b.src, 2);
    set_v4(&b.dst, 1);
    const ikd_verdict_t *va = feed(e, &a);
    const ikd_verdict_t *vb = feed(e, &b);
    ikd_msg_t ra = mk(3, 0.01, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 3);
    ikd_msg_t rb = mk(4, 0.011, FALSE, TRUE, IKD_IKE_SA_INIT, 0, spi_b_r, 4);
    rb.ispi = spi_b;
    set_v4(&rb.src, 1);
    set_v4(&rb.dst, 2);
    feed(e, &ra);
    feed(e, &rb);

    assert_int_equal(ikd_engine_sa_count(e), 2);
    assert_int_equal(va->sa->id, 1);
    assert_int_equal(vb->sa->id, 2);
    assert_int_equal(ikd_verdict_response_in(va), 3);
    assert_int_equal(ikd_verdict_response_in(vb), 4);
    assert_int_equal(vb->sa->init_addr.bytes[3], 2); /* peer .2 initiated SA #2 */
    assert_int_equal(va->sa->init_addr.bytes[3], 1);
}

static void unknown_version_or_zero_spi_is_ignored(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    m.version = 3;
    assert_null(ikd_engine_process(e, &m));
    m.version = 2;
    m.ispi = 0;
    assert_null(ikd_engine_process(e, &m));
    assert_int_equal(ikd_engine_sa_count(e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(pairs_request_and_response),
        T(pairs_every_exchange_type),
        T(responder_requests_have_their_own_numbers),
        T(out_of_order_message_ids),
        T(response_without_request_is_an_orphan),
        T(simultaneous_initiation_makes_two_sas),
        T(unknown_version_or_zero_spi_is_ignored),
    };
    return cmocka_run_group_tests_name("pairing", tests, NULL, NULL);
}
