/* ikediag_compat.h — every difference between Wireshark series, in one place.
 * Supported: 4.0 (Debian 12), 4.4 (Debian 13), 4.6. */
#ifndef IKEDIAG_COMPAT_H
#define IKEDIAG_COMPAT_H

#include <ws_version.h>

#define IKD_WS_AT_LEAST(maj, min)                                                              \
    (WIRESHARK_VERSION_MAJOR > (maj)                                                           \
     || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* field_info.value is an embedded struct in 4.0 and a pointer from 4.2. */
#if IKD_WS_AT_LEAST(4, 2)
#define IKD_FI_FVALUE(fi) ((fi)->value)
#else
#define IKD_FI_FVALUE(fi) (&(fi)->value)
#endif

#define ikd_fi_uint(fi) ((guint32)fvalue_get_uinteger(IKD_FI_FVALUE(fi)))

/* From 4.4 the loader asks a plugin what it is. */
#if IKD_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define IKD_HAVE_PLUGIN_DESCRIBE 1
#endif

#endif
