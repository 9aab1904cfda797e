/* Error attribution (phase, role) and the final outcome of each IKE SA. */
#include "ikd_test.h"

ENGINE_FIXTURE

static const ikd_verdict_t *init_pair(ikd_engine_t *e)
{
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    return feed(e, &m);
}

static const ikd_verdict_t *auth_response(ikd_engine_t *e, const guint16 *notifies, guint n,
                                          gboolean with_auth)
{
    ikd_msg_t m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    encrypted(&m);
    feed(e, &m);
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 4);
    const guint8 pl[] = { 36, IKD_PL_AUTH, IKD_PL_NOTIFY };
    decrypted(&m, pl, with_auth ? 3 : 0);
    if (!with_auth)
        ikd_msg_add_payload(&m, IKD_PL_NOTIFY);
    for (guint i = 0; i < n; i++)
        ikd_msg_add_notify(&m, notifies[i]);
    return feed(e, &m);
}

static void healthy_negotiation_is_established(void **state)
{
    ikd_engine_t *e = *state;
    const ikd_verdict_t *v = healthy_start(e, 1, 0);
    assert_true(v->findings & IKD_F_ESTABLISHED);
    assert_string_equal(outcome(v), "established");
    assert_int_equal(v->sa->decided_frame, 4);
    assert_null(v->sa->errors);
}

static void ike_proposal_mismatch_is_phase_1(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->n_errors, 1);
    assert_int_equal(v->errors[0].type, IKD_N_NO_PROPOSAL_CHOSEN);
    assert_int_equal(v->errors[0].phase, IKD_PHASE_IKE_SA);
    assert_int_equal(v->errors[0].role, IKD_ROLE_RESPONDER);
    assert_int_equal(v->errors[0].exchange, IKD_IKE_SA_INIT);
    assert_string_equal(outcome(v), "failed:NO_PROPOSAL_CHOSEN");
    char buf[IKD_OUTCOME_MAX];
    assert_string_equal(ikd_sa_outcome(v->sa, FALSE, buf), "failed:NO_PROPOSAL_CHOSEN");
}

static void child_proposal_mismatch_in_ike_auth_is_phase_2(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    const guint16 n[] = { IKD_N_NO_PROPOSAL_CHOSEN };
    const ikd_verdict_t *v = auth_response(e, n, 1, TRUE);
    assert_int_equal(v->errors[0].phase, IKD_PHASE_CHILD_SA);
    /* The IKE SA came up but the tunnel did not. */
    assert_string_equal(outcome(v), "failed:NO_PROPOSAL_CHOSEN");
    assert_int_equal(v->sa->errors->len, 1);
}

static void ts_unacceptable_is_phase_2(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    const guint16 n[] = { IKD_N_TS_UNACCEPTABLE };
    const ikd_verdict_t *v = auth_response(e, n, 1, TRUE);
    assert_int_equal(v->errors[0].phase, IKD_PHASE_CHILD_SA);
    assert_string_equal(outcome(v), "failed:TS_UNACCEPTABLE");
}

static void authentication_failed_is_phase_1(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    const guint16 n[] = { IKD_N_AUTHENTICATION_FAILED };
    const ikd_verdict_t *v = auth_response(e, n, 1, FALSE);
    assert_int_equal(v->errors[0].phase, IKD_PHASE_IKE_SA);
    assert_string_equal(outcome(v), "failed:AUTHENTICATION_FAILED");
}

static void several_notifies_in_one_message(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    const guint16 n[] = { 16384 /* INITIAL_CONTACT */, IKD_N_TS_UNACCEPTABLE,
                          IKD_N_SINGLE_PAIR_REQUIRED, 16396 };
    const ikd_verdict_t *v = auth_response(e, n, 4, TRUE);
    assert_int_equal(v->n_errors, 2);
    assert_int_equal(v->errors[0].type, IKD_N_TS_UNACCEPTABLE);
    assert_int_equal(v->errors[1].type, IKD_N_SINGLE_PAIR_REQUIRED);
    assert_int_equal(v->errors[1].phase, IKD_PHASE_CHILD_SA);
    assert_string_equal(outcome(v), "failed:TS_UNACCEPTABLE");
}

static void initiator_rejecting_responder_auth_in_informational(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 1, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    const guint8 pl[] = { IKD_PL_NOTIFY };
    decrypted(&m, pl, 1);
    ikd_msg_add_notify(&m, IKD_N_AUTHENTICATION_FAILED);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->errors[0].role, IKD_ROLE_INITIATOR);
    assert_int_equal(v->errors[0].phase, IKD_PHASE_IKE_SA);
    assert_string_equal(outcome(v), "failed:AUTHENTICATION_FAILED");
}

static void create_child_sa_errors(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    /* A child SA: phase 2; the IKE SA stays up. */
    ikd_msg_t m = mk(10, 1, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 10);
    encrypted(&m);
    feed(e, &m);
    m = mk(11, 1.1, FALSE, TRUE, IKD_CREATE_CHILD_SA, 2, SPI_R, 11);
    const guint8 pl[] = { IKD_PL_NOTIFY };
    decrypted(&m, pl, 1);
    ikd_msg_add_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
    const ikd_verdict_t *child = feed(e, &m);
    assert_int_equal(child->errors[0].phase, IKD_PHASE_CHILD_SA);
    assert_string_equal(outcome(child), "established");

    /* An IKE SA rekey (8-byte SPI proposed): phase 1. */
    m = mk(12, 2, TRUE, FALSE, IKD_CREATE_CHILD_SA, 3, SPI_R, 12);
    const guint8 sa[] = { IKD_PL_SA };
    decrypted(&m, sa, 1);
    m.has_rekey_spi = TRUE;
    m.rekey_spi = 0xabc;
    feed(e, &m);
    m = mk(13, 2.1, FALSE, TRUE, IKD_CREATE_CHILD_SA, 3, SPI_R, 13);
    decrypted(&m, pl, 1);
    ikd_msg_add_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
    const ikd_verdict_t *rekey = feed(e, &m);
    assert_int_equal(rekey->errors[0].phase, IKD_PHASE_IKE_SA);
    assert_string_equal(outcome(rekey), "established");
    assert_int_equal(rekey->sa->errors->len, 2);
}

static void responder_side_without_ike_auth_is_incomplete(void **state)
{
    ikd_engine_t *e = *state;
    const ikd_verdict_t *v = init_pair(e);
    char buf[IKD_OUTCOME_MAX];
    assert_null(ikd_sa_outcome(v->sa, FALSE, buf)); /* undecided until the end */
    assert_string_equal(outcome(v), "incomplete");
}

static void unanswered_ike_auth_is_no_response(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    ikd_msg_t m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    encrypted(&m);
    const ikd_verdict_t *v = feed(e, &m);
    /* Alone at the end of the capture it is only pending. */
    assert_false(ikd_verdict_unanswered(v));
    assert_string_equal(outcome(v), "incomplete");
    assert_int_equal(ikd_sa_unanswered(v->sa), 0);
    m.frame = 4;
    m.time = 1.2;
    feed(e, &m);
    assert_true(ikd_verdict_unanswered(v));
    assert_string_equal(outcome(v), "no-response");
    assert_int_equal(ikd_sa_unanswered(v->sa), 1);
}

static void later_traffic_makes_a_single_request_unanswered(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    const ikd_verdict_t *v = feed(e, &m);
    m = mk(2, 0.9, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 2);
    m.ispi = 0x77;
    feed(e, &m);
    assert_false(ikd_verdict_unanswered(v));
    m = mk(3, 1.0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    m.ispi = 0x78;
    feed(e, &m);
    assert_true(ikd_verdict_unanswered(v));
}

static void encrypted_ike_auth_answer_is_hidden(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    ikd_msg_t m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    encrypted(&m);
    feed(e, &m);
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 4);
    encrypted(&m);
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->findings & IKD_F_HIDDEN);
    assert_string_equal(outcome(v), "hidden");
    /* Later encrypted traffic proves nothing either way. */
    m = mk(5, 10, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 5);
    encrypted(&m);
    v = feed(e, &m);
    assert_string_equal(outcome(v), "hidden");
}

static void eap_round_is_not_yet_established(void **state)
{
    ikd_engine_t *e = *state;
    init_pair(e);
    ikd_msg_t m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    encrypted(&m);
    feed(e, &m);
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 4);
    const guint8 pl[] = { 36, IKD_PL_AUTH, IKD_PL_EAP };
    decrypted(&m, pl, 3);
    const ikd_verdict_t *v = feed(e, &m);
    assert_false(v->findings & IKD_F_ESTABLISHED);
    assert_string_equal(outcome(v), "incomplete");
}

static void delete_of_established_sa(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 5, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    const guint8 pl[] = { IKD_PL_DELETE };
    decrypted(&m, pl, 1);
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->findings & IKD_F_DELETE);
    assert_string_equal(outcome(v), "deleted");
}

static void deleting_child_sas_only_keeps_ike_sa(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 5, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    const guint8 pl[] = { IKD_PL_DELETE };
    decrypted(&m, pl, 1);
    m.n_delete_spis = 1;
    const ikd_verdict_t *v = feed(e, &m);
    assert_false(v->findings & IKD_F_DELETE);
    assert_string_equal(outcome(v), "established");
}

static void rekeyed_then_deleted_sa(void **state)
{
    ikd_engine_t *e = *state;
    const guint64 new_i = 0xA1, new_r = 0xB2;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 5, TRUE, FALSE, IKD_CREATE_CHILD_SA, 2, SPI_R, 10);
    const guint8 sa[] = { IKD_PL_SA, 40, 34 };
    decrypted(&m, sa, 3);
    m.has_rekey_spi = TRUE;
    m.rekey_spi = new_i;
    feed(e, &m);
    m = mk(11, 5.1, FALSE, TRUE, IKD_CREATE_CHILD_SA, 2, SPI_R, 11);
    decrypted(&m, sa, 3);
    m.has_rekey_spi = TRUE;
    m.rekey_spi = new_r;
    const ikd_verdict_t *rk = feed(e, &m);
    assert_true(rk->findings & IKD_F_REKEYED);
    assert_int_equal(rk->sa->rekeyed_to, 2);

    m = mk(12, 5.2, TRUE, FALSE, IKD_INFORMATIONAL, 3, SPI_R, 12);
    const guint8 del[] = { IKD_PL_DELETE };
    decrypted(&m, del, 1);
    const ikd_verdict_t *old = feed(e, &m);
    assert_string_equal(outcome(old), "deleted");

    /* The successor continues with the new SPIs and Message IDs from 0. */
    m = mk(13, 6, TRUE, FALSE, IKD_INFORMATIONAL, 0, new_r, 13);
    m.ispi = new_i;
    encrypted(&m);
    const ikd_verdict_t *next = feed(e, &m);
    assert_int_equal(next->sa->id, 2);
    assert_int_equal(next->sa->rekeyed_from, 1);
    assert_false(next->sa->midstream);
    assert_string_equal(outcome(next), "established");
}

static void invalid_ke_then_success_is_established(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_INVALID_KE_PAYLOAD);
    const ikd_verdict_t *err = feed(e, &m);
    char buf[IKD_OUTCOME_MAX];
    assert_null(ikd_sa_outcome(err->sa, FALSE, buf)); /* a retry usually follows */
    assert_string_equal(ikd_sa_outcome(err->sa, TRUE, buf), "failed:INVALID_KE_PAYLOAD");
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    const ikd_verdict_t *retry = feed(e, &m);
    assert_null(ikd_sa_outcome(retry->sa, FALSE, buf));
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 4);
    feed(e, &m);
    m = mk(5, 0.4, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 5);
    encrypted(&m);
    feed(e, &m);
    m = mk(6, 0.5, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 6);
    const guint8 pl[] = { IKD_PL_AUTH };
    decrypted(&m, pl, 1);
    const ikd_verdict_t *v = feed(e, &m);
    assert_string_equal(outcome(v), "established");
}

static void retransmitted_error_is_listed_once(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
    feed(e, &m);
    m.frame = 3;
    const ikd_verdict_t *v = feed(e, &m);
    assert_true(v->findings & IKD_F_RETRANSMISSION);
    assert_int_equal(v->n_errors, 1); /* still shown on the copy */
    assert_int_equal(v->sa->errors->len, 1);
}

static void phase_rules(void **state)
{
    (void)state;
    assert_int_equal(ikd_error_phase(2, IKD_IKE_SA_INIT, IKD_N_NO_PROPOSAL_CHOSEN, FALSE), IKD_PHASE_IKE_SA);
    assert_int_equal(ikd_error_phase(2, IKD_IKE_AUTH, IKD_N_INTERNAL_ADDRESS_FAILURE, FALSE), IKD_PHASE_CHILD_SA);
    assert_int_equal(ikd_error_phase(2, IKD_IKE_AUTH, IKD_N_FAILED_CP_REQUIRED, FALSE), IKD_PHASE_CHILD_SA);
    assert_int_equal(ikd_error_phase(2, IKD_IKE_AUTH, IKD_N_AUTHENTICATION_FAILED, FALSE), IKD_PHASE_IKE_SA);
    assert_int_equal(ikd_error_phase(2, IKD_CREATE_CHILD_SA, IKD_N_TS_UNACCEPTABLE, FALSE), IKD_PHASE_CHILD_SA);
    assert_int_equal(ikd_error_phase(2, IKD_CREATE_CHILD_SA, IKD_N_NO_PROPOSAL_CHOSEN, TRUE), IKD_PHASE_IKE_SA);
    assert_int_equal(ikd_error_phase(2, IKD_INFORMATIONAL, IKD_N_INVALID_SPI, FALSE), IKD_PHASE_CHILD_SA);
    assert_int_equal(ikd_error_phase(1, IKD_V1_QUICK_MODE, 14, FALSE), IKD_PHASE_CHILD_SA);
    assert_int_equal(ikd_error_phase(1, IKD_V1_MAIN_MODE, 14, FALSE), IKD_PHASE_IKE_SA);
}

static void ikev1_outcomes(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_V1_MAIN_MODE, 0, 0, 1);
    m.version = 1;
    const ikd_verdict_t *v = feed(e, &m);
    assert_string_equal(outcome(v), "incomplete"); /* pending at capture end */
    m.frame = 2;
    m.time = 1;
    v = feed(e, &m);
    assert_string_equal(outcome(v), "no-response");
    m = mk(3, 1.1, FALSE, FALSE, IKD_V1_INFORMATIONAL, 0, 0, 3);
    m.version = 1;
    ikd_msg_add_notify(&m, 14);
    v = feed(e, &m);
    assert_int_equal(v->role, IKD_ROLE_RESPONDER);
    assert_string_equal(outcome(v), "failed:NO_PROPOSAL_CHOSEN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(healthy_negotiation_is_established),
        T(ike_proposal_mismatch_is_phase_1),
        T(child_proposal_mismatch_in_ike_auth_is_phase_2),
        T(ts_unacceptable_is_phase_2),
        T(authentication_failed_is_phase_1),
        T(several_notifies_in_one_message),
        T(initiator_rejecting_responder_auth_in_informational),
        T(create_child_sa_errors),
        T(responder_side_without_ike_auth_is_incomplete),
        T(unanswered_ike_auth_is_no_response),
        T(later_traffic_makes_a_single_request_unanswered),
        T(encrypted_ike_auth_answer_is_hidden),
        T(eap_round_is_not_yet_established),
        T(delete_of_established_sa),
        T(deleting_child_sas_only_keeps_ike_sa),
        T(rekeyed_then_deleted_sa),
        T(invalid_ke_then_success_is_established),
        T(retransmitted_error_is_listed_once),
        T(phase_rules),
        T(ikev1_outcomes),
    };
    return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
