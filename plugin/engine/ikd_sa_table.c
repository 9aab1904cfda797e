/* ikd_sa_table.c — which IKE SA a message belongs to.
 *
 * An IKE SA is named by its SPI pair. The first IKE_SA_INIT request carries a
 * zero responder SPI, so it is found by the initiator SPI alone until the
 * response names the pair. Addresses and ports play no part: the SA keeps
 * its identity across the NAT-T float and NAT rebinding. */
#include <string.h>
#include "ikd_internal.h"

typedef struct {
    guint64 ispi, rspi;
} spi_pair_t;

static guint pair_hash(gconstpointer p)
{
    const spi_pair_t *k = p;
    guint64 x = k->ispi * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15) ^ k->rspi;
    return (guint)(x ^ (x >> 32));
}

static gboolean pair_equal(gconstpointer a, gconstpointer b)
{
    const spi_pair_t *x = a, *y = b;
    return x->ispi == y->ispi && x->rspi == y->rspi;
}

static guint spi_hash(gconstpointer p)
{
    guint64 x = *(const guint64 *)p;
    return (guint)(x ^ (x >> 32));
}

static gboolean spi_equal(gconstpointer a, gconstpointer b)
{
    return *(const guint64 *)a == *(const guint64 *)b;
}

typedef struct {
    ikd_addr_t init, resp;
} peers_t;

static guint peers_hash(gconstpointer p)
{
    const guint8 *b = p;
    guint h = 2166136261u;
    for (gsize i = 0; i < sizeof(peers_t); i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean peers_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(peers_t)) == 0;
}

void ikd_sa_table_init(ikd_engine_t *eng)
{
    eng->by_peers = g_hash_table_new_full(peers_hash, peers_equal, g_free, NULL);
    eng->sas = g_ptr_array_new();
    eng->by_spis = g_hash_table_new_full(pair_hash, pair_equal, g_free, NULL);
    eng->by_ispi = g_hash_table_new_full(spi_hash, spi_equal, g_free, NULL);
}

static void sa_free(gpointer p)
{
    ikd_sa_t *sa = p;
    if (sa->errors)
        g_array_free(sa->errors, TRUE);
    g_free(sa);
}

void ikd_sa_table_free(ikd_engine_t *eng)
{
    g_ptr_array_foreach(eng->sas, (GFunc)(void (*)(void))sa_free, NULL);
    g_ptr_array_free(eng->sas, TRUE);
    g_hash_table_destroy(eng->by_spis);
    g_hash_table_destroy(eng->by_ispi);
    g_hash_table_destroy(eng->by_peers);
}

static void index_pair(ikd_engine_t *eng, ikd_sa_t *sa, guint64 ispi, guint64 rspi)
{
    spi_pair_t *k = g_new(spi_pair_t, 1);
    k->ispi = ispi;
    k->rspi = rspi;
    g_hash_table_replace(eng->by_spis, k, sa);
}

gboolean ikd_sa_limit_reached(const ikd_engine_t *eng)
{
    return eng->max_sas && eng->sas->len >= eng->max_sas;
}

ikd_sa_t *ikd_sa_create(ikd_engine_t *eng, guint8 version, guint64 ispi, guint64 rspi)
{
    ikd_sa_t *sa = g_new0(ikd_sa_t, 1);
    sa->engine = eng;
    sa->id = eng->sas->len + 1;
    sa->version = version;
    sa->ispi = ispi;
    sa->rspi = rspi;
    g_ptr_array_add(eng->sas, sa);
    if (rspi)
        index_pair(eng, sa, ispi, rspi);
    return sa;
}

ikd_sa_t *ikd_sa_lookup(ikd_engine_t *eng, const ikd_msg_t *m, gboolean *created)
{
    spi_pair_t key = { m->ispi, m->rspi };
    ikd_sa_t *sa;

    *created = FALSE;
    if (m->rspi) {
        sa = g_hash_table_lookup(eng->by_spis, &key);
        if (sa)
            return sa;
    }
    sa = g_hash_table_lookup(eng->by_ispi, &m->ispi);
    if (sa && m->rspi) {
        /* The response that names the pair, or (after a retry) a new
         * responder SPI for the same IKE_SA_INIT: both keys stay valid. */
        if (!sa->rspi || (m->mid == 0 && m->exchange == IKD_IKE_SA_INIT) || sa->version == 1) {
            sa->rspi = m->rspi;
            index_pair(eng, sa, m->ispi, m->rspi);
            return sa;
        }
        sa = NULL; /* same initiator SPI, another SA: rare but legal */
    }
    if (sa)
        return sa;

    if (ikd_sa_limit_reached(eng)) {
        if (!eng->n_untracked++)
            eng->first_untracked = m->frame;
        return NULL;
    }
    sa = ikd_sa_create(eng, m->version, m->ispi, m->rspi);
    *created = TRUE;
    if (!m->rspi) {
        guint64 *k = g_new(guint64, 1);
        *k = m->ispi;
        g_hash_table_replace(eng->by_ispi, k, sa);
    }
    return sa;
}

ikd_sa_t *ikd_sa_replaces(ikd_engine_t *eng, ikd_sa_t *sa)
{
    peers_t *k = g_new0(peers_t, 1);
    k->init = sa->init_addr;
    k->resp = sa->resp_addr;
    ikd_sa_t *prev = g_hash_table_lookup(eng->by_peers, k);
    g_hash_table_replace(eng->by_peers, k, sa);
    return prev;
}
