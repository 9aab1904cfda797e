/* ikd_report.c — accumulate the tapped verdicts into SA and exchange rows. */
#include <stdio.h>
#include <string.h>
#include "ikd_report.h"
#include "ikd_table.h"
#include "ikd_text.h"
#include "ikd_internal.h"

/* Rows are found without allocating keys: SA rows by the dense SA number,
 * exchange rows in a set hashed on their own (SA, MID, requester). */
struct ikd_report {
    GPtrArray *sas;        /* ikd_report_sa_t*, in order of first appearance */
    GPtrArray *sa_by_id;   /* ikd_report_sa_t* at index sa->id, NULL if none */
    GPtrArray *xchgs;      /* ikd_report_xchg_t* */
    GHashTable *xchg_rows; /* set of ikd_report_xchg_t* */
    guint64 n_untracked;   /* see ikd_report_set_untracked() */
    guint max_sas;
    guint32 first_untracked;
};

static guint xkey_hash(gconstpointer p)
{
    const ikd_report_xchg_t *k = p;
    return g_direct_hash(k->sa) ^ (k->mid * 0x9E3779B1u) ^ k->requester;
}

static gboolean xkey_equal(gconstpointer a, gconstpointer b)
{
    const ikd_report_xchg_t *x = a, *y = b;
    return x->sa == y->sa && x->mid == y->mid && x->requester == y->requester;
}

static void sa_row_free(gpointer p)
{
    ikd_report_sa_t *row = p;
    if (row->errors)
        g_array_free(row->errors, TRUE);
    g_free(row);
}

ikd_report_t *ikd_report_new(void)
{
    ikd_report_t *r = g_new0(ikd_report_t, 1);
    r->sas = g_ptr_array_new_with_free_func(sa_row_free);
    r->sa_by_id = g_ptr_array_new();
    r->xchgs = g_ptr_array_new_with_free_func(g_free);
    r->xchg_rows = g_hash_table_new(xkey_hash, xkey_equal);
    return r;
}

void ikd_report_reset(ikd_report_t *r)
{
    g_ptr_array_set_size(r->sa_by_id, 0);
    g_hash_table_remove_all(r->xchg_rows);
    g_ptr_array_set_size(r->sas, 0);
    g_ptr_array_set_size(r->xchgs, 0);
}

void ikd_report_set_untracked(ikd_report_t *r, guint64 n, guint max_sas, guint32 first_frame)
{
    r->n_untracked = n;
    r->max_sas = max_sas;
    r->first_untracked = first_frame;
}

void ikd_report_free(ikd_report_t *r)
{
    if (!r)
        return;
    ikd_report_reset(r);
    g_ptr_array_free(r->sas, TRUE);
    g_ptr_array_free(r->xchgs, TRUE);
    g_ptr_array_free(r->sa_by_id, TRUE);
    g_hash_table_destroy(r->xchg_rows);
    g_free(r);
}

static ikd_report_sa_t *sa_row(ikd_report_t *r, const ikd_verdict_t *v, double time)
{
    guint id = v->sa->id;
    if (id >= r->sa_by_id->len)
        g_ptr_array_set_size(r->sa_by_id, id + 1);
    ikd_report_sa_t *row = g_ptr_array_index(r->sa_by_id, id);
    if (!row) {
        row = g_new0(ikd_report_sa_t, 1);
        row->sa = v->sa;
        row->index = r->sas->len;
        row->first_frame = v->frame;
        row->first_time = time;
        g_ptr_array_add(r->sas, row);
        g_ptr_array_index(r->sa_by_id, id) = row;
    }
    row->last_frame = v->frame;
    row->last_time = time;
    return row;
}

/* The first fragment stands for the whole transmission. */
static gboolean starts_transmission(const ikd_verdict_t *v)
{
    return v->frag_total <= 1 || v->frag_num <= 1;
}

static gboolean xchg_unanswered(const ikd_report_xchg_t *x);

static ikd_report_xchg_t *add_exchange(ikd_report_t *r, ikd_report_sa_t *row, const ikd_verdict_t *v)
{
    ikd_report_xchg_t key;
    key.sa = v->sa;
    key.mid = v->mid;
    key.requester = (guint8)(v->is_request ? v->role : !v->role);
    ikd_report_xchg_t *x = g_hash_table_lookup(r->xchg_rows, &key);
    if (!x) {
        x = g_new0(ikd_report_xchg_t, 1);
        x->sa = v->sa;
        x->mid = v->mid;
        x->exchange = v->exchange;
        x->requester = key.requester;
        x->index = r->xchgs->len;
        g_ptr_array_add(r->xchgs, x);
        g_hash_table_add(r->xchg_rows, x);
    }
    if (x->last_attempt != v->attempt) {
        if (x->last_attempt && x->request_frame && xchg_unanswered(x))
            row->n_unanswered_live--;
        x->last_attempt = v->attempt;
        x->n_attempts++;
        if (v->is_request && xchg_unanswered(x))
            row->n_unanswered_live++;
    }
    if (!v->is_request || !starts_transmission(v))
        return x;
    if (!x->request_frame)
        x->request_frame = v->frame;
    x->transmissions++;
    if (!(v->findings & IKD_F_RETRANSMISSION)) {
        row->n_requests++;
        row->n_exchanges[ikd_exchange_slot(v->sa->version, v->exchange)]++;
    }
    return x;
}

const ikd_report_sa_t *ikd_report_add(ikd_report_t *r, const ikd_verdict_t *v, double time,
                                      const ikd_report_xchg_t **xchg)
{
    if (xchg)
        *xchg = NULL;
    if (!v || !v->sa)
        return NULL;
    ikd_report_sa_t *row = sa_row(r, v, time);
    if (v->findings & IKD_F_RETRANSMISSION) {
        row->n_retransmissions++;
        row->max_retransmissions = MAX(row->max_retransmissions, v->retrans_count);
    }
    if ((v->findings & IKD_F_NAT_FLOAT) && !row->float_frame)
        row->float_frame = v->frame;
    if (v->n_errors && !(v->findings & IKD_F_RETRANSMISSION)) {
        if (!row->errors)
            row->errors = g_array_new(FALSE, FALSE, sizeof(ikd_error_t));
        for (guint i = 0; i < v->n_errors && row->errors->len < IKD_MAX_SA_ERRORS; i++)
            g_array_append_val(row->errors, v->errors[i]);
    }
    if (v->is_request || v->is_response) {
        ikd_report_xchg_t *x = add_exchange(r, row, v);
        if (xchg)
            *xchg = x;
    }
    return row;
}

guint ikd_report_sa_count(const ikd_report_t *r) { return r->sas->len; }
const ikd_report_sa_t *ikd_report_sa(const ikd_report_t *r, guint i)
{
    return i < r->sas->len ? g_ptr_array_index(r->sas, i) : NULL;
}
guint ikd_report_xchg_count(const ikd_report_t *r) { return r->xchgs->len; }
const ikd_report_xchg_t *ikd_report_xchg(const ikd_report_t *r, guint i)
{
    return i < r->xchgs->len ? g_ptr_array_index(r->xchgs, i) : NULL;
}


static gboolean xchg_unanswered(const ikd_report_xchg_t *x)
{
    ikd_attempt_info_t info;
    ikd_attempt_get_info(x->last_attempt, &info);
    return info.unanswered;
}

/* A request row whose last attempt went unanswered. */
static gboolean row_unanswered(const ikd_report_xchg_t *x)
{
    return x->request_frame && xchg_unanswered(x);
}

guint ikd_report_sa_unanswered(const ikd_report_t *r, const ikd_report_sa_t *row)
{
    guint n = 0;
    for (guint i = 0; i < r->xchgs->len; i++) {
        const ikd_report_xchg_t *x = g_ptr_array_index(r->xchgs, i);
        n += x->sa == row->sa && row_unanswered(x);
    }
    return n;
}

char *ikd_report_spi(guint64 spi)
{
    return g_strdup_printf("%016" G_GINT64_MODIFIER "x", spi);
}

char *ikd_report_errors(const ikd_report_sa_t *row)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; row->errors && i < row->errors->len; i++) {
        const ikd_error_t *e = &g_array_index(row->errors, ikd_error_t, i);
        g_string_append_printf(s, "%s%s in %s from %s", i ? "; " : "",
                               ikd_notify_name(row->sa->version, e->type),
                               ikd_exchange_name(row->sa->version, e->exchange),
                               ikd_role_name(e->role));
    }
    return g_string_free(s, FALSE);
}

char *ikd_report_nat(const ikd_report_sa_t *row)
{
    const ikd_sa_t *sa = row->sa;
    char a[64], b[64];
    GString *s = g_string_new(NULL);
    if (row->float_frame)
        g_string_append_printf(s, "float to 4500 in frame %u, now %s <-> %s", row->float_frame,
                               ikd_format_endpoint(&sa->init_cur_addr, sa->init_cur_port, a, sizeof a),
                               ikd_format_endpoint(&sa->resp_cur_addr, sa->resp_cur_port, b, sizeof b));
    if (sa->nat & IKD_NAT_RESPONDER_DST)
        g_string_append_printf(s, "%sNAT between capture point and responder", s->len ? "; " : "");
    if (sa->nat & IKD_NAT_INITIATOR_DST)
        g_string_append_printf(s, "%sdestination NAT before capture point", s->len ? "; " : "");
    if (sa->nat & IKD_NAT_INITIATOR_SRC)
        g_string_append_printf(s, "%sinitiator behind NAT (or forcing encapsulation)", s->len ? "; " : "");
    if (sa->nat & IKD_NAT_RESPONDER_SRC)
        g_string_append_printf(s, "%sresponder behind NAT (or forcing encapsulation)", s->len ? "; " : "");
    return g_string_free(s, FALSE);
}

/* Status and response of an exchange row from its last attempt. */
static char *status_of(const ikd_report_xchg_t *x, const ikd_attempt_info_t *info, char *buf, gsize n)
{
    if (info->response_error)
        g_snprintf(buf, n, "error:%s", ikd_notify_name(x->sa->version, info->response_error));
    else if (info->unanswered)
        g_strlcpy(buf, "unanswered", n);
    else if (!info->response_frame)
        g_strlcpy(buf, info->request_frame ? "pending" : "unknown", n);
    else
        g_strlcpy(buf, x->n_attempts > 1 ? "retried" : "answered", n);
    return buf;
}

char *ikd_report_xchg_status(const ikd_report_xchg_t *x)
{
    ikd_attempt_info_t info;
    char buf[IKD_OUTCOME_MAX];
    ikd_attempt_get_info(x->last_attempt, &info);
    return g_strdup(status_of(x, &info, buf, sizeof buf));
}

gboolean ikd_report_xchg_response(const ikd_report_xchg_t *x, guint32 *frame, double *rtt)
{
    ikd_attempt_info_t info;
    ikd_attempt_get_info(x->last_attempt, &info);
    *frame = info.response_frame;
    *rtt = info.rtt;
    return info.response_frame && info.request_frame;
}

/* --- text ----------------------------------------------------------------- */

/* What the text sections share: the report and each SA row's unanswered
 * count, worked out once (every table is produced twice). */
typedef struct {
    const ikd_report_t *r;
    guint *unanswered; /* by SA row index */
} render_ctx_t;

static void count_unanswered(const ikd_report_t *r, guint *unanswered)
{
    for (guint i = 0; i < r->xchgs->len; i++) {
        const ikd_report_xchg_t *x = g_ptr_array_index(r->xchgs, i);
        if (row_unanswered(x)) {
            const ikd_report_sa_t *row = g_ptr_array_index(r->sa_by_id, x->sa->id);
            unanswered[row->index]++;
        }
    }
}

static void sa_notes(ikd_table_t *t, const ikd_report_sa_t *row)
{
    const ikd_sa_t *sa = row->sa;
    ikd_table_notef(t, "SPIi %016" G_GINT64_MODIFIER "x  SPIr %016" G_GINT64_MODIFIER "x%s%s",
                    sa->ispi, sa->rspi, sa->midstream ? "  (joined mid-stream)" : "",
                    sa->version == 1 ? "  (IKEv1)" : "");
    char *nat = ikd_report_nat(row);
    if (*nat)
        ikd_table_notef(t, "NAT-T: %s", nat);
    g_free(nat);
    if (row->errors && row->errors->len) {
        char *errs = ikd_report_errors(row);
        ikd_table_notef(t, "Errors: %s", errs);
        g_free(errs);
    }
    if (sa->rekeyed_to)
        ikd_table_notef(t, "Rekeyed as IKE SA #%u", sa->rekeyed_to);
    else if (sa->restarted_as)
        ikd_table_notef(t, "Given up; started over as IKE SA #%u", sa->restarted_as);
}

static void sa_rows(ikd_table_t *t, gconstpointer data)
{
    const render_ctx_t *ctx = data;
    char a[64], b[64];
    for (guint i = 0; i < ctx->r->sas->len; i++) {
        const ikd_report_sa_t *row = g_ptr_array_index(ctx->r->sas, i);
        const ikd_sa_t *sa = row->sa;
        char obuf[IKD_OUTCOME_MAX];
        ikd_table_row(t);
        ikd_table_cell_uint(t, sa->id);
        ikd_table_cell(t, ikd_format_endpoint(&sa->init_addr, sa->init_port, a, sizeof a));
        ikd_table_cell(t, ikd_format_endpoint(&sa->resp_addr, sa->resp_port, b, sizeof b));
        ikd_table_cell_range(t, row->first_frame, row->last_frame);
        ikd_table_cell_seconds(t, row->last_time - row->first_time);
        ikd_table_cell_uint(t, row->n_exchanges[IKD_SLOT_IKE_SA_INIT]);
        ikd_table_cell_uint(t, row->n_exchanges[IKD_SLOT_IKE_AUTH]);
        ikd_table_cell_uint(t, row->n_exchanges[IKD_SLOT_CREATE_CHILD_SA]);
        ikd_table_cell_uint(t, row->n_exchanges[IKD_SLOT_INFORMATIONAL]);
        ikd_table_cell_uint(t, row->n_requests);
        ikd_table_cell_uint(t, row->n_retransmissions);
        ikd_table_cell_uint(t, row->max_retransmissions);
        ikd_table_cell_uint(t, ctx->unanswered[row->index]);
        ikd_table_cell(t, ikd_sa_outcome(sa, TRUE, obuf));
        if (!ikd_table_measuring(t))
            sa_notes(t, row);
    }
}

static void xchg_rows(ikd_table_t *t, gconstpointer data)
{
    const render_ctx_t *ctx = data;
    for (guint i = 0; i < ctx->r->xchgs->len; i++) {
        const ikd_report_xchg_t *x = g_ptr_array_index(ctx->r->xchgs, i);
        ikd_attempt_info_t info;
        char status[IKD_OUTCOME_MAX];
        ikd_attempt_get_info(x->last_attempt, &info);
        ikd_table_row(t);
        ikd_table_cell_uint(t, x->sa->id);
        ikd_table_cell_uint(t, x->mid);
        ikd_table_cell(t, ikd_exchange_name(x->sa->version, x->exchange));
        ikd_table_cell(t, ikd_role_name(x->requester));
        if (x->request_frame)
            ikd_table_cell_uint(t, x->request_frame);
        else
            ikd_table_cell(t, "-");
        ikd_table_cell_uint(t, x->transmissions);
        if (info.response_frame)
            ikd_table_cell_uint(t, info.response_frame);
        else
            ikd_table_cell(t, "-");
        if (info.response_frame && info.request_frame)
            ikd_table_cell_seconds(t, info.rtt);
        else
            ikd_table_cell(t, "-");
        ikd_table_cell(t, status_of(x, &info, status, sizeof status));
    }
}

static void render_sas(const render_ctx_t *ctx, ikd_sink_t *out)
{
    static const char *const head[] = { "SA", "Initiator", "Responder", "Frames", "Duration",
                                        "INIT", "AUTH", "CHILD", "INFO", "Req", "Retr", "Max",
                                        "Unans", "Outcome" };
    g_string_append(out->buf, "IKE SAs\n");
    ikd_table_write(head, "rllrrrrrrrrrrl", sa_rows, ctx, out);
    g_string_append(out->buf, "\n");
}

static void render_exchanges(const render_ctx_t *ctx, ikd_sink_t *out)
{
    static const char *const head[] = { "SA", "MID", "Exchange", "Requester", "Request", "Tx",
                                        "Response", "Time", "Status" };
    g_string_append(out->buf, "Exchanges (one row per IKE SA, Message ID and requester)\n");
    ikd_table_write(head, "rrllrrrrl", xchg_rows, ctx, out);
    g_string_append(out->buf, "\n");
}

static gint compare_counts(gconstpointer a, gconstpointer b, gpointer counts)
{
    guint ca = GPOINTER_TO_UINT(g_hash_table_lookup(counts, *(char *const *)a));
    guint cb = GPOINTER_TO_UINT(g_hash_table_lookup(counts, *(char *const *)b));
    if (ca != cb)
        return ca > cb ? -1 : 1;
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char rule[] = "==================================================================="
                           "=================================\n";

static void render_summary(const render_ctx_t *ctx, ikd_sink_t *sink)
{
    const ikd_report_t *r = ctx->r;
    GString *out = sink->buf;
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *names = g_ptr_array_new();
    guint requests = 0, retrans = 0, unanswered = 0, errors = 0;
    for (guint i = 0; i < r->sas->len; i++) {
        const ikd_report_sa_t *row = g_ptr_array_index(r->sas, i);
        char obuf[IKD_OUTCOME_MAX];
        const char *o = ikd_sa_outcome(row->sa, TRUE, obuf);
        gpointer n = g_hash_table_lookup(counts, o);
        if (!n) {
            char *key = g_strdup(o);
            g_ptr_array_add(names, key);
            g_hash_table_insert(counts, key, GUINT_TO_POINTER(1));
        } else {
            g_hash_table_insert(counts, g_strdup(o), GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
        }
        requests += row->n_requests;
        retrans += row->n_retransmissions;
        unanswered += ctx->unanswered[row->index];
        errors += row->errors ? row->errors->len : 0;
    }
    g_ptr_array_sort_with_data(names, compare_counts, counts);
    g_string_append(out, "Outcomes:");
    if (!names->len)
        g_string_append(out, " none");
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_string_append_printf(out, "%s %u %s", i ? "," : "",
                               GPOINTER_TO_UINT(g_hash_table_lookup(counts, name)), name);
    }
    g_string_append_printf(out, "\nTotals: %u IKE SA%s, %u request%s, %u retransmission%s, "
                           "%u unanswered, %u error notif%s\n",
                           r->sas->len, r->sas->len == 1 ? "" : "s", requests,
                           requests == 1 ? "" : "s", retrans, retrans == 1 ? "" : "s", unanswered,
                           errors, errors == 1 ? "y" : "ies");
    if (r->n_untracked)
        g_string_append_printf(out, "Not analysed: %" G_GUINT64_FORMAT " message%s of IKE SAs beyond "
                               "the limit of %u IKE SA%s (the first in frame %u)\n",
                               r->n_untracked, r->n_untracked == 1 ? "" : "s", r->max_sas,
                               r->max_sas == 1 ? "" : "s", r->first_untracked);
    g_string_append(out, rule);
    g_ptr_array_free(names, TRUE);
    g_hash_table_destroy(counts);
}

static void render(const ikd_report_t *r, const char *filter, ikd_sink_t *out)
{
    render_ctx_t ctx = { r, g_new0(guint, r->sas->len + 1) };
    count_unanswered(r, ctx.unanswered);
    g_string_append(out->buf, rule);
    g_string_append(out->buf, "IKE diagnosis (ikediag)\n");
    if (filter && *filter)
        g_string_append_printf(out->buf, "Filter: %s\n", filter);
    g_string_append(out->buf, rule);
    render_sas(&ctx, out);
    render_exchanges(&ctx, out);
    render_summary(&ctx, out);
    ikd_sink_flush(out);
    g_free(ctx.unanswered);
}

char *ikd_report_render(const ikd_report_t *r, const char *filter)
{
    ikd_sink_t out;
    ikd_sink_init(&out, NULL);
    render(r, filter, &out);
    return g_string_free(out.buf, FALSE);
}

void ikd_report_write(const ikd_report_t *r, const char *filter, FILE *fp)
{
    ikd_sink_t out;
    ikd_sink_init(&out, fp);
    render(r, filter, &out);
    g_string_free(out.buf, TRUE);
}
