/* ikediag_fields.c — ISAKMP fields to an ikd_msg_t.
 *
 * The fixed IKE header is read straight from the bytes under the ISAKMP
 * protocol item: that needs no per-field lookups and behaves the same in
 * every Wireshark series. Payload-level facts (payload types, notifies,
 * fragments, SPIs) come from the dissector's fields, which also covers the
 * payloads Wireshark decrypted. */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>
#include "ikediag_compat.h"
#include "ikediag_fields.h"

#define IKE_HEADER_LEN 28

static struct {
    int isakmp, icmp, icmpv6;
    int typepayload, notify_msgtype, frag_number, frag_total, spi, delete_spi;
} hf = { -1, -1, -1, -1, -1, -1, -1, -1, -1 };

static int id_of(const char *name)
{
    header_field_info *h = proto_registrar_get_byname(name);
    return h ? h->id : -1;
}

void ikediag_fields_resolve(void)
{
    hf.isakmp = proto_get_id_by_filter_name("isakmp");
    hf.icmp = proto_get_id_by_filter_name("icmp");
    hf.icmpv6 = proto_get_id_by_filter_name("icmpv6");
    hf.typepayload = id_of("isakmp.typepayload");
    hf.notify_msgtype = id_of("isakmp.notify.msgtype");
    hf.frag_number = id_of("isakmp.frag.number");
    hf.frag_total = id_of("isakmp.frag.total");
    hf.spi = id_of("isakmp.spi");
    hf.delete_spi = id_of("isakmp.delete.spi");
}

GArray *ikediag_fields_wanted(void)
{
    const int ids[] = { hf.isakmp, hf.icmp, hf.icmpv6, hf.typepayload, hf.notify_msgtype,
                        hf.frag_number, hf.frag_total, hf.spi, hf.delete_spi };
    if (hf.isakmp < 0)
        return NULL;
    GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint i = 0; i < G_N_ELEMENTS(ids); i++)
        if (ids[i] >= 0)
            g_array_append_val(a, ids[i]);
    return a;
}

static GPtrArray *fields(proto_tree *tree, int id)
{
    return id >= 0 ? proto_get_finfo_ptr_array(tree, id) : NULL;
}

void ikediag_copy_addr(const address *a, ikd_addr_t *out)
{
    memset(out, 0, sizeof *out);
    if (a->type == AT_IPv4 && a->len == 4) {
        out->family = 4;
        memcpy(out->bytes, a->data, 4);
    } else if (a->type == AT_IPv6 && a->len == 16) {
        out->family = 6;
        memcpy(out->bytes, a->data, 16);
    }
}

static gboolean read_header(const field_info *fi, ikd_msg_t *m)
{
    tvbuff_t *tvb = fi->ds_tvb;
    gint off = fi->start;

    if (!tvb || off < 0 || tvb_captured_length_remaining(tvb, off) < IKE_HEADER_LEN)
        return FALSE;
    m->ispi = tvb_get_ntoh64(tvb, off);
    m->rspi = tvb_get_ntoh64(tvb, off + 8);
    m->version = tvb_get_guint8(tvb, off + 17) >> 4;
    m->exchange = tvb_get_guint8(tvb, off + 18);
    guint8 flags = tvb_get_guint8(tvb, off + 19);
    m->mid = tvb_get_ntohl(tvb, off + 20);
    m->length = tvb_get_ntohl(tvb, off + 24);
    if (m->version == 2) {
        m->flag_initiator = (flags & 0x08) != 0;
        m->flag_response = (flags & 0x20) != 0;
    }
    /* The whole message as captured, so that copies compare equal. */
    gint len = MIN(fi->length, tvb_captured_length_remaining(tvb, off));
    if (len < IKE_HEADER_LEN)
        len = IKE_HEADER_LEN;
    m->digest = ikd_digest(tvb_get_ptr(tvb, off, len), (gsize)len);
    return TRUE;
}

/* NAT_DETECTION notify data follows the type and the SPI (RFC 7296 §3.10). */
static void read_natd(const field_info *fi, guint16 type, ikd_msg_t *m)
{
    tvbuff_t *tvb = fi->ds_tvb;
    gint type_off = fi->start;
    /* generic header (4) | protocol id | SPI size | type (2) | SPI | data */
    if (type_off < 6 || !tvb_bytes_exist(tvb, type_off - 6, 8))
        return;
    guint16 paylen = tvb_get_ntohs(tvb, type_off - 4);
    guint8 spisize = tvb_get_guint8(tvb, type_off - 1);
    gint data_off = type_off + 2 + spisize;
    if (paylen != 8 + spisize + IKD_NATD_LEN || !tvb_bytes_exist(tvb, data_off, IKD_NATD_LEN))
        return;
    if (type == IKD_N_NAT_DETECTION_SOURCE_IP) {
        if (m->n_natd_src < IKD_MAX_NATD_SRC)
            tvb_memcpy(tvb, m->natd_src[m->n_natd_src++], data_off, IKD_NATD_LEN);
    } else if (!m->has_natd_dst) {
        tvb_memcpy(tvb, m->natd_dst, data_off, IKD_NATD_LEN);
        m->has_natd_dst = TRUE;
    }
}

static void read_payload_facts(proto_tree *tree, ikd_msg_t *m)
{
    GPtrArray *a;

    if ((a = fields(tree, hf.typepayload)))
        for (guint i = 0; i < a->len; i++)
            ikd_msg_add_payload(m, (guint8)ikd_fi_uint((field_info *)a->pdata[i]));
    if ((a = fields(tree, hf.notify_msgtype)))
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = a->pdata[i];
            guint16 type = (guint16)ikd_fi_uint(fi);
            ikd_msg_add_notify(m, type);
            if (m->version == 2 && (type == IKD_N_NAT_DETECTION_SOURCE_IP
                                    || type == IKD_N_NAT_DETECTION_DESTINATION_IP))
                read_natd(fi, type, m);
        }
    if (m->version == 2 && ikd_msg_has_payload(m, IKD_PL_SKF)) {
        if ((a = fields(tree, hf.frag_number)) && a->len)
            m->frag_num = (guint16)ikd_fi_uint((field_info *)a->pdata[0]);
        if ((a = fields(tree, hf.frag_total)) && a->len)
            m->frag_total = (guint16)ikd_fi_uint((field_info *)a->pdata[0]);
    }
    if ((a = fields(tree, hf.spi)))
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = a->pdata[i];
            if (fi->length == 8 && tvb_bytes_exist(fi->ds_tvb, fi->start, 8)) {
                m->has_rekey_spi = TRUE;
                m->rekey_spi = tvb_get_ntoh64(fi->ds_tvb, fi->start);
                break;
            }
        }
    if ((a = fields(tree, hf.delete_spi)))
        m->n_delete_spis = (guint16)MIN(a->len, G_MAXUINT16);
}

gboolean ikediag_fields_extract(proto_tree *tree, packet_info *pinfo, ikd_msg_t *m)
{
    GPtrArray *a = fields(tree, hf.isakmp);
    if (!a || !a->len)
        return FALSE;
    /* An ICMP error quoting an IKE packet is not a message of the exchange. */
    GPtrArray *icmp = fields(tree, hf.icmp);
    GPtrArray *icmp6 = fields(tree, hf.icmpv6);
    if ((icmp && icmp->len) || (icmp6 && icmp6->len))
        return FALSE;

    memset(m, 0, sizeof *m);
    if (!read_header(a->pdata[0], m))
        return FALSE;
    m->frame = pinfo->num;
    m->time = nstime_to_sec(&pinfo->rel_ts); /* small numbers keep ns precision */
    ikediag_copy_addr(&pinfo->src, &m->src);
    ikediag_copy_addr(&pinfo->dst, &m->dst);
    m->sport = (guint16)pinfo->srcport;
    m->dport = (guint16)pinfo->destport;
    read_payload_facts(tree, m);
    return TRUE;
}
