/* ikd_table.c — column widths come from the content, so long IPv6
 * endpoints stay aligned instead of pushing the columns apart. */
#include <string.h>
#include "ikd_table.h"

struct ikd_table {
    guint ncols;
    char *align;
    GPtrArray *rows;  /* GPtrArray of char* cells; a 1-cell row with note set is a note */
    GArray *is_note;  /* gboolean per row */
};

ikd_table_t *ikd_table_new(const char *const *headers, const char *align)
{
    ikd_table_t *t = g_new0(ikd_table_t, 1);
    t->ncols = (guint)strlen(align);
    t->align = g_strdup(align);
    t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    t->is_note = g_array_new(FALSE, FALSE, sizeof(gboolean));
    ikd_table_row(t);
    for (guint i = 0; i < t->ncols; i++)
        ikd_table_cell(t, headers[i]);
    return t;
}

void ikd_table_row(ikd_table_t *t)
{
    gboolean note = FALSE;
    g_ptr_array_add(t->rows, g_ptr_array_new_with_free_func(g_free));
    g_array_append_val(t->is_note, note);
}

void ikd_table_cell(ikd_table_t *t, const char *text)
{
    GPtrArray *row = g_ptr_array_index(t->rows, t->rows->len - 1);
    if (row->len < t->ncols)
        g_ptr_array_add(row, g_strdup(text ? text : ""));
}

void ikd_table_cellf(ikd_table_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    ikd_table_cell(t, s);
    g_free(s);
}

void ikd_table_note(ikd_table_t *t, const char *text)
{
    gboolean note = TRUE;
    GPtrArray *row = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(row, g_strdup(text));
    g_ptr_array_add(t->rows, row);
    g_array_append_val(t->is_note, note);
}

void ikd_table_render(const ikd_table_t *t, GString *out)
{
    guint *width = g_new0(guint, t->ncols);
    for (guint r = 0; r < t->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index(t->rows, r);
        if (g_array_index(t->is_note, gboolean, r))
            continue;
        for (guint c = 0; c < row->len; c++)
            width[c] = MAX(width[c], (guint)g_utf8_strlen(row->pdata[c], -1));
    }
    for (guint r = 0; r < t->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index(t->rows, r);
        if (g_array_index(t->is_note, gboolean, r)) {
            g_string_append_printf(out, "      %s\n", (const char *)row->pdata[0]);
            continue;
        }
        GString *line = g_string_new(NULL);
        for (guint c = 0; c < t->ncols; c++) {
            const char *cell = c < row->len ? row->pdata[c] : "";
            guint pad = width[c] - (guint)g_utf8_strlen(cell, -1);
            if (c)
                g_string_append(line, "  ");
            if (t->align[c] == 'r')
                g_string_append_printf(line, "%*s%s", pad, "", cell);
            else
                g_string_append_printf(line, "%s%*s", cell, pad, "");
        }
        while (line->len && line->str[line->len - 1] == ' ')
            g_string_truncate(line, line->len - 1);
        g_string_append_printf(out, "%s\n", line->str);
        g_string_free(line, TRUE);
    }
    g_free(width);
}

void ikd_table_free(ikd_table_t *t)
{
    if (!t)
        return;
    g_ptr_array_free(t->rows, TRUE);
    g_array_free(t->is_note, TRUE);
    g_free(t->align);
    g_free(t);
}
