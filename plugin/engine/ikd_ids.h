/* ikd_ids.h — IKE protocol numbers the engine reasons about, and their names. */
#ifndef IKD_IDS_H
#define IKD_IDS_H

#include <glib.h>

/* IKEv2 exchange types (RFC 7296, 5723, 9242, 9370) */
#define IKD_IKE_SA_INIT 34
#define IKD_IKE_AUTH 35
#define IKD_CREATE_CHILD_SA 36
#define IKD_INFORMATIONAL 37
#define IKD_IKE_SESSION_RESUME 38
#define IKD_IKE_INTERMEDIATE 43
#define IKD_IKE_FOLLOWUP_KE 44

/* IKEv1 exchange types (RFC 2408/2409) */
#define IKD_V1_MAIN_MODE 2
#define IKD_V1_AGGRESSIVE 4
#define IKD_V1_INFORMATIONAL 5
#define IKD_V1_QUICK_MODE 32

/* Counting slots for per-SA exchange statistics. */
enum {
    IKD_SLOT_IKE_SA_INIT, IKD_SLOT_IKE_AUTH, IKD_SLOT_CREATE_CHILD_SA,
    IKD_SLOT_INFORMATIONAL, IKD_SLOT_OTHER, IKD_XCHG_COUNT_SLOTS
};
int ikd_exchange_slot(guint8 version, guint8 exchange);

/* Payload types (RFC 7296, 7383) */
#define IKD_PL_SA 33
#define IKD_PL_AUTH 39
#define IKD_PL_NOTIFY 41
#define IKD_PL_DELETE 42
#define IKD_PL_SK 46
#define IKD_PL_EAP 48
#define IKD_PL_SKF 53

/* Notify message types */
#define IKD_N_INVALID_SPI 11
#define IKD_N_NO_PROPOSAL_CHOSEN 14
#define IKD_N_INVALID_KE_PAYLOAD 17
#define IKD_N_AUTHENTICATION_FAILED 24
#define IKD_N_SINGLE_PAIR_REQUIRED 34
#define IKD_N_NO_ADDITIONAL_SAS 35
#define IKD_N_INTERNAL_ADDRESS_FAILURE 36
#define IKD_N_FAILED_CP_REQUIRED 37
#define IKD_N_TS_UNACCEPTABLE 38
#define IKD_N_INVALID_SELECTORS 39
#define IKD_N_TEMPORARY_FAILURE 43
#define IKD_N_CHILD_SA_NOT_FOUND 44
#define IKD_N_ERROR_LIMIT 16384 /* types below are errors */
#define IKD_N_NAT_DETECTION_SOURCE_IP 16388
#define IKD_N_NAT_DETECTION_DESTINATION_IP 16389
#define IKD_N_COOKIE 16390

/* Names; never NULL ("exchange 99", "notify 12345" for unknown values,
 * written into a static per-call buffer only for unknown values). */
const char *ikd_exchange_name(guint8 version, guint8 exchange);
const char *ikd_notify_name(guint8 version, guint16 type);
/* The name alone, or NULL when the value is unknown. */
const char *ikd_notify_name_or_null(guint8 version, guint16 type);

typedef struct {
    guint32 value;
    const char *name;
} ikd_name_t;
/* Tables, terminated by {0, NULL}, for the glue's value_strings. The glue
 * copies the notify names into a static array of this many entries. */
#define IKD_V2_NOTIFY_NAMES_MAX 127
extern const ikd_name_t ikd_v2_exchange_names[];
extern const ikd_name_t ikd_v2_notify_names[];

#endif
