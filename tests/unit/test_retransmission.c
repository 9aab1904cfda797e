/* Retransmissions, retries, fragments, unanswered requests, lost responses. */
#include "ikd_test.h"
#include "ikd_text.h"

ENGINE_FIXTURE

static void identical_copies_are_numbered_retransmissions(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 77);
    const ikd_verdict_t *v1 = feed(e, &m);
    m.frame = 2; m.time = 1;
    const ikd_verdict_t *v2 = feed(e, &m);
    m.frame = 3; m.time = 3;
    const ikd_verdict_t *v3 = feed(e, &m);

    assert_false(v1->findings & IKD_F_RETRANSMISSION);
    assert_true(v2->findings & IKD_F_RETRANSMISSION);
    assert_int_equal(v2->retrans_count, 1);
    assert_int_equal(v2->retrans_original, 1);
    assert_int_equal(v3->retrans_count, 2);
    assert_int_equal(v3->retrans_original, 1);
    assert_int_equal(v3->sa->n_retransmissions, 2);
    assert_int_equal(v3->sa->max_retransmissions, 2);
    assert_int_equal(v3->sa->n_requests, 1);
}

static void unanswered_request_counts_transmissions(void **state)
{
    ikd_engine_t *e = *state;
    const ikd_verdict_t *v[4];
    for (guint i = 0; i < 4; i++) {
        ikd_msg_t m = mk(1 + i, 10.0 + 2.0 * i, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 77);
        v[i] = feed(e, &m);
    }
    guint count;
    double span;
    for (guint i = 0; i < 4; i++)
        assert_true(ikd_verdict_unanswered(v[i]));
    ikd_verdict_transmissions(v[0], &count, &span);
    assert_int_equal(count, 4);
    assert_true(span > 5.99 && span < 6.01);
    assert_int_equal(ikd_sa_unanswered(v[0]->sa), 1);
    assert_string_equal(outcome(v[0]), "no-response");
}

static void cached_response_retransmitted_after_request_copy(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t req = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 5);
    ikd_msg_t resp = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 6);
    feed(e, &req);
    feed(e, &resp);
    req.frame = 3; req.time = 1;
    const ikd_verdict_t *again = feed(e, &req);
    resp.frame = 4; resp.time = 1.1;
    const ikd_verdict_t *cached = feed(e, &resp);

    assert_true(again->findings & IKD_F_RETRANSMISSION);
    assert_true(again->findings & IKD_F_RESPONSE_LOST);
    assert_int_equal(again->lost_response_frame, 2);
    assert_true(cached->findings & IKD_F_RETRANSMISSION);
    assert_int_equal(cached->retrans_count, 1);
    assert_int_equal(cached->retrans_original, 2);
    assert_true(cached->is_response);
    /* The pair stays the first request and the first response. */
    assert_int_equal(ikd_verdict_response_to(cached), 1);
    assert_int_equal(ikd_verdict_response_in(again), 2);
    double rtt;
    assert_false(ikd_verdict_rtt(cached, &rtt));
    assert_string_equal(outcome(again), "incomplete");
}

/* INVALID_KE_PAYLOAD: same SA and MID, new bytes = a retry, not a copy. */
static void new_content_is_a_retry_with_its_reason(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    const ikd_verdict_t *first = feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_INVALID_KE_PAYLOAD);
    const ikd_verdict_t *err = feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    const ikd_verdict_t *retry = feed(e, &m);
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 4);
    const ikd_verdict_t *ok = feed(e, &m);

    assert_true(err->findings & IKD_F_ERROR);
    assert_int_equal(err->errors[0].phase, IKD_PHASE_IKE_SA);
    assert_true(retry->findings & IKD_F_RETRY);
    assert_false(retry->findings & IKD_F_RETRANSMISSION);
    assert_int_equal(retry->retry_previous, 1);
    assert_int_equal(retry->retry_reason, IKD_N_INVALID_KE_PAYLOAD);
    assert_int_equal(ikd_verdict_response_in(first), 2);
    assert_int_equal(ikd_verdict_response_in(retry), 4);
    assert_int_equal(ikd_verdict_response_to(ok), 3);
    assert_ptr_equal(first->sa, ok->sa);
    assert_int_equal(ikd_engine_sa_count(e), 1);
    assert_int_equal(ok->sa->n_requests, 2);
    assert_int_equal(ikd_sa_unanswered(ok->sa), 0);
}

static void cookie_retry_names_the_cookie(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_COOKIE);
    const ikd_verdict_t *challenge = feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    const ikd_verdict_t *retry = feed(e, &m);
    assert_false(challenge->findings & IKD_F_ERROR);
    assert_int_equal(retry->retry_reason, IKD_N_COOKIE);
    assert_true(retry->findings & IKD_F_RETRY);
}

/* RFC 7383: fragments of one message are one transmission. */
static void fragments_are_one_transmission_and_repeat_together(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    const ikd_verdict_t *v[6];
    for (guint i = 0; i < 3; i++) {
        ikd_msg_t m = mk(10 + i, 10, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 500 + i);
        ikd_msg_add_payload(&m, IKD_PL_SKF);
        m.frag_num = (guint16)(i + 1);
        m.frag_total = 3;
        v[i] = feed(e, &m);
    }
    for (guint i = 0; i < 3; i++) {
        ikd_msg_t m = mk(20 + i, 12, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 500 + i);
        ikd_msg_add_payload(&m, IKD_PL_SKF);
        m.frag_num = (guint16)(i + 1);
        m.frag_total = 3;
        v[3 + i] = feed(e, &m);
    }
    for (guint i = 0; i < 3; i++) {
        assert_false(v[i]->findings & (IKD_F_RETRANSMISSION | IKD_F_RETRY));
        assert_true(v[i]->findings & IKD_F_FRAGMENT);
        assert_true(v[3 + i]->findings & IKD_F_RETRANSMISSION);
        assert_int_equal(v[3 + i]->retrans_count, 1);
        assert_int_equal(v[3 + i]->retrans_original, 10 + i);
    }
    guint count;
    double span;
    ikd_verdict_transmissions(v[0], &count, &span);
    assert_int_equal(count, 2);
    assert_int_equal(v[0]->sa->n_requests, 3); /* SA_INIT, AUTH, this one */
}

/* A fragment number seen again with other bytes: the message was rebuilt. */
static void refragmented_message_is_a_retry(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 10, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 900);
    m.frag_num = 1;
    m.frag_total = 2;
    feed(e, &m);
    m.frame = 11;
    m.digest = 901;
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->findings & IKD_F_RETRY);
    assert_int_equal(v->retry_previous, 10);
}

static void copies_beyond_the_cap_are_flagged_not_tracked(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    const ikd_verdict_t *v = NULL;
    for (guint i = 0; i < 70; i++) {
        ikd_msg_t m = mk(10 + i, 10, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 7000 + i);
        m.frag_num = (guint16)(i + 1);
        m.frag_total = 70;
        v = feed(e, &m);
    }
    assert_true(v->findings & IKD_F_TOO_MANY);
}

static void one_request_repeated_many_times_stays_cheap(void **state)
{
    ikd_engine_t *e = *state;
    const ikd_verdict_t *v = NULL;
    for (guint i = 0; i < 100000; i++) {
        ikd_msg_t m = mk(1 + i, i, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 42);
        v = feed(e, &m);
    }
    assert_int_equal(v->retrans_count, 99999);
    assert_int_equal(v->sa->max_retransmissions, 99999);
    assert_int_equal(v->sa->n_requests, 1);
}

static void giving_up_and_starting_over_links_the_sas(void **state)
{
    ikd_engine_t *e = *state;
    for (guint i = 0; i < 3; i++) {
        ikd_msg_t m = mk(1 + i, 2.0 * i, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 77);
        feed(e, &m);
    }
    ikd_msg_t m = mk(4, 20, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 78);
    m.ispi = 0x99;
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->findings & IKD_F_RESTART);
    assert_int_equal(v->sa->restart_of, 1);
    assert_int_equal(ikd_engine_sa(e, 0)->restarted_as, 2);
    char buf[IKD_TEXT_MAX];
    assert_string_equal(ikd_text_restart(v, e, buf),
                        "Initiator gave up on IKE SA #1 (last request sent 3 times over 4.0 s) "
                        "and starts over as IKE SA #2");
    assert_string_equal(outcome(ikd_engine_process(e, &m)), "no-response");
}

static void a_new_sa_after_an_established_one_is_no_restart(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 20, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 78);
    m.ispi = 0x99;
    const ikd_verdict_t *v = feed(e, &m);
    assert_false(v->findings & IKD_F_RESTART);
    assert_int_equal(v->sa->restart_of, 0);
}

static void digest_tells_copies_from_changes(void **state)
{
    (void)state;
    guint8 a[61], b[61];
    for (guint i = 0; i < sizeof a; i++)
        a[i] = b[i] = (guint8)(i * 7);
    assert_true(ikd_digest(a, sizeof a) == ikd_digest(b, sizeof b));
    for (guint i = 0; i < sizeof a; i++) { /* any byte, word-aligned or in the tail */
        b[i] ^= 1;
        assert_true(ikd_digest(a, sizeof a) != ikd_digest(b, sizeof b));
        b[i] ^= 1;
    }
    assert_true(ikd_digest(a, 60) != ikd_digest(a, 61));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(identical_copies_are_numbered_retransmissions),
        T(unanswered_request_counts_transmissions),
        T(cached_response_retransmitted_after_request_copy),
        T(new_content_is_a_retry_with_its_reason),
        T(cookie_retry_names_the_cookie),
        T(fragments_are_one_transmission_and_repeat_together),
        T(refragmented_message_is_a_retry),
        T(copies_beyond_the_cap_are_flagged_not_tracked),
        T(one_request_repeated_many_times_stays_cheap),
        T(digest_tells_copies_from_changes),
        T(giving_up_and_starting_over_links_the_sas),
        T(a_new_sa_after_an_established_one_is_no_restart),
    };
    return cmocka_run_group_tests_name("retransmission", tests, NULL, NULL);
}
