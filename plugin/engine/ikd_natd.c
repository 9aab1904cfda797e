/* ikd_natd.c — where NAT sits, from the NAT_DETECTION notifies (RFC 7296
 * §2.23): each peer hashes SPIi | SPIr | IP | port as it sees them. A hash
 * that disagrees with the addresses seen at the capture point means a
 * translation between that peer and here (or a peer faking the hash to
 * force UDP encapsulation, as strongSwan's kernel-libipsec does). */
#include <string.h>
#include "ikd_internal.h"

static void put_be64(guint8 *p, guint64 v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (guint8)v;
        v >>= 8;
    }
}

static void natd_hash(const ikd_msg_t *m, const ikd_addr_t *addr, guint16 port,
                      guint8 out[IKD_NATD_LEN])
{
    guint8 buf[8 + 8 + 16 + 2];
    gsize alen = addr->family == 6 ? 16 : 4;
    put_be64(buf, m->ispi);
    put_be64(buf + 8, m->rspi);
    memcpy(buf + 16, addr->bytes, alen);
    buf[16 + alen] = (guint8)(port >> 8);
    buf[17 + alen] = (guint8)port;

    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA1);
    gsize len = IKD_NATD_LEN;
    g_checksum_update(c, buf, 18 + alen);
    g_checksum_get_digest(c, out, &len);
    g_checksum_free(c);
}

guint8 ikd_natd_check(const ikd_msg_t *m)
{
    guint8 h[IKD_NATD_LEN];
    guint8 found = 0;
    gboolean from_initiator = m->flag_initiator;

    if (m->version != 2 || m->exchange != IKD_IKE_SA_INIT || !m->src.family || !m->dst.family)
        return 0;
    if (m->n_natd_src) {
        gboolean match = FALSE;
        natd_hash(m, &m->src, m->sport, h);
        for (guint i = 0; i < m->n_natd_src && i < IKD_MAX_NATD_SRC; i++)
            match |= memcmp(h, m->natd_src[i], IKD_NATD_LEN) == 0;
        if (!match)
            found |= from_initiator ? IKD_NAT_INITIATOR_SRC : IKD_NAT_RESPONDER_SRC;
    }
    if (m->has_natd_dst) {
        natd_hash(m, &m->dst, m->dport, h);
        if (memcmp(h, m->natd_dst, IKD_NATD_LEN) != 0)
            found |= from_initiator ? IKD_NAT_INITIATOR_DST : IKD_NAT_RESPONDER_DST;
    }
    return found;
}
