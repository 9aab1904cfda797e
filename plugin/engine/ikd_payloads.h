/* ikd_payloads.h — the payload facts of an IKE message, read from its bytes.
 *
 * Walking the generic payload headers ourselves costs a few bytes' reads per
 * payload; asking the ISAKMP dissector for the same facts as fields makes it
 * build a tree item for every payload of every message. */
#ifndef IKD_PAYLOADS_H
#define IKD_PAYLOADS_H

#include "ikd_engine.h"

#define IKD_IKE_HEADER_LEN 28
#define IKD_MAX_PAYLOADS 256 /* a longer chain is hostile: the rest is ignored */

/* Where a walk stopped and what it leaves to a second walk. */
typedef struct {
    guint n_payloads;
    gboolean malformed;   /* a length ran past the data or below 4 */
    gboolean encrypted;   /* ended in SK or SKF: the rest is ciphertext */
    guint8 inner_first;   /* SK/SKF "next payload": the first inner payload */
} ikd_walk_t;

/* Adds the facts of the payload chain in data (starting with a payload of
 * type first) to m: payload types, notifies and their NAT_DETECTION data,
 * the RFC 7383 fragment numbers, an 8-byte proposal SPI, deleted SPIs.
 * m->version must be set. Reads at most len bytes. */
void ikd_payloads_walk(ikd_msg_t *m, const guint8 *data, gsize len, guint8 first, ikd_walk_t *walk);

#endif
