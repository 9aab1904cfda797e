/* ikd_payloads.c — walk a chain of IKE payloads (RFC 7296 §3.2, RFC 2408
 * §3.2) and note what the engine reasons about. Every read is bounded by the
 * payload's own length and by the data; a bad length ends the walk. */
#include <string.h>
#include "ikd_payloads.h"

#define V1_PL_NOTIFICATION 11
#define V1_PL_DELETE 12

static guint16 be16(const guint8 *p)
{
    return (guint16)(p[0] << 8 | p[1]);
}

static guint64 be64(const guint8 *p)
{
    guint64 v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* Notify and Delete bodies start alike: [DOI (v1)] protocol | SPI size |
 * a 16-bit field (notify type, number of SPIs). Returns the size of that
 * head, 0 if the body is shorter. */
static gsize common_head(const ikd_msg_t *m, const guint8 *b, gsize n, guint8 *spisize,
                         guint16 *field)
{
    gsize doi = m->version == 1 ? 4 : 0;
    if (n < doi + 4)
        return 0;
    *spisize = b[doi + 1];
    *field = be16(b + doi + 2);
    return doi + 4;
}

/* Notify: head | SPI | data. */
static void notify(ikd_msg_t *m, const guint8 *b, gsize n)
{
    guint8 spisize;
    guint16 type;
    if (!common_head(m, b, n, &spisize, &type))
        return;
    ikd_msg_add_notify(m, type);
    if (m->version != 2 || n != 4 + (gsize)spisize + IKD_NATD_LEN)
        return;
    const guint8 *data = b + 4 + spisize;
    if (type == IKD_N_NAT_DETECTION_SOURCE_IP) {
        if (m->n_natd_src < IKD_MAX_NATD_SRC)
            memcpy(m->natd_src[m->n_natd_src++], data, IKD_NATD_LEN);
    } else if (type == IKD_N_NAT_DETECTION_DESTINATION_IP && !m->has_natd_dst) {
        memcpy(m->natd_dst, data, IKD_NATD_LEN);
        m->has_natd_dst = TRUE;
    }
}

/* Delete: head | SPIs. An IKE SA delete lists none. */
static void delete_spis(ikd_msg_t *m, const guint8 *b, gsize n)
{
    guint8 spisize;
    guint16 listed;
    gsize head = common_head(m, b, n, &spisize, &listed);
    if (!head || !spisize)
        return;
    guint32 count = MIN((guint32)listed, (guint32)((n - head) / spisize));
    m->n_delete_spis = (guint16)MIN((guint32)m->n_delete_spis + count, G_MAXUINT16);
}

/* SA body: proposals, each last | reserved | length (2) | number |
 * protocol | SPI size | transforms | SPI | transforms. An 8-byte SPI
 * proposes a new IKE SA (a rekey). */
static void proposals(ikd_msg_t *m, const guint8 *b, gsize n)
{
    gsize off = 0;
    for (guint i = 0; i < IKD_MAX_PAYLOADS && off + 8 <= n; i++) {
        guint16 plen = be16(b + off + 2);
        guint8 spisize = b[off + 6];
        if (plen < 8 || plen > n - off || 8 + (gsize)spisize > plen)
            return;
        if (spisize == 8 && !m->has_rekey_spi) {
            m->has_rekey_spi = TRUE;
            m->rekey_spi = be64(b + off + 8);
        }
        if (b[off] == 0) /* last proposal */
            return;
        off += plen;
    }
}

void ikd_payloads_walk(ikd_msg_t *m, const guint8 *data, gsize len, guint8 first, ikd_walk_t *walk)
{
    gsize off = 0;
    guint8 type = first;
    memset(walk, 0, sizeof *walk);
    while (type != 0 && off < len) {
        if (walk->n_payloads == IKD_MAX_PAYLOADS) {
            walk->malformed = TRUE;
            return;
        }
        const guint8 *p = data + off;
        gsize avail = len - off;
        /* The previous header named this payload: it counts even when its
         * own length is bad, as in Wireshark's tree; its body is then not read. */
        walk->n_payloads++;
        ikd_msg_add_payload(m, type);
        guint16 plen = avail >= 4 ? be16(p + 2) : 0;
        gboolean sound = avail >= 4 && plen >= 4 && plen <= avail;
        const guint8 *body = p + 4;
        gsize n = sound ? plen - 4u : 0;
        if (m->version == 2 && (type == IKD_PL_SK || type == IKD_PL_SKF)) {
            /* the rest is ciphertext; "next payload" names the first inner one */
            walk->encrypted = TRUE;
            walk->inner_first = p[0];
            if (type == IKD_PL_SKF && avail >= 8) {
                m->frag_num = be16(body);
                m->frag_total = be16(body + 2);
            }
            walk->malformed = !sound;
            return;
        }
        if (!sound) {
            walk->malformed = TRUE;
            return;
        }
        if (m->version == 2) {
            switch (type) {
            case IKD_PL_NOTIFY: notify(m, body, n); break;
            case IKD_PL_DELETE: delete_spis(m, body, n); break;
            case IKD_PL_SA: proposals(m, body, n); break;
            default: break;
            }
        } else if (type == V1_PL_NOTIFICATION) {
            notify(m, body, n);
        } else if (type == V1_PL_DELETE) {
            delete_spis(m, body, n);
        }
        off += plen;
        type = p[0];
    }
}
