/* ikd_table.c — column widths come from the content, so long IPv6
 * endpoints stay aligned instead of pushing the columns apart. Cells live in
 * one string chunk: a report of 10^5 rows makes no allocation per cell. */
#include <string.h>
#include "ikd_table.h"

struct ikd_table {
    guint ncols;
    char *align;
    GStringChunk *text;  /* every cell's characters */
    GPtrArray *cells;    /* ncols entries per row; a note row has its text first */
    GArray *is_note;     /* gboolean per row */
    guint *width;        /* widest cell per column so far */
    guint col;           /* next column of the current row */
};

ikd_table_t *ikd_table_new(const char *const *headers, const char *align)
{
    ikd_table_t *t = g_new0(ikd_table_t, 1);
    t->ncols = (guint)strlen(align);
    t->align = g_strdup(align);
    t->text = g_string_chunk_new(64 * 1024);
    t->cells = g_ptr_array_new();
    t->is_note = g_array_new(FALSE, FALSE, sizeof(gboolean));
    t->width = g_new0(guint, t->ncols);
    ikd_table_row(t);
    for (guint i = 0; i < t->ncols; i++)
        ikd_table_cell(t, headers[i]);
    return t;
}

/* Pads the current row to full width, so rows stay ncols apart. */
static void finish_row(ikd_table_t *t)
{
    if (!t->is_note->len)
        return;
    while (t->col < t->ncols) {
        g_ptr_array_add(t->cells, (gpointer) "");
        t->col++;
    }
}

void ikd_table_row(ikd_table_t *t)
{
    gboolean note = FALSE;
    finish_row(t);
    g_array_append_val(t->is_note, note);
    t->col = 0;
}

void ikd_table_cell(ikd_table_t *t, const char *text)
{
    if (t->col >= t->ncols)
        return;
    const char *s = g_string_chunk_insert(t->text, text ? text : "");
    g_ptr_array_add(t->cells, (gpointer)s);
    t->width[t->col] = MAX(t->width[t->col], (guint)g_utf8_strlen(s, -1));
    t->col++;
}

void ikd_table_cellf(ikd_table_t *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ikd_table_cell(t, buf);
}

void ikd_table_note(ikd_table_t *t, const char *text)
{
    gboolean note = TRUE;
    finish_row(t);
    g_array_append_val(t->is_note, note);
    g_ptr_array_add(t->cells, g_string_chunk_insert(t->text, text));
    t->col = 1;
    finish_row(t);
}

static void pad(GString *out, guint n)
{
    static const char spaces[] = "                                ";
    while (n) {
        guint k = MIN(n, (guint)sizeof spaces - 1);
        g_string_append_len(out, spaces, k);
        n -= k;
    }
}

void ikd_table_render(const ikd_table_t *t, GString *out)
{
    ikd_table_t *mt = (ikd_table_t *)t;
    finish_row(mt);
    for (guint r = 0; r < t->is_note->len; r++) {
        const char **row = (const char **)t->cells->pdata + (gsize)r * t->ncols;
        if (g_array_index(t->is_note, gboolean, r)) {
            g_string_append(out, "      ");
            g_string_append(out, row[0]);
            g_string_append_c(out, '\n');
            continue;
        }
        gsize start = out->len;
        for (guint c = 0; c < t->ncols; c++) {
            guint w = (guint)g_utf8_strlen(row[c], -1);
            if (c)
                g_string_append_len(out, "  ", 2);
            if (t->align[c] == 'r')
                pad(out, t->width[c] - w);
            g_string_append(out, row[c]);
            if (t->align[c] != 'r')
                pad(out, t->width[c] - w);
        }
        while (out->len > start && out->str[out->len - 1] == ' ')
            g_string_truncate(out, out->len - 1);
        g_string_append_c(out, '\n');
    }
}

void ikd_table_free(ikd_table_t *t)
{
    if (!t)
        return;
    g_string_chunk_free(t->text);
    g_ptr_array_free(t->cells, TRUE);
    g_array_free(t->is_note, TRUE);
    g_free(t->width);
    g_free(t->align);
    g_free(t);
}
