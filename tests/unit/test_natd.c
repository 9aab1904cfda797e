/* Where NAT sits, from the NAT_DETECTION hashes of IKE_SA_INIT. */
#include "ikd_test.h"
#include "ikd_text.h"

ENGINE_FIXTURE

/* RFC 7296 §2.23: SHA-1(SPIi | SPIr | IP | port), computed here byte by byte. */
static void hash(const ikd_msg_t *m, guint8 last_octet, guint16 port, guint8 out[20])
{
    guint8 buf[22];
    for (int i = 0; i < 8; i++) {
        buf[i] = (guint8)(m->ispi >> (56 - 8 * i));
        buf[8 + i] = (guint8)(m->rspi >> (56 - 8 * i));
    }
    buf[16] = 192; buf[17] = 0; buf[18] = 2; buf[19] = last_octet;
    buf[20] = (guint8)(port >> 8);
    buf[21] = (guint8)port;
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA1);
    gsize len = 20;
    g_checksum_update(c, buf, sizeof buf);
    g_checksum_get_digest(c, out, &len);
    g_checksum_free(c);
}

static ikd_msg_t request_with(guint8 src_seen_by_sender, guint8 dst_seen_by_sender)
{
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    hash(&m, src_seen_by_sender, 500, m.natd_src[0]);
    m.n_natd_src = 1;
    hash(&m, dst_seen_by_sender, 500, m.natd_dst);
    m.has_natd_dst = TRUE;
    return m;
}

static void matching_hashes_mean_no_nat(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = request_with(1, 2);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, 0);
    assert_false(v->findings & IKD_F_NAT_DETECTED);
}

static void initiator_translated_before_capture_point(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = request_with(77 /* its private address */, 2);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, IKD_NAT_INITIATOR_SRC);
    assert_int_equal(v->sa->nat, IKD_NAT_INITIATOR_SRC);
}

static void one_of_several_source_hashes_may_match(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = request_with(77, 2);
    hash(&m, 1, 500, m.natd_src[1]);
    m.n_natd_src = 2;
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, 0);
}

/* Capture on the initiator's side of the NAT: the responder sees the
 * initiator at its public address. */
static void responder_sees_initiator_elsewhere(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = request_with(1, 2);
    feed(e, &m);
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    hash(&m, 2, 500, m.natd_src[0]);
    m.n_natd_src = 1;
    hash(&m, 200 /* public address of the NAT */, 500, m.natd_dst);
    m.has_natd_dst = TRUE;
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, IKD_NAT_RESPONDER_DST);
    char buf[IKD_TEXT_MAX];
    assert_string_equal(ikd_text_nat(v, &m.src, m.sport, &m.dst, m.dport, buf),
                        "NAT between this capture point and the responder: it sees the initiator "
                        "elsewhere than 192.0.2.1:500");
}

static void both_sentences_when_both_hashes_disagree(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = request_with(77, 78);
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, IKD_NAT_INITIATOR_SRC | IKD_NAT_INITIATOR_DST);
    char buf[IKD_TEXT_MAX];
    assert_string_equal(ikd_text_nat(v, &m.src, m.sport, &m.dst, m.dport, buf),
                        "NAT between the initiator and this capture point: it addressed the "
                        "responder elsewhere than 192.0.2.2:500; NAT between the initiator and "
                        "this capture point, or the initiator forces UDP encapsulation: its "
                        "NAT_DETECTION_SOURCE_IP does not match 192.0.2.1:500");
}

static void port_translation_counts_too(void **state)
{
    ikd_engine_t *e = *state;
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    hash(&m, 1, 1024, m.natd_src[0]);
    m.n_natd_src = 1;
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, IKD_NAT_INITIATOR_SRC);
}

static void only_ike_sa_init_is_checked(void **state)
{
    ikd_engine_t *e = *state;
    healthy_start(e, 1, 0);
    ikd_msg_t m = mk(10, 1, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 10);
    m.n_natd_src = 1; /* zero hash: would mismatch */
    const ikd_verdict_t *v = feed(e, &m);
    assert_int_equal(v->nat, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(matching_hashes_mean_no_nat),
        T(initiator_translated_before_capture_point),
        T(one_of_several_source_hashes_may_match),
        T(responder_sees_initiator_elsewhere),
        T(both_sentences_when_both_hashes_disagree),
        T(port_translation_counts_too),
        T(only_ike_sa_init_is_checked),
    };
    return cmocka_run_group_tests_name("natd", tests, NULL, NULL);
}
