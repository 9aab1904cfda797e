/* ikd_arena.c — verdicts and exchange records live as long as the capture,
 * so one bump allocator beats a malloc per message and frees in one sweep. */
#include <string.h>
#include "ikd_arena.h"

#define BLOCK_SIZE (64 * 1024)

struct ikd_arena_block {
    ikd_arena_block_t *next;
    guint8 *data;
};

void *ikd_arena_alloc(ikd_arena_t *a, gsize n)
{
    n = (n + 7) & ~(gsize)7;
    if (!a->head || a->used + n > a->size) {
        gsize size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        ikd_arena_block_t *b = g_new(ikd_arena_block_t, 1);
        b->data = g_malloc(size);
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

void ikd_arena_clear(ikd_arena_t *a)
{
    while (a->head) {
        ikd_arena_block_t *next = a->head->next;
        g_free(a->head->data);
        g_free(a->head);
        a->head = next;
    }
    a->used = a->size = 0;
}
