/* ikd_table.c — column widths come from the content, so long IPv6
 * endpoints stay aligned instead of pushing the columns apart. The rows are
 * produced twice (measure, then write) instead of being kept: a report over
 * a concentrator's capture would otherwise hold tens of MB of cells. */
#include <math.h>
#include <string.h>
#include "ikd_table.h"

#define SINK_CHUNK (64 * 1024)

struct ikd_table {
    guint ncols;
    const char *align;
    guint width[IKD_TABLE_MAX_COLS];
    gboolean measuring;
    gboolean in_row;
    guint col;     /* next column of the current row */
    guint pending; /* spaces owed before the next cell; dropped at row end,
                    * which trims the padding of trailing cells */
    ikd_sink_t *out;
};

void ikd_sink_init(ikd_sink_t *s, FILE *fp)
{
    s->buf = g_string_sized_new(fp ? SINK_CHUNK + 1024 : 1024);
    s->fp = fp;
}

void ikd_sink_flush(ikd_sink_t *s)
{
    if (!s->fp || !s->buf->len)
        return;
    fwrite(s->buf->str, 1, s->buf->len, s->fp);
    g_string_truncate(s->buf, 0);
}

void ikd_sink_maybe_flush(ikd_sink_t *s)
{
    if (s->buf->len >= SINK_CHUNK)
        ikd_sink_flush(s);
}

/* Display width: UTF-8 continuation bytes take no column. */
static guint text_width(const char *s, gsize len)
{
    guint w = 0;
    for (gsize i = 0; i < len; i++)
        w += ((guchar)s[i] & 0xC0) != 0x80;
    return w;
}

static void spaces(GString *out, guint n)
{
    static const char blank[] = "                                ";
    while (n) {
        guint k = MIN(n, (guint)sizeof blank - 1);
        g_string_append_len(out, blank, k);
        n -= k;
    }
}

static void end_row(ikd_table_t *t)
{
    if (t->in_row && !t->measuring) {
        g_string_append_c(t->out->buf, '\n');
        ikd_sink_maybe_flush(t->out);
    }
    t->in_row = FALSE;
}

void ikd_table_row(ikd_table_t *t)
{
    end_row(t);
    t->in_row = TRUE;
    t->col = 0;
    t->pending = 0;
}

static void cell_len(ikd_table_t *t, const char *text, gsize len)
{
    if (!t->in_row || t->col >= t->ncols)
        return;
    guint c = t->col++;
    guint w = text_width(text, len);
    if (t->measuring) {
        t->width[c] = MAX(t->width[c], w);
        return;
    }
    guint fill = t->width[c] > w ? t->width[c] - w : 0;
    if (c)
        t->pending += 2;
    if (t->align[c] == 'r')
        t->pending += fill;
    spaces(t->out->buf, t->pending);
    g_string_append_len(t->out->buf, text, (gssize)len);
    t->pending = t->align[c] == 'r' ? 0 : fill;
}

void ikd_table_cell(ikd_table_t *t, const char *text)
{
    text = text ? text : "";
    cell_len(t, text, strlen(text));
}

/* Counters are most cells of a report: formatted without printf. */
void ikd_table_cell_uint(ikd_table_t *t, guint32 value)
{
    char buf[16];
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    cell_len(t, p, (gsize)(buf + sizeof buf - p));
}

/* "a-b", as a frame range. */
void ikd_table_cell_range(ikd_table_t *t, guint32 a, guint32 b)
{
    char buf[24];
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + b % 10);
        b /= 10;
    } while (b);
    *--p = '-';
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    cell_len(t, p, (gsize)(buf + sizeof buf - p));
}

/* Seconds as "%.3f" without printf's exact-decimal machinery. A value whose
 * thousandths sit too close to a half for the product to tell which way
 * printf would round (and anything negative or huge) goes to printf, so the
 * text is always what "%.3f" prints. */
void ikd_table_cell_seconds(ikd_table_t *t, double s)
{
    double ms = s * 1000.0;
    if (signbit(s) || !(ms < 4.0e9)) { /* "-0.000", NaN, huge */
        ikd_table_cellf(t, "%.3f", s);
        return;
    }
    double whole = (double)(guint32)ms;
    double frac = ms - whole;
    if (frac > 0.4999 && frac < 0.5001) {
        ikd_table_cellf(t, "%.3f", s);
        return;
    }
    guint64 v = (guint64)whole + (frac > 0.5);
    char buf[32];
    char *p = buf + sizeof buf;
    for (int i = 0; i < 3; i++) {
        *--p = (char)('0' + v % 10);
        v /= 10;
    }
    *--p = '.';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cell_len(t, p, (gsize)(buf + sizeof buf - p));
}

void ikd_table_cellf(ikd_table_t *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = g_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cell_len(t, buf, n < 0 ? 0 : MIN((gsize)n, sizeof buf - 1));
}

gboolean ikd_table_measuring(const ikd_table_t *t)
{
    return t->measuring;
}

void ikd_table_note(ikd_table_t *t, const char *text)
{
    end_row(t);
    if (t->measuring)
        return;
    g_string_append(t->out->buf, "      ");
    g_string_append(t->out->buf, text ? text : "");
    g_string_append_c(t->out->buf, '\n');
    ikd_sink_maybe_flush(t->out);
}

void ikd_table_notef(ikd_table_t *t, const char *fmt, ...)
{
    va_list ap;
    end_row(t);
    if (t->measuring)
        return;
    g_string_append(t->out->buf, "      ");
    va_start(ap, fmt);
    g_string_append_vprintf(t->out->buf, fmt, ap);
    va_end(ap);
    g_string_append_c(t->out->buf, '\n');
    ikd_sink_maybe_flush(t->out);
}

static void header_and_rows(ikd_table_t *t, const char *const *headers, ikd_table_rows_fn rows,
                            gconstpointer data)
{
    ikd_table_row(t);
    for (guint i = 0; i < t->ncols; i++)
        ikd_table_cell(t, headers[i]);
    rows(t, data);
    end_row(t);
}

void ikd_table_write(const char *const *headers, const char *align, ikd_table_rows_fn rows,
                     gconstpointer data, ikd_sink_t *out)
{
    ikd_table_t t = { 0 };
    t.ncols = MIN((guint)strlen(align), IKD_TABLE_MAX_COLS);
    t.align = align;
    t.out = out;
    t.measuring = TRUE;
    header_and_rows(&t, headers, rows, data);
    t.measuring = FALSE;
    header_and_rows(&t, headers, rows, data);
}
