/* ikediag_fields.c — one IKE message out of the ISAKMP dissector's work.
 *
 * The ISAKMP protocol item says where the message is; its header and payload
 * chain are read from those bytes (plugin/engine/ikd_payloads.c), which
 * behaves the same in every Wireshark series and makes the ISAKMP dissector
 * build no extra tree items. Only what Wireshark decrypted or reassembled is
 * found through fields: one item per such message, none without keys. */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include "ikediag_compat.h"
#include "ikediag_fields.h"
#include "ikd_payloads.h"

#define V1_FLAG_ENCRYPTED 0x01

static struct {
    int isakmp;
    int contained, fragments; /* IKEv2 decrypted payloads, RFC 7383 reassembly */
    int icmp, icmpv6;         /* protocols, looked for in the frame's layers */
} hf = { -1, -1, -1, -1, -1 };

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
    hf.contained = id_of("isakmp.enc.contained");
    hf.fragments = id_of("isakmp.fragments");
}

GArray *ikediag_fields_wanted(void)
{
    /* Every wanted field costs every packet a priming step: keep few. */
    const int ids[] = { hf.isakmp, hf.contained, hf.fragments };
    if (hf.isakmp < 0)
        return NULL;
    GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint i = 0; i < G_N_ELEMENTS(ids); i++)
        if (ids[i] >= 0)
            g_array_append_val(a, ids[i]);
    return a;
}

static const field_info *first_field(proto_tree *tree, int id)
{
    GPtrArray *a = id >= 0 ? proto_get_finfo_ptr_array(tree, id) : NULL;
    return a && a->len ? a->pdata[0] : NULL;
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

/* Walks len bytes of tvb from off (as far as they were captured). */
static void walk_tvb(ikd_msg_t *m, tvbuff_t *tvb, gint off, gint len, guint8 first, ikd_walk_t *w)
{
    memset(w, 0, sizeof *w);
    if (!tvb || off < 0 || len <= 0)
        return;
    gint avail = tvb_captured_length_remaining(tvb, off);
    len = MIN(len, avail);
    if (len > 0)
        ikd_payloads_walk(m, tvb_get_ptr(tvb, off, len), (gsize)len, first, w);
}

static void walk_field(ikd_msg_t *m, const field_info *fi, guint8 first)
{
    ikd_walk_t w;
    if (fi && first)
        walk_tvb(m, fi->ds_tvb, fi->start, fi->length, first, &w);
}

/* What Wireshark decrypted: an IKEv2 SK payload's contents, the payloads of
 * a reassembled RFC 7383 message, or an IKEv1 message decrypted whole. */
static void walk_decrypted(ikd_engine_t *eng, proto_tree *tree, packet_info *pinfo, ikd_msg_t *m,
                           const ikd_walk_t *outer, guint8 v1_first, gboolean v1_encrypted)
{
    if (m->version == 1) {
        tvbuff_t *tvb = v1_encrypted ? ikd_data_source_tvb(pinfo, "Decrypted IKE") : NULL;
        ikd_walk_t w;
        if (tvb)
            walk_tvb(m, tvb, 0, tvb_reported_length(tvb), v1_first, &w);
        return;
    }
    if (!outer->encrypted)
        return;
    if (!ikd_msg_has_payload(m, IKD_PL_SKF)) {
        walk_field(m, first_field(tree, hf.contained), outer->inner_first);
        return;
    }
    if (m->frag_num == 1 && m->frag_total > 1)
        ikd_engine_note_first_inner(eng, m, outer->inner_first);
    const field_info *whole = first_field(tree, hf.fragments);
    if (whole)
        walk_field(m, whole, ikd_engine_take_first_inner(eng, m));
    else if (m->frag_num == 1 && m->frag_total == 1)
        walk_field(m, first_field(tree, hf.contained), outer->inner_first);
}

/* The fixed header and the payload chain in the clear. */
static gboolean read_message(ikd_engine_t *eng, proto_tree *tree, packet_info *pinfo,
                             const field_info *fi, ikd_msg_t *m)
{
    tvbuff_t *tvb = fi->ds_tvb;
    gint off = fi->start;

    if (!tvb || off < 0 || tvb_captured_length_remaining(tvb, off) < IKD_IKE_HEADER_LEN)
        return FALSE;
    m->ispi = tvb_get_ntoh64(tvb, off);
    m->rspi = tvb_get_ntoh64(tvb, off + 8);
    guint8 first = tvb_get_guint8(tvb, off + 16);
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
    if (len < IKD_IKE_HEADER_LEN)
        len = IKD_IKE_HEADER_LEN;
    m->digest = ikd_digest(tvb_get_ptr(tvb, off, len), (gsize)len);

    /* The header's length bounds the chain; a bogus one is not trusted
     * beyond the ISAKMP item. */
    gint body = len - IKD_IKE_HEADER_LEN;
    if (m->length >= IKD_IKE_HEADER_LEN && m->length - IKD_IKE_HEADER_LEN < (guint32)body)
        body = (gint)(m->length - IKD_IKE_HEADER_LEN);
    gboolean v1_encrypted = m->version == 1 && (flags & V1_FLAG_ENCRYPTED);
    ikd_walk_t outer;
    memset(&outer, 0, sizeof outer);
    if ((m->version == 1 && !v1_encrypted) || m->version == 2)
        walk_tvb(m, tvb, off + IKD_IKE_HEADER_LEN, body, first, &outer);
    walk_decrypted(eng, tree, pinfo, m, &outer, first, v1_encrypted);
    return TRUE;
}

/* An ICMP error quoting an IKE packet is not a message of the exchange. The
 * frame's layers say so without a wanted field (one walk, for ISAKMP frames). */
static gboolean in_icmp_error(const packet_info *pinfo)
{
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if ((id == hf.icmp || id == hf.icmpv6) && id >= 0)
            return TRUE;
    }
    return FALSE;
}

gboolean ikediag_fields_extract(proto_tree *tree, packet_info *pinfo, ikd_engine_t *eng, ikd_msg_t *m)
{
    const field_info *isakmp = first_field(tree, hf.isakmp);
    if (!isakmp)
        return FALSE;
    if (in_icmp_error(pinfo))
        return FALSE;

    memset(m, 0, sizeof *m);
    m->frame = pinfo->num;
    m->time = nstime_to_sec(&pinfo->rel_ts); /* small numbers keep ns precision */
    ikediag_copy_addr(&pinfo->src, &m->src);
    ikediag_copy_addr(&pinfo->dst, &m->dst);
    m->sport = (guint16)pinfo->srcport;
    m->dport = (guint16)pinfo->destport;
    return read_message(eng, tree, pinfo, isakmp, m);
}
