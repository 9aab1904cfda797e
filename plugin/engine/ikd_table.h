/* ikd_table.h — plain-text tables whose columns fit their widest cell. */
#ifndef IKD_TABLE_H
#define IKD_TABLE_H

#include <glib.h>

typedef struct ikd_table ikd_table_t;

/* align: one char per column, 'l' or 'r'. */
ikd_table_t *ikd_table_new(const char *const *headers, const char *align);
/* Starts a row; cells are then added left to right. */
void ikd_table_row(ikd_table_t *t);
void ikd_table_cell(ikd_table_t *t, const char *text);
void ikd_table_cellf(ikd_table_t *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A full-width line under the current row (details that would not fit). */
void ikd_table_note(ikd_table_t *t, const char *text);
void ikd_table_render(const ikd_table_t *t, GString *out);
void ikd_table_free(ikd_table_t *t);

#endif
