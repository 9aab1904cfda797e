/* ikediag_fields.h — reading one IKE message out of the ISAKMP dissector's work. */
#ifndef IKEDIAG_FIELDS_H
#define IKEDIAG_FIELDS_H

#include <epan/packet.h>
#include "ikd_engine.h"

/* Looks up the ISAKMP field ids; call once the ISAKMP dissector is registered. */
void ikediag_fields_resolve(void);
/* The ids a post-dissector must ask for (a new GArray, for
 * set_postdissector_wanted_hfids), or NULL if ISAKMP is missing. */
GArray *ikediag_fields_wanted(void);
/* Fills m from the first ISAKMP message in the tree. FALSE when the frame has
 * none, or only one quoted inside an ICMP error, or one too short to read.
 * eng keeps what RFC 7383 fragments need across frames. */
gboolean ikediag_fields_extract(proto_tree *tree, packet_info *pinfo, ikd_engine_t *eng,
                                ikd_msg_t *m);

/* An IPv4/IPv6 address in the engine's form (family 0 for anything else). */
void ikediag_copy_addr(const address *a, ikd_addr_t *out);

#endif
