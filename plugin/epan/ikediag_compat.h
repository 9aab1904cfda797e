/* ikediag_compat.h — every difference between Wireshark series, in one place.
 * Supported: 4.0 (Debian 12), 4.4 (Debian 13), 4.6. */
#ifndef IKEDIAG_COMPAT_H
#define IKEDIAG_COMPAT_H

#include <wireshark.h>
#include <ws_version.h>
#include <epan/tvbuff.h>

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

/* Preference variables: prefs_register_bool_preference() takes a gboolean *
 * in 4.0 and a bool * from 4.2 (GCC 14, as in Debian 13, rejects the
 * mismatch). Declare boolean preferences as ikd_pref_bool_t. */
#if IKD_WS_AT_LEAST(4, 2)
typedef bool ikd_pref_bool_t;
#else
typedef gboolean ikd_pref_bool_t;
#endif

/* The glib-style tvb_get_guint8 is deprecated from 4.4 (a warning on every
 * call); tvb_get_uint8 does not exist in 4.0. Keep the old name at the call
 * sites and map it here, after tvbuff.h has declared the deprecated inline. */
#if IKD_WS_AT_LEAST(4, 4)
#define tvb_get_guint8 tvb_get_uint8
#endif

/* A frame's data source by name (Wireshark names its decrypted and
 * reassembled buffers): one call up to 4.4, two from 4.6. */
#include <epan/packet.h>
#if IKD_WS_AT_LEAST(4, 6)
static inline tvbuff_t *ikd_data_source_tvb(packet_info *pinfo, const char *name)
{
    struct data_source *src = get_data_source_by_name(pinfo, name);
    return src ? get_data_source_tvb(src) : NULL;
}
#else
#define ikd_data_source_tvb(pinfo, name) get_data_source_tvb_by_name((pinfo), (name))
#endif

/* stat_tap_ui.tap_init_cb (tshark -z) returns void up to 4.4 and bool from
 * 4.6, where false means "this -z argument was refused" and tshark stops.
 * GCC 14 and later reject the wrong function type in the initializer.
 * Write the callback as
 *     static IKD_STAT_INIT_RET cli_init(const char *opt_arg, void *userdata)
 *     { ...; IKD_STAT_INIT_RETURN(ok); }
 * on every return path (before 4.6 it evaluates ok and returns nothing). */
#if IKD_WS_AT_LEAST(4, 6)
#define IKD_STAT_INIT_RET bool
#define IKD_STAT_INIT_RETURN(ok) return (ok)
#else
#define IKD_STAT_INIT_RET void
#define IKD_STAT_INIT_RETURN(ok)                                                               \
    do {                                                                                       \
        (void)(ok);                                                                            \
        return;                                                                                \
    } while (0)
#endif

/* From 4.4 the loader asks a plugin what it is. */
#if IKD_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define IKD_HAVE_PLUGIN_DESCRIBE 1
#endif

#endif
