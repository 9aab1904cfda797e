/* ikd_table.h — plain-text tables whose columns fit their widest cell.
 *
 * A table is produced by a rows function that is called twice: the first
 * pass only measures the columns, the second writes them. No row is ever
 * stored, so a table of 10^6 rows costs no memory beyond its text. */
#ifndef IKD_TABLE_H
#define IKD_TABLE_H

#include <stdio.h>
#include <glib.h>

#define IKD_TABLE_MAX_COLS 16

/* Where text goes: appended to buf, and when fp is set, handed to fp each
 * time buf holds a few dozen KB (so buf stays small). */
typedef struct {
    GString *buf;
    FILE *fp;
} ikd_sink_t;

void ikd_sink_init(ikd_sink_t *s, FILE *fp);
void ikd_sink_flush(ikd_sink_t *s);    /* writes out buf when fp is set */
void ikd_sink_maybe_flush(ikd_sink_t *s);

typedef struct ikd_table ikd_table_t;
typedef void (*ikd_table_rows_fn)(ikd_table_t *t, gconstpointer data);

/* align: one char per column, 'l' or 'r' (at most IKD_TABLE_MAX_COLS). */
void ikd_table_write(const char *const *headers, const char *align, ikd_table_rows_fn rows,
                     gconstpointer data, ikd_sink_t *out);

/* For use inside a rows function. Starts a row; cells then go left to right. */
void ikd_table_row(ikd_table_t *t);
void ikd_table_cell(ikd_table_t *t, const char *text);
void ikd_table_cell_uint(ikd_table_t *t, guint32 value);
void ikd_table_cell_range(ikd_table_t *t, guint32 a, guint32 b); /* "a-b" */
void ikd_table_cell_seconds(ikd_table_t *t, double s);           /* as "%.3f" */
void ikd_table_cellf(ikd_table_t *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* True in the measuring pass: notes need not be built, they are not measured. */
gboolean ikd_table_measuring(const ikd_table_t *t);
/* A full-width line under the current row (details that would not fit). */
void ikd_table_note(ikd_table_t *t, const char *text);
void ikd_table_notef(ikd_table_t *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif
