/* IKE SA identity: SPIs, the NAT-T float, address changes, mid-stream starts. */
#include "ikd_test.h"

ENGINE_FIXTURE

static void init_request_joins_the_sa_its_response_names(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    const ikd_verdict_t *req = feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    const ikd_verdict_t *resp = feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    const ikd_verdict_t *auth = feed(e, &m);
    assert_ptr_equal(req->sa, resp->sa);
    assert_ptr_equal(req->sa, auth->sa);
    assert_true(req->sa->ispi == SPI_I);
    assert_true(req->sa->rspi == SPI_R);
    assert_false(req->sa->midstream);
    assert_int_equal(req->sa->first_frame, 1);
    assert_int_equal(req->sa->last_frame, 3);
    assert_int_equal(req->sa->n_messages, 3);
}

static void float_keeps_identity_and_is_flagged_once(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    on_4500(&m);
    const ikd_verdict_t *fl = feed(e, &m);
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 4);
    on_4500(&m);
    const ikd_verdict_t *after = feed(e, &m);

    assert_true(fl->findings & IKD_F_NAT_FLOAT);
    assert_false(after->findings & IKD_F_NAT_FLOAT);
    assert_false(after->findings & IKD_F_ADDR_CHANGE); /* 500 -> 4500 is the float */
    assert_ptr_equal(fl->sa, after->sa);
    assert_int_equal(fl->sa->float_frame, 3);
    assert_int_equal(fl->sa->init_port, 500);
    assert_int_equal(fl->sa->init_cur_port, 4500);
}

/* Behind a NAT the initiator's source port changes on the float as well. */
static void float_through_nat_with_new_source_port(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    m.sport = 1024;
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    m.dport = 1024;
    feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    m.sport = 1025;
    m.dport = 4500;
    const ikd_verdict_t *fl = feed(e, &m);
    assert_true(fl->findings & IKD_F_NAT_FLOAT);
    assert_false(fl->findings & IKD_F_ADDR_CHANGE);
}

static void sa_started_on_4500_never_floats(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    on_4500(&m);
    const ikd_verdict_t *v = feed(e, &m);
    assert_false(v->findings & IKD_F_NAT_FLOAT);
    assert_int_equal(v->sa->float_frame, 0);
}

static void rebinding_keeps_identity_and_is_noted(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 10, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    set_v4(&m.src, 99);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->sa->id, 1);
    assert_true(v->findings & IKD_F_ADDR_CHANGE);
    assert_int_equal(v->sa->init_cur_addr.bytes[3], 99);
    assert_int_equal(v->sa->init_addr.bytes[3], 1);
}

static void unknown_spis_open_a_midstream_sa(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, FALSE, FALSE, IKD_INFORMATIONAL, 5, SPI_R, 1);
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->sa->midstream);
    assert_true(v->findings & IKD_F_MIDSTREAM);
    assert_int_equal(v->role, IKD_ROLE_RESPONDER);
    /* The sender is the responder, so the initiator is the receiver. */
    assert_int_equal(v->sa->init_addr.bytes[3], 1);
    assert_int_equal(v->sa->resp_addr.bytes[3], 2);
    m = mk(2, 0.1, TRUE, TRUE, IKD_INFORMATIONAL, 5, SPI_R, 2);
    const ikd_verdict_t *r = feed(e, &m);
    assert_false(r->findings & IKD_F_MIDSTREAM);
    assert_int_equal(ikd_verdict_response_to(r), 1);
    assert_string_equal(outcome(r), "established");
}

/* After a retry the responder may pick a new SPI: still one SA. */
static void new_responder_spi_after_retry_stays_one_sa(void **state)
{
    ikd_engine_t *e = *state;
    const guint64 spi_r2 = G_GUINT64_CONSTANT(0x5555555555555555);
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    ikd_msg_add_notify(&m, IKD_N_INVALID_KE_PAYLOAD);
    feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    feed(e, &m);
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_SA_INIT, 0, spi_r2, 4);
    const ikd_verdict_t *ok = feed(e, &m);
    m = mk(5, 0.4, TRUE, FALSE, IKD_IKE_AUTH, 1, spi_r2, 5);
    const ikd_verdict_t *auth = feed(e, &m);
    assert_int_equal(ikd_engine_sa_count(e), 1);
    assert_ptr_equal(ok->sa, auth->sa);
    assert_true(ok->sa->rspi == spi_r2);
}

static void same_spi_pair_different_initiator_spi_are_different_sas(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 10, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    m.ispi = 0x99;
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->sa->id, 2);
}

/* IKEv1 has no role flag: the zero-rspi sender is the initiator. */
static void ikev1_roles_follow_addresses(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_V1_MAIN_MODE, 0, 0, 1);
    m.version = 1;
    m.flag_initiator = FALSE;
    const ikd_verdict_t *a = feed(e, &m);
    m = mk(2, 0.1, FALSE, FALSE, IKD_V1_MAIN_MODE, 0, SPI_R, 2);
    m.version = 1;
    const ikd_verdict_t *b = feed(e, &m);
    m = mk(3, 1.1, FALSE, FALSE, IKD_V1_MAIN_MODE, 0, SPI_R, 2);
    m.version = 1;
    const ikd_verdict_t *c = feed(e, &m);
    assert_int_equal(a->role, IKD_ROLE_INITIATOR);
    assert_int_equal(b->role, IKD_ROLE_RESPONDER);
    assert_ptr_equal(a->sa, b->sa);
    assert_false(a->is_request || a->is_response);
    assert_true(c->findings & IKD_F_RETRANSMISSION);
    assert_int_equal(c->retrans_original, 2);
    assert_string_equal(outcome(c), "incomplete");
}

/* Beyond the IKE SA limit new SAs get no verdict and are counted; the SAs
 * already tracked go on as before. */
static void sa_limit_refuses_new_sas_and_counts_their_messages(void **state)
{
    ikd_engine_t *e = *state;
    guint32 first = 99;
    ikd_engine_set_max_sas(e, 2);
    assert_int_equal(ikd_engine_untracked(e, &first), 0);
    assert_int_equal(first, 0);
    for (guint i = 0; i < 2; i++) {
        ikd_msg_t m = mk(1 + i, i, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1 + i);
        m.ispi = 0x100 + i;
        assert_non_null(feed(e, &m));
    }
    ikd_msg_t third = mk(3, 2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    third.ispi = 0x200;
    assert_null(ikd_engine_process(e, &third));
    third.frame = 4; /* its retransmission: refused and counted again */
    assert_null(ikd_engine_process(e, &third));
    assert_int_equal(ikd_engine_sa_count(e), 2);
    assert_int_equal(ikd_engine_untracked(e, &first), 2);
    assert_int_equal(first, 3);
    /* the first SA's response still pairs */
    ikd_msg_t resp = mk(5, 3, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 5);
    resp.ispi = 0x100;
    const ikd_verdict_t *v = feed(e, &resp);
    assert_non_null(v);
    assert_int_equal(v->sa->id, 1);
    assert_int_equal(ikd_verdict_response_to(v), 1);
    /* no limit: 0 */
    ikd_engine_set_max_sas(e, 0);
    assert_non_null(feed(e, &third));
    assert_int_equal(ikd_engine_sa_count(e), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_request_joins_the_sa_its_response_names),
        T(float_keeps_identity_and_is_flagged_once),
        T(float_through_nat_with_new_source_port),
        T(sa_started_on_4500_never_floats),
        T(rebinding_keeps_identity_and_is_noted),
        T(unknown_spis_open_a_midstream_sa),
        T(new_responder_spi_after_retry_stays_one_sa),
        T(same_spi_pair_different_initiator_spi_are_different_sas),
        T(ikev1_roles_follow_addresses),
        T(sa_limit_refuses_new_sas_and_counts_their_messages),
    };
    return cmocka_run_group_tests_name("sa_identity", tests, NULL, NULL);
}
