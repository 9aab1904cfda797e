/* ikediag_plugin.c — the entry points Wireshark's plugin loader looks for. */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include "ikediag_compat.h"
#include "ikediag.h"

#ifndef IKEDIAG_VERSION
#define IKEDIAG_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = IKEDIAG_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plugin;
    plugin.register_protoinfo = proto_register_ikediag;
    plugin.register_handoff = proto_reg_handoff_ikediag;
    proto_register_plugin(&plugin);
}

#ifdef IKD_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

/* A post-dissector, plus the tap listeners behind tshark -z ikediag and the
 * Statistics menu entries. */
uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif
