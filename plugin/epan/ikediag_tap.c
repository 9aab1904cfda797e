/* ikediag_tap.c — feeds the "ikediag" tap from stored verdicts. */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include "ikediag_tap.h"

void ikediag_tap_queue(int tap_id, packet_info *pinfo, const ikd_verdict_t *v)
{
    if (tap_id >= 0 && have_tap_listener(tap_id))
        tap_queue_packet(tap_id, pinfo, v);
}
