/* packet-ikediag.c — the ikediag post-dissector: registration and rendering.
 *
 * The first (unvisited) pass reads each IKE message out of the ISAKMP tree,
 * feeds it to the engine and stores the verdict with p_add_proto_data. Every
 * pass, single-pass or not, renders from the stored verdict, so tshark,
 * tshark -2 and the GUI show the same thing. Findings that depend on later
 * packets (response_in, unanswered, outcome) are read from the engine when
 * rendering, and are final once the first pass is complete.
 */
#define WS_BUILD_DLL
#define WS_LOG_DOMAIN "ikediag"
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include "ikediag_compat.h"
#include "ikediag.h"
#include "ikediag_fields.h"
#include "ikediag_tap.h"
#include "ikd_engine.h"
#include "ikd_text.h"

static int proto_ikediag = -1;
static dissector_handle_t ikediag_handle;
static ikd_engine_t *engine;
static ikd_pref_bool_t pref_enabled = TRUE;
/* Bounds memory on captures of SPI-spraying floods: about 1 KB per IKE SA. */
#define IKEDIAG_DEFAULT_MAX_SAS 500000
static guint pref_max_sas = IKEDIAG_DEFAULT_MAX_SAS;

static int ikediag_tap = -1;

static int hf_ikediag_sa = -1;
static int hf_ikediag_role = -1;
static int hf_ikediag_response_in = -1;
static int hf_ikediag_response_to = -1;
static int hf_ikediag_time = -1;
static int hf_ikediag_retransmission = -1;
static int hf_ikediag_retransmission_original = -1;
static int hf_ikediag_retransmission_count = -1;
static int hf_ikediag_retry = -1;
static int hf_ikediag_retry_previous = -1;
static int hf_ikediag_unanswered = -1;
static int hf_ikediag_transmissions = -1;
static int hf_ikediag_response_lost = -1;
static int hf_ikediag_nat_float = -1;
static int hf_ikediag_nat_detected = -1;
static int hf_ikediag_error = -1;
static int hf_ikediag_error_phase = -1;
static int hf_ikediag_outcome = -1;
static int hf_ikediag_analysis_flags = -1;

static gint ett_ikediag = -1;
static gint ett_ikediag_error = -1;

static expert_field ei_ikediag_retransmission = EI_INIT;
static expert_field ei_ikediag_retry = EI_INIT;
static expert_field ei_ikediag_unanswered = EI_INIT;
static expert_field ei_ikediag_response_lost = EI_INIT;
static expert_field ei_ikediag_nat_float = EI_INIT;
static expert_field ei_ikediag_nat_detected = EI_INIT;
static expert_field ei_ikediag_addr_change = EI_INIT;
static expert_field ei_ikediag_error = EI_INIT;
static expert_field ei_ikediag_error_recoverable = EI_INIT;
static expert_field ei_ikediag_hidden = EI_INIT;
static expert_field ei_ikediag_established = EI_INIT;
static expert_field ei_ikediag_deleted = EI_INIT;
static expert_field ei_ikediag_rekeyed = EI_INIT;
static expert_field ei_ikediag_midstream = EI_INIT;
static expert_field ei_ikediag_orphan_response = EI_INIT;
static expert_field ei_ikediag_too_many = EI_INIT;
static expert_field ei_ikediag_restart = EI_INIT;
static expert_field ei_ikediag_sa_limit = EI_INIT;

/* --- per-capture state ---------------------------------------------------- */

/* "--log-level info --log-domains ikediag" shows each engine's life: a
 * re-dissection (reload, preference change) must free the old one and build
 * the same results again (tests/gui/redissect.sh relies on these lines). */
static void log_engine(const char *what)
{
    if (!ws_log_msg_is_active(WS_LOG_DOMAIN, LOG_LEVEL_INFO))
        return;
    ikd_engine_summary_t s;
    ikd_engine_summarize(engine, &s);
    ws_info("engine %s: %u IKE SAs, %" G_GUINT64_FORMAT " messages, digest %08x, analysis %s",
            what, s.n_sas, s.n_messages, s.digest, pref_enabled ? "on" : "off");
}

static void ikediag_init(void)
{
    if (engine) /* normally the cleanup routine ran */
        log_engine("freed (stale)");
    ikd_engine_free(engine);
    engine = ikd_engine_new();
    ikd_engine_set_max_sas(engine, pref_max_sas);
    log_engine("created");
}

guint64 ikediag_untracked(guint *max_sas, guint32 *first_frame)
{
    *max_sas = pref_max_sas;
    return ikd_engine_untracked(engine, first_frame);
}

static void ikediag_cleanup(void)
{
    if (engine)
        log_engine("freed");
    ikd_engine_free(engine);
    engine = NULL;
}

/* --- rendering --------------------------------------------------------------- */

static gboolean warns(const ikd_verdict_t *v, gboolean unanswered)
{
    if (unanswered
        || (v->findings & (IKD_F_RETRANSMISSION | IKD_F_RESPONSE_LOST | IKD_F_TOO_MANY
                           | IKD_F_RESTART)))
        return TRUE;
    for (guint i = 0; i < v->n_errors; i++)
        if (!ikd_error_is_recoverable(v->errors[i].type))
            return TRUE;
    return FALSE;
}

static void add_errors(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                       const ikd_verdict_t *v, const ikd_addr_t *sender)
{
    char text[IKD_TEXT_MAX];
    for (guint i = 0; i < v->n_errors; i++) {
        const ikd_error_t *e = &v->errors[i];
        proto_item *it = proto_tree_add_uint_format_value(
            tree, hf_ikediag_error, tvb, 0, 0, e->type, "%s (%u)",
            ikd_notify_name(v->sa->version, e->type), e->type);
        proto_item_set_generated(it);
        proto_tree *et = proto_item_add_subtree(it, ett_ikediag_error);
        proto_item_set_generated(
            proto_tree_add_string(et, hf_ikediag_error_phase, tvb, 0, 0, ikd_phase_name(e->phase)));
        expert_add_info_format(pinfo, it,
                               ikd_error_is_recoverable(e->type) ? &ei_ikediag_error_recoverable
                                                                 : &ei_ikediag_error,
                               "%s", ikd_text_error(v, e, sender, text));
        col_append_fstr(pinfo->cinfo, COL_INFO, " [%s]", ikd_notify_name(v->sa->version, e->type));
    }
}

static proto_item *add_bool(proto_tree *tree, int hf, tvbuff_t *tvb)
{
    proto_item *it = proto_tree_add_boolean(tree, hf, tvb, 0, 0, TRUE);
    proto_item_set_generated(it);
    return it;
}

static proto_item *add_frame(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame)
{
    proto_item *it = proto_tree_add_uint(tree, hf, tvb, 0, 0, frame);
    proto_item_set_generated(it);
    return it;
}

static void render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *parent, const ikd_verdict_t *v)
{
    const ikd_sa_t *sa = v->sa;
    gboolean complete = PINFO_FD_VISITED(pinfo);
    gboolean unanswered = complete && ikd_verdict_unanswered(v);
    char text[IKD_TEXT_MAX];
    char outcome_buf[IKD_OUTCOME_MAX];
    ikd_addr_t sender;
    proto_item *it;

    ikediag_copy_addr(&pinfo->src, &sender);

    proto_item *top = proto_tree_add_item(parent, proto_ikediag, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_tree *tree = proto_item_add_subtree(top, ett_ikediag);
    proto_item_append_text(top, ", IKE SA #%u, %s", sa->id, ikd_role_name(v->role));

    it = proto_tree_add_uint(tree, hf_ikediag_sa, tvb, 0, 0, sa->id);
    proto_item_set_generated(it);
    it = proto_tree_add_string(tree, hf_ikediag_role, tvb, 0, 0, ikd_role_name(v->role));
    proto_item_set_generated(it);
    if (v->findings & IKD_F_MIDSTREAM)
        expert_add_info_format(pinfo, it, &ei_ikediag_midstream, "%s", ikd_text_midstream(v, text));

    guint32 resp_in = ikd_verdict_response_in(v);
    if (resp_in && complete)
        add_frame(tree, hf_ikediag_response_in, tvb, resp_in);
    guint32 resp_to = ikd_verdict_response_to(v);
    if (resp_to) {
        add_frame(tree, hf_ikediag_response_to, tvb, resp_to);
        double rtt;
        if (ikd_verdict_rtt(v, &rtt)) {
            nstime_t ns;
            gint64 total = (gint64)(rtt * 1e9 + (rtt < 0 ? -0.5 : 0.5));
            ns.secs = (time_t)(total / 1000000000);
            ns.nsecs = (int)(total % 1000000000);
            it = proto_tree_add_time(tree, hf_ikediag_time, tvb, 0, 0, &ns);
            proto_item_set_generated(it);
        }
    } else if (v->findings & IKD_F_ORPHAN_RESPONSE) {
        expert_add_info_format(pinfo, top, &ei_ikediag_orphan_response, "%s",
                               ikd_text_orphan(v, text));
    }

    if (v->findings & IKD_F_RETRANSMISSION) {
        it = add_bool(tree, hf_ikediag_retransmission, tvb);
        expert_add_info_format(pinfo, it, &ei_ikediag_retransmission, "%s",
                               ikd_text_retransmission(v, text));
        add_frame(tree, hf_ikediag_retransmission_original, tvb, v->retrans_original);
        proto_item_set_generated(
            proto_tree_add_uint(tree, hf_ikediag_retransmission_count, tvb, 0, 0, v->retrans_count));
        col_append_fstr(pinfo->cinfo, COL_INFO, " [Retransmission #%u]", v->retrans_count);
    }
    if (v->findings & IKD_F_RETRY) {
        it = add_bool(tree, hf_ikediag_retry, tvb);
        expert_add_info_format(pinfo, it, &ei_ikediag_retry, "%s", ikd_text_retry(v, text));
        add_frame(tree, hf_ikediag_retry_previous, tvb, v->retry_previous);
        col_append_str(pinfo->cinfo, COL_INFO, " [Retry]");
    }
    if (v->findings & IKD_F_RESPONSE_LOST) {
        it = add_bool(tree, hf_ikediag_response_lost, tvb);
        expert_add_info_format(pinfo, it, &ei_ikediag_response_lost, "%s",
                               ikd_text_response_lost(v, text));
        col_append_str(pinfo->cinfo, COL_INFO, " [Response lost]");
    }
    if (unanswered) {
        guint count;
        double span;
        it = add_bool(tree, hf_ikediag_unanswered, tvb);
        expert_add_info_format(pinfo, it, &ei_ikediag_unanswered, "%s",
                               ikd_text_unanswered(v, text));
        ikd_verdict_transmissions(v, &count, &span);
        proto_item_set_generated(
            proto_tree_add_uint(tree, hf_ikediag_transmissions, tvb, 0, 0, count));
        col_append_str(pinfo->cinfo, COL_INFO, " [No response]");
    }
    if (v->findings & IKD_F_NAT_FLOAT) {
        it = add_bool(tree, hf_ikediag_nat_float, tvb);
        expert_add_info_format(pinfo, it, &ei_ikediag_nat_float, "%s", ikd_text_float(v, text));
        col_append_str(pinfo->cinfo, COL_INFO, " [NAT-T float]");
    }
    if (v->findings & IKD_F_NAT_DETECTED) {
        it = add_bool(tree, hf_ikediag_nat_detected, tvb);
        ikd_addr_t receiver;
        ikediag_copy_addr(&pinfo->dst, &receiver);
        expert_add_info_format(pinfo, it, &ei_ikediag_nat_detected, "%s",
                               ikd_text_nat(v, &sender, (guint16)pinfo->srcport, &receiver,
                                            (guint16)pinfo->destport, text));
    }
    if (v->findings & IKD_F_ADDR_CHANGE)
        expert_add_info_format(pinfo, top, &ei_ikediag_addr_change, "%s",
                               ikd_text_addr_change(v, &sender, (guint16)pinfo->srcport, text));
    if (v->findings & IKD_F_RESTART)
        expert_add_info_format(pinfo, top, &ei_ikediag_restart, "%s",
                               ikd_text_restart(v, engine, text));
    if (v->findings & IKD_F_TOO_MANY)
        expert_add_info(pinfo, top, &ei_ikediag_too_many);

    add_errors(tree, pinfo, tvb, v, &sender);

    if (v->findings & IKD_F_HIDDEN)
        expert_add_info_format(pinfo, top, &ei_ikediag_hidden, "%s", ikd_text_hidden(v, text));
    if (v->findings & IKD_F_ESTABLISHED)
        expert_add_info_format(pinfo, top, &ei_ikediag_established, "%s",
                               ikd_text_established(v, text));
    if (v->findings & IKD_F_REKEYED)
        expert_add_info_format(pinfo, top, &ei_ikediag_rekeyed, "%s", ikd_text_rekeyed(v, text));
    if (v->findings & IKD_F_DELETE)
        expert_add_info_format(pinfo, top, &ei_ikediag_deleted, "%s",
                               ikd_text_delete(v, &sender, text));

    const char *outcome = ikd_sa_outcome(sa, complete, outcome_buf);
    if (outcome) {
        it = proto_tree_add_string(tree, hf_ikediag_outcome, tvb, 0, 0, outcome);
        proto_item_set_generated(it);
    }
    if (warns(v, unanswered)) {
        it = proto_tree_add_item(tree, hf_ikediag_analysis_flags, tvb, 0, 0, ENC_NA);
        proto_item_set_generated(it);
    }
}

/* The first message refused by the IKE SA limit says so; the others of
 * new IKE SAs show nothing. The engine remembers which frame that was. */
static void render_sa_limit(tvbuff_t *tvb, packet_info *pinfo, proto_tree *parent)
{
    guint32 first_refused;
    if (!ikd_engine_untracked(engine, &first_refused) || first_refused != pinfo->num)
        return;
    proto_item *top = proto_tree_add_item(parent, proto_ikediag, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    expert_add_info_format(pinfo, top, &ei_ikediag_sa_limit,
                           "IKE SA limit reached: ikediag tracks at most %u IKE SA%s (preference "
                           "ikediag.max_sas); from here on, messages of new IKE SAs are not analysed",
                           pref_max_sas, pref_max_sas == 1 ? "" : "s");
}

static int dissect_ikediag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const ikd_verdict_t *v;

    if (!pref_enabled || !engine)
        return 0;
    if (!PINFO_FD_VISITED(pinfo)) {
        ikd_msg_t m;
        if (!ikediag_fields_extract(tree, pinfo, engine, &m))
            return 0;
        v = ikd_engine_process(engine, &m);
        if (!v) {
            render_sa_limit(tvb, pinfo, tree);
            return 0;
        }
        p_add_proto_data(wmem_file_scope(), pinfo, proto_ikediag, 0, (void *)v);
    } else {
        v = p_get_proto_data(wmem_file_scope(), pinfo, proto_ikediag, 0);
        if (!v) {
            render_sa_limit(tvb, pinfo, tree);
            return 0;
        }
    }
    render(tvb, pinfo, tree, v);
    ikediag_tap_queue(ikediag_tap, pinfo, v);
    return 0;
}

/* --- registration --------------------------------------------------------- */

static void update_wanted_fields(void)
{
    if (ikediag_handle)
        set_postdissector_wanted_hfids(ikediag_handle, pref_enabled ? ikediag_fields_wanted() : NULL);
}

/* Static, not heap: a plugin's registration-time allocations outlive its
 * unloading at exit and show up as leaks under LeakSanitizer. */
static value_string notify_vs[IKD_V2_NOTIFY_NAMES_MAX + 1];

static const value_string *notify_vals(void)
{
    for (guint i = 0; i < IKD_V2_NOTIFY_NAMES_MAX && ikd_v2_notify_names[i].name; i++) {
        notify_vs[i].value = ikd_v2_notify_names[i].value;
        notify_vs[i].strptr = ikd_v2_notify_names[i].name;
    }
    return notify_vs;
}

void proto_register_ikediag(void)
{
    static hf_register_info hf[] = {
        { &hf_ikediag_sa, { "IKE SA", "ikediag.sa", FT_UINT32, BASE_DEC, NULL, 0x0,
          "IKE SA number, in order of first appearance", HFILL } },
        { &hf_ikediag_role, { "Sender role", "ikediag.role", FT_STRING, BASE_NONE, NULL, 0x0,
          "The sender's role in this IKE SA: initiator or responder", HFILL } },
        { &hf_ikediag_response_in, { "Response in", "ikediag.response_in", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The response to this request is in this frame", HFILL } },
        { &hf_ikediag_response_to, { "Request in", "ikediag.response_to", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "This is a response to the request in this frame", HFILL } },
        { &hf_ikediag_time, { "Response time", "ikediag.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the request's first transmission to this response", HFILL } },
        { &hf_ikediag_retransmission, { "Retransmission", "ikediag.retransmission", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "A byte-identical copy of an earlier message", HFILL } },
        { &hf_ikediag_retransmission_original, { "Original", "ikediag.retransmission.original",
          FT_FRAMENUM, BASE_NONE, NULL, 0x0, "The first transmission of this message", HFILL } },
        { &hf_ikediag_retransmission_count, { "Retransmission number", "ikediag.retransmission.count",
          FT_UINT32, BASE_DEC, NULL, 0x0, "1 for the first retransmission, 2 for the second, ...", HFILL } },
        { &hf_ikediag_retry, { "Retry", "ikediag.retry", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "Same IKE SA and Message ID, different content (COOKIE, INVALID_KE_PAYLOAD)", HFILL } },
        { &hf_ikediag_retry_previous, { "Previous attempt", "ikediag.retry.previous", FT_FRAMENUM,
          BASE_NONE, NULL, 0x0, "The previous attempt at this exchange", HFILL } },
        { &hf_ikediag_unanswered, { "Unanswered", "ikediag.unanswered", FT_BOOLEAN, BASE_NONE, NULL,
          0x0, "No response to this request in the whole capture", HFILL } },
        { &hf_ikediag_transmissions, { "Transmissions", "ikediag.transmissions", FT_UINT32, BASE_DEC,
          NULL, 0x0, "How often the unanswered request was sent", HFILL } },
        { &hf_ikediag_response_lost, { "Response lost", "ikediag.response_lost", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "A request repeated after its response was seen here", HFILL } },
        { &hf_ikediag_nat_float, { "NAT-T float", "ikediag.nat.float", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "First message of the IKE SA on UDP 4500 after it began on 500", HFILL } },
        { &hf_ikediag_nat_detected, { "NAT detected", "ikediag.nat.detected", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "A NAT_DETECTION hash disagrees with the addresses seen here", HFILL } },
        { &hf_ikediag_error, { "Error notify", "ikediag.error", FT_UINT16, BASE_DEC,
          NULL, 0x0, "Error notify type (below 16384) sent in this message", HFILL } },
        { &hf_ikediag_error_phase, { "Phase", "ikediag.error.phase", FT_STRING, BASE_NONE, NULL, 0x0,
          "What the error concerns: IKE SA (phase 1) or child SA (phase 2)", HFILL } },
        { &hf_ikediag_outcome, { "Outcome", "ikediag.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
          "Final outcome of this IKE SA", HFILL } },
        { &hf_ikediag_analysis_flags, { "Analysis flags", "ikediag.analysis.flags", FT_NONE, BASE_NONE,
          NULL, 0x0, "Present on every message with a finding of warning severity or worse", HFILL } },
    };
    static gint *ett[] = { &ett_ikediag, &ett_ikediag_error };
    static ei_register_info ei[] = {
        { &ei_ikediag_retransmission, { "ikediag.expert.retransmission", PI_SEQUENCE, PI_WARN,
          "Retransmission", EXPFILL } },
        { &ei_ikediag_retry, { "ikediag.expert.retry", PI_SEQUENCE, PI_NOTE,
          "Exchange retried with new content", EXPFILL } },
        { &ei_ikediag_unanswered, { "ikediag.expert.unanswered", PI_SEQUENCE, PI_WARN,
          "No response to request", EXPFILL } },
        { &ei_ikediag_response_lost, { "ikediag.expert.response_lost", PI_SEQUENCE, PI_WARN,
          "Request repeated after its response", EXPFILL } },
        { &ei_ikediag_nat_float, { "ikediag.expert.nat_float", PI_SEQUENCE, PI_CHAT,
          "NAT-T float to UDP 4500", EXPFILL } },
        { &ei_ikediag_nat_detected, { "ikediag.expert.nat_detected", PI_PROTOCOL, PI_NOTE,
          "NAT detected", EXPFILL } },
        { &ei_ikediag_addr_change, { "ikediag.expert.address_change", PI_SEQUENCE, PI_NOTE,
          "Peer address changed", EXPFILL } },
        { &ei_ikediag_error, { "ikediag.expert.error", PI_RESPONSE_CODE, PI_ERROR,
          "Error notify", EXPFILL } },
        { &ei_ikediag_error_recoverable, { "ikediag.expert.error_recoverable", PI_RESPONSE_CODE, PI_NOTE,
          "Error notify the initiator can recover from", EXPFILL } },
        { &ei_ikediag_hidden, { "ikediag.expert.hidden", PI_DECRYPTION, PI_NOTE,
          "IKE_AUTH not decrypted: outcome hidden", EXPFILL } },
        { &ei_ikediag_established, { "ikediag.expert.established", PI_SEQUENCE, PI_CHAT,
          "IKE SA established", EXPFILL } },
        { &ei_ikediag_deleted, { "ikediag.expert.deleted", PI_SEQUENCE, PI_CHAT,
          "IKE SA deleted", EXPFILL } },
        { &ei_ikediag_rekeyed, { "ikediag.expert.rekeyed", PI_SEQUENCE, PI_CHAT,
          "IKE SA rekeyed", EXPFILL } },
        { &ei_ikediag_midstream, { "ikediag.expert.midstream", PI_SEQUENCE, PI_NOTE,
          "Capture starts in the middle of this IKE SA", EXPFILL } },
        { &ei_ikediag_orphan_response, { "ikediag.expert.orphan_response", PI_SEQUENCE, PI_NOTE,
          "Response whose request is not in the capture", EXPFILL } },
        { &ei_ikediag_restart, { "ikediag.expert.restart", PI_SEQUENCE, PI_WARN,
          "Initiator gave up and starts over with a new IKE SA", EXPFILL } },
        { &ei_ikediag_sa_limit, { "ikediag.expert.sa_limit", PI_UNDECODED, PI_WARN,
          "IKE SA limit reached: messages of further IKE SAs are not analysed", EXPFILL } },
        { &ei_ikediag_too_many, { "ikediag.expert.too_many_copies", PI_SEQUENCE, PI_WARN,
          "More distinct copies of one message than ikediag tracks; further ones are not analysed",
          EXPFILL } },
    };

    proto_ikediag = proto_register_protocol("IKE Diagnosis", "IKEDIAG", "ikediag");
    for (guint i = 0; i < array_length(hf); i++)
        if (hf[i].p_id == &hf_ikediag_error)
            hf[i].hfinfo.strings = VALS(notify_vals());
    proto_register_field_array(proto_ikediag, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto_ikediag);
    expert_register_field_array(em, ei, array_length(ei));

    module_t *prefs = prefs_register_protocol(proto_ikediag, update_wanted_fields);
    prefs_register_bool_preference(prefs, "enabled", "Analyse IKE negotiations",
                                   "Run the IKE diagnosis on every ISAKMP message. Off, ikediag "
                                   "costs nothing and shows nothing.",
                                   &pref_enabled);
    prefs_register_uint_preference(prefs, "max_sas", "Maximum IKE SAs tracked",
                                   "At most this many IKE SAs are analysed per capture (0: no "
                                   "limit). Bounds memory on captures of SPI-spraying floods; "
                                   "each IKE SA costs about 1 KB.",
                                   10, &pref_max_sas);

    ikediag_handle = create_dissector_handle(dissect_ikediag, proto_ikediag);
    register_init_routine(ikediag_init);
    register_cleanup_routine(ikediag_cleanup);
    ikediag_tap = register_tap("ikediag");
    ikediag_stats_register();
}

void proto_reg_handoff_ikediag(void)
{
    ikediag_fields_resolve();
    register_postdissector(ikediag_handle);
    update_wanted_fields();
}
