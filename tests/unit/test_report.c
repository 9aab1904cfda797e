/* The statistics report: rows, counts, statuses and the rendered text. */
#include "ikd_test.h"
#include "ikd_report.h"
#include "ikd_table.h"

ENGINE_FIXTURE

static void add(ikd_report_t *r, ikd_engine_t *e, ikd_msg_t m)
{
    ikd_report_add(r, feed(e, &m), m.time, NULL);
}

static void text_report_of_a_retried_and_failed_negotiation(void **state)
{
    ikd_engine_t *e = *state;
    ikd_report_t *r = ikd_report_new();
    /* SA 1: INVALID_KE, retry, established, one lost INFORMATIONAL. */
    add(r, e, mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1));
    ikd_msg_t m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 2);
    ikd_msg_add_notify(&m, IKD_N_INVALID_KE_PAYLOAD);
    add(r, e, m);
    add(r, e, mk(3, 0.2, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 3));
    add(r, e, mk(4, 0.3, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 4));
    m = mk(5, 0.4, TRUE, FALSE, IKD_IKE_AUTH, 1, SPI_R, 5);
    on_4500(&m);
    add(r, e, m);
    m = mk(6, 0.5, FALSE, TRUE, IKD_IKE_AUTH, 1, SPI_R, 6);
    on_4500(&m);
    const guint8 pl[] = { IKD_PL_AUTH };
    decrypted(&m, pl, 1);
    add(r, e, m);
    for (guint i = 0; i < 3; i++) {
        m = mk(7 + i, 10 + i, TRUE, FALSE, IKD_INFORMATIONAL, 2, SPI_R, 7);
        on_4500(&m);
        add(r, e, m);
    }
    /* SA 2: phase 1 mismatch. */
    m = mk(10, 20, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 10);
    m.ispi = 0xabc;
    add(r, e, m);
    m = mk(11, 20.5, FALSE, TRUE, IKD_IKE_SA_INIT, 0, 0, 11);
    m.ispi = 0xabc;
    ikd_msg_add_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
    add(r, e, m);

    assert_int_equal(ikd_report_sa_count(r), 2);
    assert_int_equal(ikd_report_xchg_count(r), 4);
    const ikd_report_sa_t *sa1 = ikd_report_sa(r, 0);
    assert_int_equal(sa1->n_requests, 4);
    assert_int_equal(sa1->n_retransmissions, 2);
    assert_int_equal(sa1->max_retransmissions, 2);
    assert_int_equal(ikd_report_sa_unanswered(r, sa1), 1);
    assert_int_equal(sa1->float_frame, 5);

    char *text = ikd_report_render(r, "ip.addr == 192.0.2.1");
    const char *expected =
        "====================================================================================================\n"
        "IKE diagnosis (ikediag)\n"
        "Filter: ip.addr == 192.0.2.1\n"
        "====================================================================================================\n"
        "IKE SAs\n"
        "SA  Initiator      Responder      Frames  Duration  INIT  AUTH  CHILD  INFO  Req  Retr  Max  Unans  Outcome\n"
        " 1  192.0.2.1:500  192.0.2.2:500     1-9    12.000     2     1      0     1    4     2    2      1  established\n"
        "      SPIi 1111111111111111  SPIr 2222222222222222\n"
        "      NAT-T: float to 4500 in frame 5, now 192.0.2.1:4500 <-> 192.0.2.2:4500\n"
        "      Errors: INVALID_KE_PAYLOAD in IKE_SA_INIT from responder\n"
        " 2  192.0.2.1:500  192.0.2.2:500   10-11     0.500     1     0      0     0    1     0    0      0  failed:NO_PROPOSAL_CHOSEN\n"
        "      SPIi 0000000000000abc  SPIr 0000000000000000\n"
        "      Errors: NO_PROPOSAL_CHOSEN in IKE_SA_INIT from responder\n"
        "\n"
        "Exchanges (one row per IKE SA, Message ID and requester)\n"
        "SA  MID  Exchange       Requester  Request  Tx  Response   Time  Status\n"
        " 1    0  IKE_SA_INIT    initiator        1   2         4  0.100  retried\n"
        " 1    1  IKE_AUTH       initiator        5   1         6  0.100  answered\n"
        " 1    2  INFORMATIONAL  initiator        7   3         -      -  unanswered\n"
        " 2    0  IKE_SA_INIT    initiator       10   1        11  0.500  error:NO_PROPOSAL_CHOSEN\n"
        "\n"
        "Outcomes: 1 established, 1 failed:NO_PROPOSAL_CHOSEN\n"
        "Totals: 2 IKE SAs, 5 requests, 2 retransmissions, 1 unanswered, 2 error notifies\n"
        "====================================================================================================\n";
    assert_string_equal(text, expected);
    g_free(text);

    /* Messages an IKE SA limit kept out get a line after the totals. */
    ikd_report_set_untracked(r, 7, 2, 12);
    text = ikd_report_render(r, NULL);
    assert_non_null(strstr(text, "unanswered, 2 error notifies\n"
                                 "Not analysed: 7 messages of IKE SAs beyond the limit of 2 IKE SAs "
                                 "(the first in frame 12)\n====="));
    g_free(text);
    ikd_report_reset(r);
    assert_int_equal(ikd_report_sa_count(r), 0);
    ikd_report_free(r);
}

static void ipv6_rows(ikd_table_t *t, gconstpointer data)
{
    (void)data;
    ikd_table_row(t);
    ikd_table_cell_uint(t, 1);
    ikd_table_cell(t, "[2001:db8:1234:5678:9abc:def0:1234:5678]:4500");
    ikd_table_cell(t, "established");
    ikd_table_note(t, "a note is not measured, however long it is");
    ikd_table_row(t);
    ikd_table_cellf(t, "%u", 12);
    ikd_table_cell(t, "192.0.2.1:500");
    ikd_table_cell(t, "no-response");
    ikd_table_row(t);
    ikd_table_cell_uint(t, 4294967295u);
    ikd_table_cell(t, "h\xc3\xb4te:500"); /* one column per character, not per byte */
    ikd_table_cell(t, "x");
}

static void table_aligns_long_ipv6_endpoints(void **state)
{
    (void)state;
    static const char *const head[] = { "SA", "Initiator", "Outcome" };
    ikd_sink_t out;
    ikd_sink_init(&out, NULL);
    ikd_table_write(head, "rll", ipv6_rows, NULL, &out);
    assert_string_equal(out.buf->str,
                        "        SA  Initiator                                      Outcome\n"
                        "         1  [2001:db8:1234:5678:9abc:def0:1234:5678]:4500  established\n"
                        "      a note is not measured, however long it is\n"
                        "        12  192.0.2.1:500                                  no-response\n"
                        "4294967295  h\xc3\xb4te:500                                       x\n");
    g_string_free(out.buf, TRUE);
}

static void seconds_rows(ikd_table_t *t, gconstpointer data)
{
    const GArray *values = data;
    for (guint i = 0; i < values->len; i++) {
        ikd_table_row(t);
        ikd_table_cell_seconds(t, g_array_index(values, double, i));
        ikd_table_cell_range(t, i, G_MAXUINT32 - i);
    }
}

/* The hand-made number cells print exactly what printf prints. */
static void number_cells_match_printf(void **state)
{
    (void)state;
    static const char *const head[] = { "S", "R" };
    GArray *values = g_array_new(FALSE, FALSE, sizeof(double));
    const double fixed[] = { 0, 0.0005, 0.0015, 0.0025, 1.0005, 0.001945, 12.9995, 0.9999,
                             0.99949999, 0.99950001, 7.1035, 3999999.9994, 4.0e6, 5.0e6, 4294967.2955,
                             1e18, -0.0, -0.0004, -1.5, 1e-300 };
    for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_array_append_val(values, fixed[i]);
    GRand *rng = g_rand_new_with_seed(7);
    for (guint i = 0; i < 20000; i++) {
        double v = i < 10000 ? g_rand_double_range(rng, 0, 100) : i / 2000.0 + 1e-7 * (i % 3);
        g_array_append_val(values, v);
    }
    ikd_sink_t out;
    ikd_sink_init(&out, NULL);
    ikd_table_write(head, "ll", seconds_rows, values, &out);
    gchar **lines = g_strsplit(out.buf->str, "\n", -1);
    for (guint i = 0; i < values->len; i++) {
        char *want = g_strdup_printf("%.3f", g_array_index(values, double, i));
        char *range = g_strdup_printf("%u-%u", i, G_MAXUINT32 - i);
        gchar **cells = g_strsplit_set(lines[i + 1], " ", -1);
        guint k = 0;
        while (cells[k] && !*cells[k])
            k++;
        assert_string_equal(cells[k], want);
        assert_non_null(strstr(lines[i + 1], range));
        g_strfreev(cells);
        g_free(want);
        g_free(range);
    }
    g_strfreev(lines);
    g_rand_free(rng);
    g_string_free(out.buf, TRUE);
    g_array_free(values, TRUE);
}

static void many_rows(ikd_table_t *t, gconstpointer data)
{
    for (guint i = 0; i < GPOINTER_TO_UINT(data); i++) {
        ikd_table_row(t);
        ikd_table_cell_uint(t, i);
        ikd_table_cell(t, i % 7 ? "answered" : "unanswered");
        if (!ikd_table_measuring(t) && i % 1000 == 0)
            ikd_table_notef(t, "row %u", i);
    }
}

/* Written through a file, a table larger than the sink's buffer comes out
 * byte for byte as it does in memory, and the buffer stays small. */
static void table_streams_to_a_file_in_chunks(void **state)
{
    (void)state;
    static const char *const head[] = { "N", "Status" };
    const guint n = 50000;
    ikd_sink_t mem, file;
    ikd_sink_init(&mem, NULL);
    ikd_table_write(head, "rl", many_rows, GUINT_TO_POINTER(n), &mem);
    FILE *fp = tmpfile();
    assert_non_null(fp);
    ikd_sink_init(&file, fp);
    ikd_table_write(head, "rl", many_rows, GUINT_TO_POINTER(n), &file);
    assert_true(file.buf->len < 128 * 1024);
    ikd_sink_flush(&file);
    assert_int_equal(file.buf->len, 0);
    long size = ftell(fp);
    assert_true(size > 512 * 1024);
    assert_int_equal((gsize)size, mem.buf->len);
    rewind(fp);
    char *back = g_malloc((gsize)size);
    assert_int_equal(fread(back, 1, (gsize)size, fp), (gsize)size);
    assert_memory_equal(back, mem.buf->str, (gsize)size);
    assert_true(g_str_has_prefix(mem.buf->str, "    N  Status\n    0  unanswered\n      row 0\n    1  answered\n"));
    g_free(back);
    fclose(fp);
    g_string_free(file.buf, TRUE);
    g_string_free(mem.buf, TRUE);
}

static void filtered_report_counts_only_what_it_was_given(void **state)
{
    ikd_engine_t *e = *state;
    ikd_report_t *r = ikd_report_new();
    ikd_msg_t m = mk(1, 0, TRUE, FALSE, IKD_IKE_SA_INIT, 0, 0, 1);
    feed(e, &m); /* filtered out: not given to the report */
    m = mk(2, 0.1, FALSE, TRUE, IKD_IKE_SA_INIT, 0, SPI_R, 2);
    add(r, e, m);
    const ikd_report_sa_t *row = ikd_report_sa(r, 0);
    assert_int_equal(row->n_requests, 0);
    assert_int_equal(row->first_frame, 2);
    const ikd_report_xchg_t *x = ikd_report_xchg(r, 0);
    assert_int_equal(x->request_frame, 0);
    char *status = ikd_report_xchg_status(x);
    assert_string_equal(status, "answered");
    g_free(status);
    ikd_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(text_report_of_a_retried_and_failed_negotiation),
        T(table_aligns_long_ipv6_endpoints),
        T(table_streams_to_a_file_in_chunks),
        T(number_cells_match_printf),
        T(filtered_report_counts_only_what_it_was_given),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
