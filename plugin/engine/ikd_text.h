/* ikd_text.h — the sentences a network engineer reads in expert info. */
#ifndef IKD_TEXT_H
#define IKD_TEXT_H

#include "ikd_engine.h"

#define IKD_TEXT_MAX 512

const char *ikd_role_name(guint8 role);           /* "initiator" / "responder" */
const char *ikd_phase_name(guint8 phase);         /* "IKE SA" / "child SA" */
char *ikd_format_addr(const ikd_addr_t *a, char *buf, gsize n);
/* "192.0.2.1:500", "[2001:db8::1]:4500" */
char *ikd_format_endpoint(const ikd_addr_t *a, guint16 port, char *buf, gsize n);

/* Each writes one sentence into buf (IKD_TEXT_MAX bytes) and returns buf. */
char *ikd_text_retransmission(const ikd_verdict_t *v, char *buf);
char *ikd_text_retry(const ikd_verdict_t *v, char *buf);
char *ikd_text_unanswered(const ikd_verdict_t *v, char *buf);
char *ikd_text_response_lost(const ikd_verdict_t *v, char *buf);
char *ikd_text_float(const ikd_verdict_t *v, char *buf);
char *ikd_text_addr_change(const ikd_verdict_t *v, const ikd_addr_t *src, guint16 sport, char *buf);
/* src/dst: the message's own endpoints, as seen at the capture point. */
char *ikd_text_nat(const ikd_verdict_t *v, const ikd_addr_t *src, guint16 sport,
                   const ikd_addr_t *dst, guint16 dport, char *buf);
char *ikd_text_error(const ikd_verdict_t *v, const ikd_error_t *e, const ikd_addr_t *sender,
                     char *buf);
char *ikd_text_hidden(const ikd_verdict_t *v, char *buf);
char *ikd_text_established(const ikd_verdict_t *v, char *buf);
char *ikd_text_delete(const ikd_verdict_t *v, const ikd_addr_t *sender, char *buf);
char *ikd_text_rekeyed(const ikd_verdict_t *v, char *buf);
char *ikd_text_midstream(const ikd_verdict_t *v, char *buf);
char *ikd_text_orphan(const ikd_verdict_t *v, char *buf);
/* Needs the engine to describe the SA given up on. */
char *ikd_text_restart(const ikd_verdict_t *v, const ikd_engine_t *eng, char *buf);

#endif
