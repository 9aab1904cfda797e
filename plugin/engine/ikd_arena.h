/* ikd_arena.h — bump allocator for per-capture records freed all at once. */
#ifndef IKD_ARENA_H
#define IKD_ARENA_H

#include <glib.h>

typedef struct ikd_arena_block ikd_arena_block_t;
typedef struct {
    ikd_arena_block_t *head;
    gsize used, size;
} ikd_arena_t;

/* Zeroed memory, 8-byte aligned, valid until ikd_arena_clear(). */
void *ikd_arena_alloc(ikd_arena_t *a, gsize n);
void ikd_arena_clear(ikd_arena_t *a);

#endif
