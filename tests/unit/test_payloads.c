/* Reading payload facts from message bytes (ikd_payloads_walk) and the
 * RFC 7383 first-inner-payload memory. Chains are built payload by payload
 * as RFC 7296 §3 lays them out. */
#include "ikd_test.h"
#include "ikd_payloads.h"
#include "ikd_internal.h"

typedef struct {
    guint8 b[2048];
    gsize n;
    gsize last_hdr; /* where the previous payload's "next payload" byte is */
    gboolean any;
} chain_t;

/* Appends a payload of type (for the previous header's next field) with body. */
static void put(chain_t *c, guint8 type, const guint8 *body, gsize n, guint8 *first)
{
    if (c->any)
        c->b[c->last_hdr] = type;
    else
        *first = type;
    c->any = TRUE;
    c->last_hdr = c->n;
    gsize len = 4 + n;
    c->b[c->n] = 0;
    c->b[c->n + 1] = 0;
    c->b[c->n + 2] = (guint8)(len >> 8);
    c->b[c->n + 3] = (guint8)len;
    memcpy(c->b + c->n + 4, body, n);
    c->n += len;
}

static ikd_msg_t v2_msg(void)
{
    return mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
}

static void ike_sa_init_chain_gives_types_notifies_and_nat_hashes(void **state)
{
    (void)state;
    chain_t c = { 0 };
    guint8 first = 0;
    /* SA with one IKE proposal without SPI, 0 transforms */
    const guint8 sa[] = { 0, 0, 0, 8, 1, 1, 0, 0 };
    const guint8 ke[] = { 0, 19, 0, 0, 0xAA, 0xBB };
    const guint8 nonce[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    guint8 natd_src[4 + 20] = { 0, 0, 0x40, 0x04 };  /* protocol, SPI size, 16388 */
    guint8 natd_dst[4 + 20] = { 0, 0, 0x40, 0x05 };  /* 16389 */
    const guint8 frag_supported[] = { 0, 0, 0x40, 0x2e }; /* 16430 */
    memset(natd_src + 4, 0x11, 20);
    memset(natd_dst + 4, 0x22, 20);
    put(&c, IKD_PL_SA, sa, sizeof sa, &first);
    put(&c, 34, ke, sizeof ke, &first);
    put(&c, 40, nonce, sizeof nonce, &first);
    put(&c, IKD_PL_NOTIFY, natd_src, sizeof natd_src, &first);
    put(&c, IKD_PL_NOTIFY, natd_dst, sizeof natd_dst, &first);
    put(&c, IKD_PL_NOTIFY, frag_supported, sizeof frag_supported, &first);

    ikd_msg_t m = v2_msg();
    ikd_walk_t w;
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_int_equal(w.n_payloads, 6);
    assert_false(w.malformed);
    assert_false(w.encrypted);
    assert_true(ikd_msg_has_payload(&m, IKD_PL_SA));
    assert_true(ikd_msg_has_payload(&m, 34));
    assert_true(ikd_msg_has_payload(&m, 40));
    assert_true(ikd_msg_has_payload(&m, IKD_PL_NOTIFY));
    assert_false(ikd_msg_has_payload(&m, IKD_PL_AUTH));
    assert_int_equal(m.n_notifies, 3);
    assert_int_equal(m.notifies[0], IKD_N_NAT_DETECTION_SOURCE_IP);
    assert_int_equal(m.notifies[1], IKD_N_NAT_DETECTION_DESTINATION_IP);
    assert_int_equal(m.notifies[2], 16430);
    assert_int_equal(m.n_natd_src, 1);
    assert_memory_equal(m.natd_src[0], natd_src + 4, 20);
    assert_true(m.has_natd_dst);
    assert_memory_equal(m.natd_dst, natd_dst + 4, 20);
    assert_false(m.has_rekey_spi);
}

/* A NAT_DETECTION notify whose data is not a SHA-1 is counted, not used. */
static void nat_hash_of_the_wrong_size_is_not_taken(void **state)
{
    (void)state;
    chain_t c = { 0 };
    guint8 first = 0;
    guint8 natd[4 + 19] = { 0, 0, 0x40, 0x04 };
    put(&c, IKD_PL_NOTIFY, natd, sizeof natd, &first);
    ikd_msg_t m = v2_msg();
    ikd_walk_t w;
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_int_equal(m.n_notifies, 1);
    assert_int_equal(m.n_natd_src, 0);
}

static void encrypted_payload_ends_the_walk_and_names_the_first_inner(void **state)
{
    (void)state;
    chain_t c = { 0 };
    guint8 first = 0;
    /* ciphertext that would read as payload headers if walked */
    const guint8 cipher[] = { 41, 0, 0, 8, 0, 0, 0, 14, 41, 0, 0, 8 };
    put(&c, IKD_PL_SK, cipher, sizeof cipher, &first);
    c.b[0] = 35; /* SK's next payload: IDi, inside */
    ikd_msg_t m = v2_msg();
    m.exchange = IKD_IKE_AUTH;
    ikd_walk_t w;
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_true(w.encrypted);
    assert_int_equal(w.inner_first, 35);
    assert_int_equal(w.n_payloads, 1);
    assert_true(ikd_msg_has_payload(&m, IKD_PL_SK));
    assert_false(ikd_msg_has_payload(&m, IKD_PL_NOTIFY));
    assert_int_equal(m.n_notifies, 0);
}

static void fragment_payload_gives_its_number_and_total(void **state)
{
    (void)state;
    chain_t c = { 0 };
    guint8 first = 0;
    const guint8 skf[] = { 0, 2, 0, 5, 0xde, 0xad, 0xbe, 0xef };
    put(&c, IKD_PL_SKF, skf, sizeof skf, &first);
    ikd_msg_t m = v2_msg();
    ikd_walk_t w;
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_true(w.encrypted);
    assert_int_equal(w.inner_first, 0); /* only fragment 1 names it */
    assert_int_equal(m.frag_num, 2);
    assert_int_equal(m.frag_total, 5);
}

static void eight_byte_proposal_spi_is_an_ike_rekey(void **state)
{
    (void)state;
    chain_t c = { 0 };
    guint8 first = 0;
    /* proposal 1: ESP with a 4-byte SPI, more follow; proposal 2: IKE, 8-byte SPI */
    const guint8 sa[] = { 2, 0, 0, 12, 1, 3, 4, 0, 0xc1, 0xc2, 0xc3, 0xc4,
                          0, 0, 0, 16, 2, 1, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
    put(&c, IKD_PL_SA, sa, sizeof sa, &first);
    ikd_msg_t m = v2_msg();
    m.exchange = IKD_CREATE_CHILD_SA;
    ikd_walk_t w;
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_true(m.has_rekey_spi);
    assert_true(m.rekey_spi == G_GUINT64_CONSTANT(0x0102030405060708));

    /* A proposal claiming more than the SA payload holds stops the scan. */
    chain_t bad = { 0 };
    const guint8 sa_bad[] = { 0, 0, 0, 40, 1, 1, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
    put(&bad, IKD_PL_SA, sa_bad, sizeof sa_bad, &first);
    ikd_msg_t m2 = v2_msg();
    ikd_payloads_walk(&m2, bad.b, bad.n, first, &w);
    assert_false(m2.has_rekey_spi);
    assert_false(w.malformed); /* the payload itself is well formed */
}

static void delete_counts_spis_that_are_really_there(void **state)
{
    (void)state;
    guint8 first = 0;
    ikd_walk_t w;
    /* IKE SA delete: protocol 1, no SPI */
    chain_t ike = { 0 };
    const guint8 del_ike[] = { 1, 0, 0, 0 };
    put(&ike, IKD_PL_DELETE, del_ike, sizeof del_ike, &first);
    ikd_msg_t m = v2_msg();
    ikd_payloads_walk(&m, ike.b, ike.n, first, &w);
    assert_true(ikd_msg_has_payload(&m, IKD_PL_DELETE));
    assert_int_equal(m.n_delete_spis, 0);
    /* Child SA delete: ESP, 4-byte SPIs, claims 100 but carries 2 */
    chain_t child = { 0 };
    const guint8 del_child[] = { 3, 4, 0, 100, 1, 1, 1, 1, 2, 2, 2, 2 };
    put(&child, IKD_PL_DELETE, del_child, sizeof del_child, &first);
    m = v2_msg();
    ikd_payloads_walk(&m, child.b, child.n, first, &w);
    assert_int_equal(m.n_delete_spis, 2);
}

static void bad_lengths_end_the_walk_and_keep_what_came_before(void **state)
{
    (void)state;
    guint8 first = 0;
    ikd_walk_t w;
    chain_t c = { 0 };
    const guint8 n[] = { 0, 0, 0, 14 };
    put(&c, IKD_PL_NOTIFY, n, sizeof n, &first);
    put(&c, IKD_PL_DELETE, n, sizeof n, &first);
    c.b[c.last_hdr + 3] = 200; /* the Delete claims more than there is */
    ikd_msg_t m = v2_msg();
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_true(w.malformed);
    assert_int_equal(w.n_payloads, 2); /* named by the Notify's header: it counts */
    assert_int_equal(m.n_notifies, 1);
    assert_true(ikd_msg_has_payload(&m, IKD_PL_DELETE));

    c.b[c.last_hdr + 3] = 3; /* below the generic header's own 4 bytes */
    m = v2_msg();
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_true(w.malformed);
    assert_int_equal(w.n_payloads, 2);

    /* Data that ends inside the second generic header */
    m = v2_msg();
    ikd_payloads_walk(&m, c.b, 10, first, &w);
    assert_true(w.malformed);
    assert_int_equal(w.n_payloads, 2);
    assert_int_equal(m.n_notifies, 1);

    /* A Notify cut short is counted but its body is not read */
    m = v2_msg();
    ikd_payloads_walk(&m, c.b, 6, first, &w);
    assert_true(w.malformed);
    assert_int_equal(w.n_payloads, 1);
    assert_int_equal(m.n_notifies, 0);

    /* Nothing at all */
    m = v2_msg();
    ikd_payloads_walk(&m, c.b, 0, first, &w);
    assert_false(w.malformed);
    assert_int_equal(w.n_payloads, 0);
}

/* An encrypted payload whose length lies still makes the message encrypted. */
static void encrypted_payload_with_a_bad_length_still_counts(void **state)
{
    (void)state;
    guint8 b[] = { 37, 0, 0x40, 0x00, 0, 3, 0, 7 }; /* SKF: claims 16 KB */
    ikd_msg_t m = v2_msg();
    ikd_walk_t w;
    ikd_payloads_walk(&m, b, sizeof b, IKD_PL_SKF, &w);
    assert_true(w.encrypted);
    assert_true(w.malformed);
    assert_int_equal(w.inner_first, 37);
    assert_int_equal(m.frag_num, 3);
    assert_int_equal(m.frag_total, 7);
    assert_true(ikd_msg_has_payload(&m, IKD_PL_SKF));
}

static void an_endless_chain_is_cut_off(void **state)
{
    (void)state;
    static guint8 b[4 * 1000];
    for (guint i = 0; i < 1000; i++) {
        b[4 * i] = 43; /* Vendor ID, again and again */
        b[4 * i + 3] = 4;
    }
    ikd_msg_t m = v2_msg();
    ikd_walk_t w;
    ikd_payloads_walk(&m, b, sizeof b, 43, &w);
    assert_int_equal(w.n_payloads, IKD_MAX_PAYLOADS);
    assert_true(w.malformed);
}

static void ikev1_notification_and_delete_carry_a_doi(void **state)
{
    (void)state;
    chain_t c = { 0 };
    guint8 first = 0;
    /* DOI 1, protocol 1, SPI size 16, type 18 (INVALID-ID-INFORMATION), SPI */
    guint8 n[8 + 16] = { 0, 0, 0, 1, 1, 16, 0, 18 };
    /* DOI 1, protocol 3, SPI size 4, 1 SPI */
    const guint8 d[] = { 0, 0, 0, 1, 3, 4, 0, 1, 9, 9, 9, 9 };
    put(&c, 11, n, sizeof n, &first);
    put(&c, 12, d, sizeof d, &first);
    ikd_msg_t m = v2_msg();
    m.version = 1;
    ikd_walk_t w;
    ikd_payloads_walk(&m, c.b, c.n, first, &w);
    assert_int_equal(w.n_payloads, 2);
    assert_int_equal(m.n_notifies, 1);
    assert_int_equal(m.notifies[0], 18);
    assert_int_equal(m.n_delete_spis, 1);
    assert_int_equal(m.n_natd_src, 0);
}

static void first_inner_payload_is_kept_from_fragment_one_to_the_last(void **state)
{
    (void)state;
    ikd_engine_t *e = ikd_engine_new();
    ikd_msg_t req = mk(3, 0, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 3);
    ikd_msg_t resp = mk(4, 0, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 4);
    ikd_engine_note_first_inner(e, &req, 35);
    ikd_engine_note_first_inner(e, &resp, 36);
    assert_int_equal(ikd_engine_take_first_inner(e, &resp), 36);
    assert_int_equal(ikd_engine_take_first_inner(e, &req), 35);
    assert_int_equal(ikd_engine_take_first_inner(e, &req), 0); /* taken */
    ikd_msg_t other = req;
    other.mid = 2;
    assert_int_equal(ikd_engine_take_first_inner(e, &other), 0);

    /* Messages that never complete do not pile up. */
    for (guint i = 0; i < 3 * IKD_MAX_OPEN_FRAGMENTED; i++) {
        ikd_msg_t m = req;
        m.mid = 100 + i;
        ikd_engine_note_first_inner(e, &m, 35);
        assert_true(g_hash_table_size(e->first_inner) <= IKD_MAX_OPEN_FRAGMENTED);
    }
    ikd_msg_t latest = req;
    latest.mid = 100 + 3 * IKD_MAX_OPEN_FRAGMENTED - 1;
    assert_int_equal(ikd_engine_take_first_inner(e, &latest), 35);
    ikd_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ike_sa_init_chain_gives_types_notifies_and_nat_hashes),
        cmocka_unit_test(nat_hash_of_the_wrong_size_is_not_taken),
        cmocka_unit_test(encrypted_payload_ends_the_walk_and_names_the_first_inner),
        cmocka_unit_test(fragment_payload_gives_its_number_and_total),
        cmocka_unit_test(eight_byte_proposal_spi_is_an_ike_rekey),
        cmocka_unit_test(delete_counts_spis_that_are_really_there),
        cmocka_unit_test(bad_lengths_end_the_walk_and_keep_what_came_before),
        cmocka_unit_test(encrypted_payload_with_a_bad_length_still_counts),
        cmocka_unit_test(an_endless_chain_is_cut_off),
        cmocka_unit_test(ikev1_notification_and_delete_carry_a_doi),
        cmocka_unit_test(first_inner_payload_is_kept_from_fragment_one_to_the_last),
    };
    return cmocka_run_group_tests_name("payloads", tests, NULL, NULL);
}
