/* ikediag_tap.h — the "ikediag" tap and the statistics built on it. */
#ifndef IKEDIAG_TAP_H
#define IKEDIAG_TAP_H

#include <epan/packet.h>
#include "ikd_engine.h"

/* Queue the stored verdict; called on every pass, tree or not. */
void ikediag_tap_queue(int tap_id, packet_info *pinfo, const ikd_verdict_t *v);
/* Registers the statistics (tshark -z ikediag, Statistics menu). */
void ikediag_stats_register(void);

#endif
