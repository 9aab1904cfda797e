/* ikediag_stats.c — `tshark -z ikediag[,filter]` and the GUI's Statistics
 * entries. Both read the verdicts queued on the "ikediag" tap; the rows and
 * their cells come from the engine's report (plugin/engine/ikd_report.c). */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>
#include <wsutil/report_message.h>
#include "ikediag_compat.h"
#include "ikediag.h"
#include "ikediag_tap.h"
#include "ikd_report.h"
#include "ikd_text.h"

#define IKEDIAG_TAP "ikediag"

/* --- tshark -z ikediag[,filter]: the text report ------------------------- */

typedef struct {
    ikd_report_t *report;
    char *filter;
} cli_stat_t;

static void cli_reset(void *data)
{
    ikd_report_reset(((cli_stat_t *)data)->report);
}

static tap_packet_status cli_packet(void *data, packet_info *pinfo, epan_dissect_t *edt _U_,
                                    const void *verdict, tap_flags_t flags _U_)
{
    cli_stat_t *st = data;
    ikd_report_add(st->report, verdict, nstime_to_sec(&pinfo->rel_ts), NULL);
    return TAP_PACKET_REDRAW;
}

static void cli_draw(void *data)
{
    cli_stat_t *st = data;
    guint max_sas;
    guint32 first;
    guint64 n = ikediag_untracked(&max_sas, &first);
    ikd_report_set_untracked(st->report, n, max_sas, first);
    ikd_report_write(st->report, st->filter, stdout);
}

static void cli_finish(void *data)
{
    cli_stat_t *st = data;
    ikd_report_free(st->report);
    g_free(st->filter);
    g_free(st);
}

static IKD_STAT_INIT_RET cli_init(const char *opt_arg, void *userdata _U_)
{
    const char *prefix = IKEDIAG_TAP ",";
    cli_stat_t *st = g_new0(cli_stat_t, 1);
    if (strncmp(opt_arg, prefix, strlen(prefix)) == 0 && opt_arg[strlen(prefix)])
        st->filter = g_strdup(opt_arg + strlen(prefix));
    st->report = ikd_report_new();
    GString *err = register_tap_listener(IKEDIAG_TAP, st, st->filter, TL_REQUIRES_NOTHING,
                                         cli_reset, cli_packet, cli_draw, cli_finish);
    if (err) {
        report_failure("ikediag: %s", err->str);
        g_string_free(err, TRUE);
        cli_finish(st);
        IKD_STAT_INIT_RETURN(FALSE);
    }
    IKD_STAT_INIT_RETURN(TRUE);
}

static stat_tap_ui cli_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "IKE diagnosis",
    IKEDIAG_TAP,
    cli_init,
    0,
    NULL
};

/* --- GUI: two stat tap tables -------------------------------------------- */

static stat_tap_table_item sa_fields[] = {
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "IKE SA", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Initiator", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Responder", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Initiator SPI", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Responder SPI", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "First frame", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Last frame", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Duration (s)", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "IKE_SA_INIT", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "IKE_AUTH", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "CREATE_CHILD_SA", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "INFORMATIONAL", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Requests", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Retransmissions", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Max retr. per message", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Unanswered", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "NAT-T", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Errors", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Outcome", "%s" },
};

static stat_tap_table_item xchg_fields[] = {
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "IKE SA", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "MID", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Exchange", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Requester", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Request frame", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Transmissions", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Response frame", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Response time (s)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Status", "%s" },
};

/* One report per dialog kind; a retap resets it. */
static ikd_report_t *gui_sa_report, *gui_xchg_report;

static stat_tap_table *first_table(void *tapdata)
{
    stat_data_t *sd = tapdata;
    GArray *tables = sd->stat_tap_data->tables;
    return tables && tables->len ? g_array_index(tables, stat_tap_table *, 0) : NULL;
}

static void ensure_row(stat_tap_table *table, guint index, stat_tap_table_item *fields, guint n)
{
    if (index < table->num_elements)
        return;
    stat_tap_table_item_type *items = g_new0(stat_tap_table_item_type, n);
    for (guint i = 0; i < n; i++)
        items[i].type = fields[i].type;
    stat_tap_init_table_row(table, index, n, items);
    g_free(items);
}

static void set_uint(stat_tap_table *t, guint row, guint col, guint value)
{
    stat_tap_table_item_type *it = stat_tap_get_field_data(t, row, col);
    it->value.uint_value = value;
}

/* Takes ownership of value (g_malloc'd). */
static void set_string(stat_tap_table *t, guint row, guint col, char *value)
{
    stat_tap_table_item_type *it = stat_tap_get_field_data(t, row, col);
    g_free((char *)it->value.string_value);
    it->value.string_value = value;
}

static void free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                      stat_tap_table_item_type *field)
{
    if (field->type == TABLE_ITEM_STRING) {
        g_free((char *)field->value.string_value);
        field->value.string_value = NULL;
    }
}

static void fill_sa_row(stat_tap_table *t, const ikd_report_sa_t *row)
{
    const ikd_sa_t *sa = row->sa;
    char ep[64], obuf[IKD_OUTCOME_MAX];
    guint i = row->index;
    ensure_row(t, i, sa_fields, G_N_ELEMENTS(sa_fields));
    set_uint(t, i, 0, sa->id);
    set_string(t, i, 1, g_strdup(ikd_format_endpoint(&sa->init_addr, sa->init_port, ep, sizeof ep)));
    set_string(t, i, 2, g_strdup(ikd_format_endpoint(&sa->resp_addr, sa->resp_port, ep, sizeof ep)));
    set_string(t, i, 3, ikd_report_spi(sa->ispi));
    set_string(t, i, 4, ikd_report_spi(sa->rspi));
    set_uint(t, i, 5, row->first_frame);
    set_uint(t, i, 6, row->last_frame);
    set_string(t, i, 7, g_strdup_printf("%.3f", row->last_time - row->first_time));
    for (guint s = 0; s < 4; s++)
        set_uint(t, i, 8 + s, row->n_exchanges[s]);
    set_uint(t, i, 12, row->n_requests);
    set_uint(t, i, 13, row->n_retransmissions);
    set_uint(t, i, 14, row->max_retransmissions);
    set_uint(t, i, 15, row->n_unanswered_live);
    set_string(t, i, 16, ikd_report_nat(row));
    set_string(t, i, 17, ikd_report_errors(row));
    set_string(t, i, 18, g_strdup(ikd_sa_outcome(sa, TRUE, obuf)));
}

static void fill_xchg_row(stat_tap_table *t, const ikd_report_xchg_t *x)
{
    guint32 resp;
    double rtt;
    guint i = x->index;
    gboolean paired = ikd_report_xchg_response(x, &resp, &rtt);
    ensure_row(t, i, xchg_fields, G_N_ELEMENTS(xchg_fields));
    set_uint(t, i, 0, x->sa->id);
    set_uint(t, i, 1, x->mid);
    set_string(t, i, 2, g_strdup(ikd_exchange_name(x->sa->version, x->exchange)));
    set_string(t, i, 3, g_strdup(ikd_role_name(x->requester)));
    set_uint(t, i, 4, x->request_frame);
    set_uint(t, i, 5, x->transmissions);
    set_string(t, i, 6, resp ? g_strdup_printf("%u", resp) : g_strdup("-"));
    set_string(t, i, 7, paired ? g_strdup_printf("%.3f", rtt) : g_strdup("-"));
    set_string(t, i, 8, ikd_report_xchg_status(x));
}

static tap_packet_status sa_table_packet(void *tapdata, packet_info *pinfo,
                                         epan_dissect_t *edt _U_, const void *data,
                                         tap_flags_t flags _U_)
{
    stat_tap_table *t = first_table(tapdata);
    if (!t || !gui_sa_report)
        return TAP_PACKET_DONT_REDRAW;
    const ikd_report_sa_t *row = ikd_report_add(gui_sa_report, data, nstime_to_sec(&pinfo->rel_ts), NULL);
    if (!row)
        return TAP_PACKET_DONT_REDRAW;
    fill_sa_row(t, row);
    return TAP_PACKET_REDRAW;
}

static tap_packet_status xchg_table_packet(void *tapdata, packet_info *pinfo,
                                           epan_dissect_t *edt _U_, const void *data,
                                           tap_flags_t flags _U_)
{
    stat_tap_table *t = first_table(tapdata);
    const ikd_report_xchg_t *x;
    if (!t || !gui_xchg_report)
        return TAP_PACKET_DONT_REDRAW;
    ikd_report_add(gui_xchg_report, data, nstime_to_sec(&pinfo->rel_ts), &x);
    if (!x)
        return TAP_PACKET_DONT_REDRAW;
    fill_xchg_row(t, x);
    return TAP_PACKET_REDRAW;
}

static void table_init(stat_tap_table_ui *ui, const char *title, guint n, ikd_report_t **report)
{
    /* The dialog may be opened again: keep one table per ui. */
    if (!stat_tap_find_table(ui, title))
        stat_tap_add_table(ui, stat_tap_init_table(title, n, 0, NULL));
    if (!*report)
        *report = ikd_report_new();
}

static void sa_table_init(stat_tap_table_ui *ui)
{
    table_init(ui, "IKE SAs", G_N_ELEMENTS(sa_fields), &gui_sa_report);
}

static void xchg_table_init(stat_tap_table_ui *ui)
{
    table_init(ui, "IKE exchanges", G_N_ELEMENTS(xchg_fields), &gui_xchg_report);
}

static void sa_table_reset(stat_tap_table *table)
{
    (void)table;
    if (gui_sa_report)
        ikd_report_reset(gui_sa_report);
}

static void xchg_table_reset(stat_tap_table *table)
{
    (void)table;
    if (gui_xchg_report)
        ikd_report_reset(gui_xchg_report);
}

static tap_param filter_param[] = { { PARAM_FILTER, "filter", "Filter", NULL, TRUE } };

static stat_tap_table_ui sa_table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "IKE Diagnosis: IKE SAs",
    IKEDIAG_TAP,
    "ike,sa",
    sa_table_init,
    sa_table_packet,
    sa_table_reset,
    free_item,
    NULL,
    G_N_ELEMENTS(sa_fields), sa_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

static stat_tap_table_ui xchg_table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "IKE Diagnosis: IKE Exchanges",
    IKEDIAG_TAP,
    "ike,exchanges",
    xchg_table_init,
    xchg_table_packet,
    xchg_table_reset,
    free_item,
    NULL,
    G_N_ELEMENTS(xchg_fields), xchg_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

void ikediag_stats_register(void)
{
    register_stat_tap_ui(&cli_ui, NULL);
    register_stat_tap_table_ui(&sa_table_ui);
    register_stat_tap_table_ui(&xchg_table_ui);
}
