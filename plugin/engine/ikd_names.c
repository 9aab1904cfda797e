/* ikd_names.c — names of IKE exchange and notify types (IANA registries). */
#include <stdio.h>
#include "ikd_ids.h"

const ikd_name_t ikd_v2_exchange_names[] = {
    { 34, "IKE_SA_INIT" },
    { 35, "IKE_AUTH" },
    { 36, "CREATE_CHILD_SA" },
    { 37, "INFORMATIONAL" },
    { 38, "IKE_SESSION_RESUME" },
    { 43, "IKE_INTERMEDIATE" },
    { 44, "IKE_FOLLOWUP_KE" },
    { 0, NULL }
};

static const ikd_name_t v1_exchange_names[] = {
    { 1, "Base" },
    { 2, "Identity Protection (Main Mode)" },
    { 3, "Authentication Only" },
    { 4, "Aggressive" },
    { 5, "Informational" },
    { 6, "Transaction (Config Mode)" },
    { 32, "Quick Mode" },
    { 33, "New Group Mode" },
    { 0, NULL }
};

const ikd_name_t ikd_v2_notify_names[] = {
    { 1, "UNSUPPORTED_CRITICAL_PAYLOAD" },
    { 4, "INVALID_IKE_SPI" },
    { 5, "INVALID_MAJOR_VERSION" },
    { 7, "INVALID_SYNTAX" },
    { 9, "INVALID_MESSAGE_ID" },
    { 11, "INVALID_SPI" },
    { 14, "NO_PROPOSAL_CHOSEN" },
    { 17, "INVALID_KE_PAYLOAD" },
    { 24, "AUTHENTICATION_FAILED" },
    { 34, "SINGLE_PAIR_REQUIRED" },
    { 35, "NO_ADDITIONAL_SAS" },
    { 36, "INTERNAL_ADDRESS_FAILURE" },
    { 37, "FAILED_CP_REQUIRED" },
    { 38, "TS_UNACCEPTABLE" },
    { 39, "INVALID_SELECTORS" },
    { 40, "UNACCEPTABLE_ADDRESSES" },
    { 41, "UNEXPECTED_NAT_DETECTED" },
    { 42, "USE_ASSIGNED_HoA" },
    { 43, "TEMPORARY_FAILURE" },
    { 44, "CHILD_SA_NOT_FOUND" },
    { 45, "INVALID_GROUP_ID" },
    { 46, "AUTHORIZATION_FAILED" },
    { 47, "STATE_NOT_FOUND" },
    { 48, "TS_MAX_QUEUE" },
    { 16384, "INITIAL_CONTACT" },
    { 16385, "SET_WINDOW_SIZE" },
    { 16386, "ADDITIONAL_TS_POSSIBLE" },
    { 16387, "IPCOMP_SUPPORTED" },
    { 16388, "NAT_DETECTION_SOURCE_IP" },
    { 16389, "NAT_DETECTION_DESTINATION_IP" },
    { 16390, "COOKIE" },
    { 16391, "USE_TRANSPORT_MODE" },
    { 16392, "HTTP_CERT_LOOKUP_SUPPORTED" },
    { 16393, "REKEY_SA" },
    { 16394, "ESP_TFC_PADDING_NOT_SUPPORTED" },
    { 16395, "NON_FIRST_FRAGMENTS_ALSO" },
    { 16396, "MOBIKE_SUPPORTED" },
    { 16397, "ADDITIONAL_IP4_ADDRESS" },
    { 16398, "ADDITIONAL_IP6_ADDRESS" },
    { 16399, "NO_ADDITIONAL_ADDRESSES" },
    { 16400, "UPDATE_SA_ADDRESSES" },
    { 16401, "COOKIE2" },
    { 16402, "NO_NATS_ALLOWED" },
    { 16403, "AUTH_LIFETIME" },
    { 16404, "MULTIPLE_AUTH_SUPPORTED" },
    { 16405, "ANOTHER_AUTH_FOLLOWS" },
    { 16406, "REDIRECT_SUPPORTED" },
    { 16407, "REDIRECT" },
    { 16408, "REDIRECTED_FROM" },
    { 16409, "TICKET_LT_OPAQUE" },
    { 16410, "TICKET_REQUEST" },
    { 16411, "TICKET_ACK" },
    { 16412, "TICKET_NACK" },
    { 16413, "TICKET_OPAQUE" },
    { 16417, "EAP_ONLY_AUTHENTICATION" },
    { 16418, "CHILDLESS_IKEV2_SUPPORTED" },
    { 16419, "QUICK_CRASH_DETECTION" },
    { 16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED" },
    { 16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED" },
    { 16422, "IKEV2_MESSAGE_ID_SYNC" },
    { 16423, "IPSEC_REPLAY_COUNTER_SYNC" },
    { 16424, "SECURE_PASSWORD_METHODS" },
    { 16430, "IKEV2_FRAGMENTATION_SUPPORTED" },
    { 16431, "SIGNATURE_HASH_ALGORITHMS" },
    { 16432, "CLONE_IKE_SA_SUPPORTED" },
    { 16433, "CLONE_IKE_SA" },
    { 16434, "PUZZLE" },
    { 16435, "USE_PPK" },
    { 16436, "PPK_IDENTITY" },
    { 16437, "NO_PPK_AUTH" },
    { 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED" },
    { 16439, "IP4_ALLOWED" },
    { 16440, "IP6_ALLOWED" },
    { 16441, "ADDITIONAL_KEY_EXCHANGE" },
    { 16442, "USE_AGGFRAG" },
    { 16443, "SUPPORTED_AUTH_METHODS" },
    { 0, NULL }
};

/* RFC 2408 §3.14.1; spelled with underscores like the IKEv2 names. */
static const ikd_name_t v1_notify_names[] = {
    { 1, "INVALID_PAYLOAD_TYPE" },
    { 2, "DOI_NOT_SUPPORTED" },
    { 3, "SITUATION_NOT_SUPPORTED" },
    { 4, "INVALID_COOKIE" },
    { 5, "INVALID_MAJOR_VERSION" },
    { 6, "INVALID_MINOR_VERSION" },
    { 7, "INVALID_EXCHANGE_TYPE" },
    { 8, "INVALID_FLAGS" },
    { 9, "INVALID_MESSAGE_ID" },
    { 10, "INVALID_PROTOCOL_ID" },
    { 11, "INVALID_SPI" },
    { 12, "INVALID_TRANSFORM_ID" },
    { 13, "ATTRIBUTES_NOT_SUPPORTED" },
    { 14, "NO_PROPOSAL_CHOSEN" },
    { 15, "BAD_PROPOSAL_SYNTAX" },
    { 16, "PAYLOAD_MALFORMED" },
    { 17, "INVALID_KEY_INFORMATION" },
    { 18, "INVALID_ID_INFORMATION" },
    { 19, "INVALID_CERT_ENCODING" },
    { 20, "INVALID_CERTIFICATE" },
    { 21, "CERT_TYPE_UNSUPPORTED" },
    { 22, "INVALID_CERT_AUTHORITY" },
    { 23, "INVALID_HASH_INFORMATION" },
    { 24, "AUTHENTICATION_FAILED" },
    { 25, "INVALID_SIGNATURE" },
    { 26, "ADDRESS_NOTIFICATION" },
    { 27, "NOTIFY_SA_LIFETIME" },
    { 28, "CERTIFICATE_UNAVAILABLE" },
    { 29, "UNSUPPORTED_EXCHANGE_TYPE" },
    { 30, "UNEQUAL_PAYLOAD_LENGTHS" },
    { 0, NULL }
};

static const char *lookup(const ikd_name_t *table, guint32 value)
{
    for (; table->name; table++)
        if (table->value == value)
            return table->name;
    return NULL;
}

int ikd_exchange_slot(guint8 version, guint8 exchange)
{
    if (version == 1) {
        switch (exchange) {
        case IKD_V1_MAIN_MODE: case IKD_V1_AGGRESSIVE: return IKD_SLOT_IKE_SA_INIT;
        case IKD_V1_QUICK_MODE: return IKD_SLOT_CREATE_CHILD_SA;
        case IKD_V1_INFORMATIONAL: return IKD_SLOT_INFORMATIONAL;
        default: return IKD_SLOT_OTHER;
        }
    }
    switch (exchange) {
    case IKD_IKE_SA_INIT: return IKD_SLOT_IKE_SA_INIT;
    case IKD_IKE_AUTH: return IKD_SLOT_IKE_AUTH;
    case IKD_CREATE_CHILD_SA: return IKD_SLOT_CREATE_CHILD_SA;
    case IKD_INFORMATIONAL: return IKD_SLOT_INFORMATIONAL;
    default: return IKD_SLOT_OTHER;
    }
}

const char *ikd_exchange_name(guint8 version, guint8 exchange)
{
    static char unknown[24];
    const char *n = lookup(version == 1 ? v1_exchange_names : ikd_v2_exchange_names, exchange);
    if (n)
        return n;
    snprintf(unknown, sizeof unknown, "exchange %u", exchange);
    return unknown;
}

const char *ikd_notify_name_or_null(guint8 version, guint16 type)
{
    return lookup(version == 1 ? v1_notify_names : ikd_v2_notify_names, type);
}

const char *ikd_notify_name(guint8 version, guint16 type)
{
    static char unknown[24];
    const char *n = ikd_notify_name_or_null(version, type);
    if (n)
        return n;
    snprintf(unknown, sizeof unknown, "NOTIFY_%u", type);
    return unknown;
}
