/* ikd_report.h — the per-IKE-SA and per-exchange statistics behind
 * `tshark -z ikediag` and the GUI's Statistics entry. Fed with the verdicts
 * of the messages that pass the statistic's display filter. */
#ifndef IKD_REPORT_H
#define IKD_REPORT_H

#include <stdio.h>
#include "ikd_engine.h"


typedef struct {
    const ikd_sa_t *sa;
    guint index; /* position in the report */
    guint32 first_frame, last_frame;
    double first_time, last_time;
    guint32 n_exchanges[IKD_XCHG_COUNT_SLOTS];
    guint32 n_requests, n_retransmissions, max_retransmissions;
    guint32 float_frame;
    GArray *errors; /* ikd_error_t, without repeats from retransmissions */
    guint32 n_unanswered_live; /* kept up to date per message; exact once the
                                * engine has seen the whole capture (GUI) */
} ikd_report_sa_t;

typedef struct ikd_report_xchg {
    const ikd_sa_t *sa;
    guint32 mid;
    guint8 exchange;
    guint8 requester; /* ikd_role_t */
    guint32 request_frame;
    guint32 transmissions;
    guint n_attempts;
    const ikd_attempt_t *last_attempt;
    guint index; /* position in the report */
} ikd_report_xchg_t;

typedef struct ikd_report ikd_report_t;

ikd_report_t *ikd_report_new(void);
void ikd_report_reset(ikd_report_t *r);
void ikd_report_free(ikd_report_t *r);
/* Returns the SA row and (for requests and responses) the exchange row touched. */
const ikd_report_sa_t *ikd_report_add(ikd_report_t *r, const ikd_verdict_t *v, double time,
                                      const ikd_report_xchg_t **xchg);

/* Rows in order of first appearance (SA number, then first request). */
guint ikd_report_sa_count(const ikd_report_t *r);
const ikd_report_sa_t *ikd_report_sa(const ikd_report_t *r, guint i);
guint ikd_report_xchg_count(const ikd_report_t *r);
const ikd_report_xchg_t *ikd_report_xchg(const ikd_report_t *r, guint i);

/* Derived cells, shared by the text report and the GUI tables.
 * ikd_report_sa_unanswered scans every exchange row: not for per-packet use. */
guint ikd_report_sa_unanswered(const ikd_report_t *r, const ikd_report_sa_t *row);
char *ikd_report_spi(guint64 spi);                     /* 16 hex digits, g_free */
char *ikd_report_errors(const ikd_report_sa_t *row);   /* "NAME in EXCHANGE from role; ..." */
char *ikd_report_nat(const ikd_report_sa_t *row);      /* "float in frame 3: a -> b", or "" */
char *ikd_report_xchg_status(const ikd_report_xchg_t *x);  /* answered, unanswered, ... */
gboolean ikd_report_xchg_response(const ikd_report_xchg_t *x, guint32 *frame, double *rtt);

/* Messages kept out of the analysis by an IKE SA limit (for the totals). */
void ikd_report_set_untracked(ikd_report_t *r, guint64 n, guint max_sas, guint32 first_frame);

/* The whole text report. filter: the statistic's display filter or NULL. */
char *ikd_report_render(const ikd_report_t *r, const char *filter);
/* The same, written section by section. */
void ikd_report_write(const ikd_report_t *r, const char *filter, FILE *fp);

#endif
