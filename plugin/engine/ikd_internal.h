/* ikd_internal.h — what the engine's files share and the glue never sees. */
#ifndef IKD_INTERNAL_H
#define IKD_INTERNAL_H

#include "ikd_engine.h"
#include "ikd_arena.h"

#define IKD_MAX_COPIES 64   /* distinct byte images tracked per message side */
#define IKD_MAX_SA_ERRORS 64

/* One byte image of a message (a fragment has its own). */
typedef struct {
    guint64 digest;
    guint32 first_frame;
    guint32 count; /* copies seen after the first */
    guint16 frag_num;
} ikd_copy_t;

/* The copies of one side (request or response) of an attempt: the first
 * inline, further fragments in an array made on demand. */
typedef struct {
    ikd_copy_t first;
    GArray *more;
    guint32 n;           /* distinct images */
    guint32 max_count;   /* largest retransmission count among them */
} ikd_copies_t;

/* One attempt at an exchange: a request (all its transmissions) and its
 * response. A retry with different bytes starts a new attempt. */
struct ikd_attempt {
    ikd_sa_t *sa;
    ikd_attempt_t *previous;
    guint64 rekey_spi;
    double req_first_time, req_last_time;
    double resp_time;
    guint32 mid;
    guint32 req_first_frame, req_last_frame;
    guint32 resp_first_frame;
    guint16 resp_reason;  /* first error notify (or COOKIE) in the response */
    guint8 by_initiator;  /* requester is the SA's original initiator */
    guint8 exchange;
    guint8 has_request;
    guint8 rekey_request; /* request proposed a new IKE SA SPI */
    guint8 superseded;    /* a retry replaced it */
    ikd_copies_t req, resp;
};

struct ikd_engine {
    GPtrArray *sas;          /* ikd_sa_t*, owned */
    GHashTable *by_spis;     /* (ispi, rspi) -> sa */
    GHashTable *by_ispi;     /* ispi -> sa, for messages with a zero rspi */
    GHashTable *by_peers;    /* (initiator, responder address) -> latest fresh sa */
    GHashTable *attempts;    /* set of the current attempt per (sa, mid, dir) */
    GPtrArray *copy_arrays;  /* GArray* made for fragments, freed at the end */
    GHashTable *first_inner; /* RFC 7383 message -> first inner payload type */
    guint max_sas;           /* 0: no limit */
    guint64 n_untracked;     /* messages of IKE SAs beyond the limit */
    guint32 first_untracked; /* frame of the first of them */
    ikd_arena_t arena;
    double last_time;        /* latest message time seen */
};

gboolean ikd_attempt_unanswered(const ikd_attempt_t *a);

/* ikd_sa_table.c */
/* NULL when the message would start an IKE SA beyond the limit. */
ikd_sa_t *ikd_sa_lookup(ikd_engine_t *eng, const ikd_msg_t *m, gboolean *created);
gboolean ikd_sa_limit_reached(const ikd_engine_t *eng);
ikd_sa_t *ikd_sa_create(ikd_engine_t *eng, guint8 version, guint64 ispi, guint64 rspi);
void ikd_sa_table_init(ikd_engine_t *eng);
/* The previous fresh SA between the same two peers, now replaced by sa. */
ikd_sa_t *ikd_sa_replaces(ikd_engine_t *eng, ikd_sa_t *sa);
void ikd_sa_table_free(ikd_engine_t *eng);

/* ikd_exchange.c */
void ikd_exchange_request(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v);
void ikd_exchange_response(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v);
void ikd_exchange_v1(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v);
void ikd_exchange_table_init(ikd_engine_t *eng);
void ikd_exchange_table_free(ikd_engine_t *eng);

/* ikd_outcome.c */
void ikd_collect_errors(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v);
void ikd_update_state(ikd_engine_t *eng, ikd_sa_t *sa, const ikd_msg_t *m, ikd_verdict_t *v);

/* ikd_natd.c */
guint8 ikd_natd_check(const ikd_msg_t *m);

#endif
