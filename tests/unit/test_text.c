/* The expert info sentences, word for word. */
#include <stdio.h>
#include "ikd_test.h"
#include "ikd_text.h"

ENGINE_FIXTURE

static void retransmission_sentence(void **state)
{
    ikd_engine_t *e = *state;
    char buf[IKD_TEXT_MAX];
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(3, 1, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 100 + 3);
    feed(e, &m);
    m.frame = 9;
    const ikd_verdict_t *v = feed(e, &m);
    assert_string_equal(ikd_text_retransmission(v, buf),
                        "Retransmission #2 of IKE_AUTH request (MID 1), original in frame 3");
}

static void unanswered_sentence(void **state)
{
    ikd_engine_t *e = *state;
    char buf[IKD_TEXT_MAX];
    const ikd_verdict_t *v = NULL;
    for (guint i = 0; i < 6; i++) {
        ikd_msg_t m = mk(1 + i, 100 + 2.48 * i, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
        v = feed(e, &m);
    }
    assert_string_equal(ikd_text_unanswered(v, buf),
                        "No response to IKE_SA_INIT request (MID 0): 6 transmissions over 12.4 s");
}

static void error_sentences(void **state)
{
    ikd_engine_t *e = *state;
    char buf[IKD_TEXT_MAX];
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
    const ikd_verdict_t *v = feed(e, &m);
    assert_string_equal(ikd_text_error(v, &v->errors[0], &m.src, buf),
                        "Responder 192.0.2.2 rejected the IKE SA proposal (NO_PROPOSAL_CHOSEN in "
                        "IKE_SA_INIT): phase 1 configuration mismatch");

    ikd_error_t child = { IKD_N_NO_PROPOSAL_CHOSEN, IKD_PHASE_CHILD_SA, IKD_ROLE_RESPONDER,
                          IKD_IKE_AUTH, 4 };
    assert_string_equal(ikd_text_error(v, &child, &m.src, buf),
                        "Responder 192.0.2.2 rejected the child SA proposal (NO_PROPOSAL_CHOSEN in "
                        "IKE_AUTH): phase 2 configuration mismatch");
    ikd_error_t other = { IKD_N_TEMPORARY_FAILURE, IKD_PHASE_CHILD_SA, IKD_ROLE_INITIATOR,
                          IKD_CREATE_CHILD_SA, 4 };
    assert_string_equal(ikd_text_error(v, &other, &m.dst, buf),
                        "Initiator 192.0.2.1 reported TEMPORARY_FAILURE in CREATE_CHILD_SA: child "
                        "SA (phase 2) problem");
    assert_true(ikd_error_is_recoverable(IKD_N_INVALID_KE_PAYLOAD));
    assert_false(ikd_error_is_recoverable(IKD_N_AUTHENTICATION_FAILED));
}

static void float_retry_and_lost_response_sentences(void **state)
{
    ikd_engine_t *e = *state;
    char buf[IKD_TEXT_MAX];
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_INVALID_KE_PAYLOAD);
    feed(e, &m);
    m = mk(3, 0.2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    const ikd_verdict_t *retry = feed(e, &m);
    assert_string_equal(ikd_text_retry(retry, buf),
                        "IKE_SA_INIT request (MID 0) sent again with new content after "
                        "INVALID_KE_PAYLOAD, previous in frame 1");
    m = mk(4, 0.3, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 4);
    feed(e, &m);
    m = mk(5, 0.4, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3);
    const ikd_verdict_t *lost = feed(e, &m);
    assert_string_equal(ikd_text_response_lost(lost, buf),
                        "IKE_SA_INIT request (MID 0) repeated after its response in frame 4: "
                        "responses do not reach the initiator");
    m = mk(6, 0.5, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 6);
    on_4500(&m);
    const ikd_verdict_t *fl = feed(e, &m);
    assert_string_equal(ikd_text_float(fl, buf), "NAT-T: IKE SA #1 moved from UDP 500 to 4500");
}

static void address_formatting(void **state)
{
    (void)state;
    char buf[64];
    ikd_addr_t a;
    memset(&a, 0, sizeof a);
    assert_string_equal(ikd_format_addr(&a, buf, sizeof buf), "?");
    a.family = 6;
    a.bytes[0] = 0x20; a.bytes[1] = 0x01; a.bytes[2] = 0x0d; a.bytes[3] = 0xb8; a.bytes[15] = 1;
    assert_string_equal(ikd_format_endpoint(&a, 4500, buf, sizeof buf), "[2001:db8::1]:4500");
    set_v4(&a, 9);
    assert_string_equal(ikd_format_endpoint(&a, 500, buf, sizeof buf), "192.0.2.9:500");
    /* the hand-made IPv4 path agrees with inet_ntop at every byte width */
    const guint8 bytes[][4] = { { 0, 0, 0, 0 }, { 255, 255, 255, 255 }, { 10, 100, 9, 99 } };
    const guint16 ports[] = { 0, 65535, 4500 };
    for (guint i = 0; i < G_N_ELEMENTS(bytes); i++) {
        char want[64], addr[32];
        memcpy(a.bytes, bytes[i], 4);
        snprintf(want, sizeof want, "%s:%u", ikd_format_addr(&a, addr, sizeof addr), ports[i]);
        assert_string_equal(ikd_format_endpoint(&a, ports[i], buf, sizeof buf), want);
    }
    /* a buffer too short for the fast path still gets a terminated string */
    assert_string_equal(ikd_format_endpoint(&a, 4500, buf, 8), "10.100.");
}

static void names(void **state)
{
    (void)state;
    guint n = 0;
    while (ikd_v2_notify_names[n].name)
        n++;
    assert_true(n <= IKD_V2_NOTIFY_NAMES_MAX); /* the glue's static copy holds them all */
    assert_string_equal(ikd_exchange_name(2, 35), "IKE_AUTH");
    assert_string_equal(ikd_exchange_name(2, 44), "IKE_FOLLOWUP_KE");
    assert_string_equal(ikd_exchange_name(2, 200), "exchange 200");
    assert_string_equal(ikd_exchange_name(1, 32), "Quick Mode");
    assert_string_equal(ikd_notify_name(2, 24), "AUTHENTICATION_FAILED");
    assert_string_equal(ikd_notify_name(2, 9999), "NOTIFY_9999");
    assert_string_equal(ikd_notify_name(1, 18), "INVALID_ID_INFORMATION");
    assert_null(ikd_notify_name_or_null(2, 2));
    assert_string_equal(ikd_role_name(IKD_ROLE_RESPONDER), "responder");
    assert_string_equal(ikd_phase_name(IKD_PHASE_CHILD_SA), "child SA");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(retransmission_sentence),
        T(unanswered_sentence),
        T(error_sentences),
        T(float_retry_and_lost_response_sentences),
        T(address_formatting),
        T(names),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
