/* ikd_engine.h — the ikediag diagnosis engine.
 *
 * Pure C + GLib, no Wireshark headers: the glue turns each ISAKMP message
 * into an ikd_msg_t, feeds them in capture order, and renders the verdicts.
 * Everything here is unit-tested without Wireshark (tests/unit).
 */
#ifndef IKD_ENGINE_H
#define IKD_ENGINE_H

#include <glib.h>
#include "ikd_ids.h"

#define IKD_MAX_NOTIFIES 16 /* notifies kept per message; more are counted */
#define IKD_MAX_NATD_SRC 4  /* NAT_DETECTION_SOURCE_IP notifies kept */
#define IKD_NATD_LEN 20     /* SHA-1 */

typedef struct {
    guint8 family; /* 0 = unknown, 4 or 6 */
    guint8 bytes[16];
} ikd_addr_t;

/* One IKE message as the glue saw it. */
typedef struct {
    guint32 frame;
    double time; /* seconds; only differences matter */
    ikd_addr_t src, dst;
    guint16 sport, dport;

    guint8 version; /* major version: 1 or 2 */
    guint64 ispi, rspi;
    guint8 exchange;
    gboolean flag_initiator; /* IKEv2 I flag */
    gboolean flag_response;  /* IKEv2 R flag */
    guint32 mid;
    guint32 length;  /* IKE header length */
    guint64 digest;  /* of the message bytes (ikd_digest) */

    guint16 frag_num, frag_total; /* RFC 7383 Encrypted Fragment; 0 if none */

    guint32 payloads[8]; /* bitmap of payload types seen, inner ones included */
    guint16 notifies[IKD_MAX_NOTIFIES];
    guint8 n_notifies;
    gboolean notifies_truncated;

    guint8 natd_src[IKD_MAX_NATD_SRC][IKD_NATD_LEN];
    guint8 n_natd_src;
    guint8 natd_dst[IKD_NATD_LEN];
    gboolean has_natd_dst;

    gboolean has_rekey_spi; /* an 8-byte proposal SPI: IKE SA rekey */
    guint64 rekey_spi;
    guint16 n_delete_spis;  /* SPIs listed in Delete payloads */
} ikd_msg_t;

typedef enum {
    IKD_ROLE_INITIATOR = 0,
    IKD_ROLE_RESPONDER = 1
} ikd_role_t;

typedef enum {
    IKD_PHASE_IKE_SA = 0,
    IKD_PHASE_CHILD_SA = 1
} ikd_phase_t;

/* Findings on one message (bit mask). */
enum {
    IKD_F_RETRANSMISSION = 1u << 0,
    IKD_F_RETRY = 1u << 1,
    IKD_F_NAT_FLOAT = 1u << 2,
    IKD_F_ERROR = 1u << 3,          /* at least one error notify */
    IKD_F_RESPONSE_LOST = 1u << 4,  /* request repeated after its response */
    IKD_F_ORPHAN_RESPONSE = 1u << 5,/* response whose request is not in the capture */
    IKD_F_MIDSTREAM = 1u << 6,      /* first message of an SA joined mid-stream */
    IKD_F_HIDDEN = 1u << 7,         /* IKE_AUTH response not decrypted */
    IKD_F_ESTABLISHED = 1u << 8,    /* this message established the IKE SA */
    IKD_F_DELETE = 1u << 9,         /* deletes the IKE SA */
    IKD_F_ADDR_CHANGE = 1u << 10,   /* sender's address/port changed (not the float) */
    IKD_F_NAT_DETECTED = 1u << 11,  /* NAT-D hashes disagree with what is seen */
    IKD_F_REKEYED = 1u << 12,       /* a CREATE_CHILD_SA that rekeyed the IKE SA */
    IKD_F_TOO_MANY = 1u << 13,      /* copies beyond what the engine tracks */
    IKD_F_FRAGMENT = 1u << 14,      /* one RFC 7383 fragment of a message */
    IKD_F_RESTART = 1u << 15        /* a new IKE SA replacing one given up on */
};

/* NAT findings from the NAT_DETECTION hashes (bit mask), per message and SA.
 * Each says which peer's hash disagrees with the addresses seen here. */
enum {
    IKD_NAT_INITIATOR_SRC = 1u << 0, /* initiator's own address translated before here */
    IKD_NAT_INITIATOR_DST = 1u << 1, /* initiator addressed the responder elsewhere */
    IKD_NAT_RESPONDER_SRC = 1u << 2, /* responder's own address translated before here */
    IKD_NAT_RESPONDER_DST = 1u << 3  /* responder sees the initiator elsewhere */
};

typedef struct {
    guint16 type;
    guint8 phase;   /* ikd_phase_t */
    guint8 role;    /* sender's ikd_role_t */
    guint8 exchange;
    guint32 frame;
} ikd_error_t;

typedef enum {
    IKD_ST_NEGOTIATING = 0, /* IKE_SA_INIT under way */
    IKD_ST_INIT_DONE,       /* IKE_SA_INIT answered, IKE_AUTH pending */
    IKD_ST_ESTABLISHED,
    IKD_ST_FAILED,
    IKD_ST_DELETED,
    IKD_ST_HIDDEN
} ikd_state_t;

typedef struct ikd_attempt ikd_attempt_t;

/* An IKE SA as seen so far. Read-only for the glue. */
typedef struct ikd_engine ikd_engine_t;

typedef struct ikd_sa {
    const ikd_engine_t *engine;
    guint32 id; /* 1-based, order of first appearance */
    guint8 version;
    guint64 ispi, rspi;
    gboolean midstream;
    ikd_addr_t init_addr, resp_addr; /* as first seen */
    guint16 init_port, resp_port;
    ikd_addr_t init_cur_addr, resp_cur_addr; /* as last seen */
    guint16 init_cur_port, resp_cur_port;
    guint32 float_frame;
    guint32 first_frame, last_frame;
    double first_time, last_time;

    guint32 n_messages;
    guint32 n_exchanges[IKD_XCHG_COUNT_SLOTS]; /* requests per exchange slot */
    guint32 n_requests;
    guint32 n_retransmissions;
    guint32 max_retransmissions; /* largest count on one message */
    guint32 n_open;              /* requests without a response so far */

    ikd_state_t state;
    guint16 fail_type;   /* notify that failed it */
    guint8 fail_exchange;
    guint32 decided_frame;
    guint8 nat;          /* IKD_NAT_* */
    guint32 rekeyed_from, rekeyed_to; /* SA ids, 0 if none */
    guint32 restart_of, restarted_as; /* SA given up on and its replacement */

    GArray *errors;      /* ikd_error_t, NULL until the first */
    ikd_attempt_t *last_request; /* most recent negotiation request */
} ikd_sa_t;

/* The verdict on one message. Owned by the engine; pointers stay valid until
 * ikd_engine_free(). Fields that depend on later messages are read through
 * the accessors below, so they are right once the capture has been read. */
typedef struct {
    ikd_sa_t *sa;
    ikd_attempt_t *attempt;
    const ikd_error_t *errors; /* n_errors entries */
    guint32 frame;
    guint32 mid;
    guint32 findings;     /* IKD_F_* */
    guint32 retrans_count;
    guint32 retrans_original;
    guint32 retry_previous;
    guint32 lost_response_frame;
    guint16 retry_reason; /* notify answered to the previous attempt, or 0 */
    guint16 frag_num, frag_total;
    guint8 role;          /* sender's ikd_role_t */
    guint8 exchange;
    guint8 is_response;
    guint8 is_request;    /* IKEv1 messages are neither */
    guint8 nat;           /* IKD_NAT_* found on this message */
    guint8 n_errors;
} ikd_verdict_t; /* one per IKE message of a capture: kept at 64 bytes */

ikd_engine_t *ikd_engine_new(void);
void ikd_engine_free(ikd_engine_t *eng);

/* At most max IKE SAs are tracked (0: no limit, the default). Messages that
 * would start another one get no verdict: a capture of a SPI-spraying flood
 * then costs bounded memory. */
void ikd_engine_set_max_sas(ikd_engine_t *eng, guint max);
/* Messages refused by that limit, and the frame of the first. */
guint64 ikd_engine_untracked(const ikd_engine_t *eng, guint32 *first_frame);

/* Feed one message; returns its verdict, or NULL for a message that cannot be
 * analysed (no SPI, unknown version, IKE SA limit reached). */
const ikd_verdict_t *ikd_engine_process(ikd_engine_t *eng, const ikd_msg_t *msg);

/* RFC 7383: only fragment 1 names the type of the first inner payload, and
 * Wireshark shows the reassembled payloads on the fragment that completes
 * the message. The glue notes the one and takes it back for the other
 * (0 if not known). At most IKD_MAX_OPEN_FRAGMENTED messages are remembered. */
#define IKD_MAX_OPEN_FRAGMENTED 4096
void ikd_engine_note_first_inner(ikd_engine_t *eng, const ikd_msg_t *m, guint8 type);
guint8 ikd_engine_take_first_inner(ikd_engine_t *eng, const ikd_msg_t *m);

/* What the engine holds, for logs: a re-dissection of the same capture must
 * give the same numbers. digest covers every SA's outcome and counters. */
typedef struct {
    guint n_sas;
    guint64 n_messages;
    guint32 digest;
} ikd_engine_summary_t;
void ikd_engine_summarize(const ikd_engine_t *eng, ikd_engine_summary_t *s);

guint ikd_engine_sa_count(const ikd_engine_t *eng);
const ikd_sa_t *ikd_engine_sa(const ikd_engine_t *eng, guint index);

/* Late-bound facts, right once every message has been fed. */
guint32 ikd_verdict_response_in(const ikd_verdict_t *v);
guint32 ikd_verdict_response_to(const ikd_verdict_t *v);
gboolean ikd_verdict_rtt(const ikd_verdict_t *v, double *seconds);
/* A request with no response, once it was sent again or the capture went on
 * for IKD_ANSWER_GRACE seconds after it: a lone request at the very end of
 * a capture is only pending. */
#define IKD_ANSWER_GRACE 1.0
gboolean ikd_verdict_unanswered(const ikd_verdict_t *v);
/* Transmissions of this request and the seconds they spanned. */
void ikd_verdict_transmissions(const ikd_verdict_t *v, guint *count, double *span);

/* One attempt at an exchange, as far as the capture shows it. */
typedef struct {
    guint32 request_frame;  /* first transmission, 0 if not in the capture */
    guint32 response_frame; /* first response, 0 if none */
    double rtt;             /* valid when both frames are set */
    guint16 response_error; /* first error notify in the response, 0 if none */
    gboolean unanswered;    /* see ikd_verdict_unanswered() */
    gboolean retried;       /* replaced by a later attempt with new content */
} ikd_attempt_info_t;
void ikd_attempt_get_info(const ikd_attempt_t *a, ikd_attempt_info_t *info);

/* "established", "failed:NAME", ... or NULL while undecided and the capture
 * is not complete. Writes into buf (at least IKD_OUTCOME_MAX bytes). */
#define IKD_OUTCOME_MAX 48
const char *ikd_sa_outcome(const ikd_sa_t *sa, gboolean capture_complete, char *buf);
guint ikd_sa_unanswered(const ikd_sa_t *sa);

/* True for error notifies a healthy negotiation recovers from by itself. */
gboolean ikd_error_is_recoverable(guint16 type);

/* What an error notify concerns, from the exchange that carries it. */
ikd_phase_t ikd_error_phase(guint8 version, guint8 exchange, guint16 type, gboolean rekeys_ike);

/* Digest of message bytes: FNV-1a 64. */
guint64 ikd_digest(const guint8 *data, gsize len);

static inline void ikd_msg_add_payload(ikd_msg_t *m, guint8 type)
{
    m->payloads[type >> 5] |= 1u << (type & 31);
}
static inline gboolean ikd_msg_has_payload(const ikd_msg_t *m, guint8 type)
{
    return (m->payloads[type >> 5] >> (type & 31)) & 1u;
}
void ikd_msg_add_notify(ikd_msg_t *m, guint16 type);

#endif
