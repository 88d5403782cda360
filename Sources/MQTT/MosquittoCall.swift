/// The libmosquitto call (or protocol step) an ``MQTTError`` came from.
///
/// The errors each call can return are listed as in `mosquitto.h`.
/// `Sendable`: a plain enum.
public enum MosquittoCall: String, Hashable, Sendable {
    /// `mosquitto_lib_init`: `MOSQ_ERR_UNKNOWN` (Windows socket init only).
    case libInit = "mosquitto_lib_init"
    /// `mosquitto_new`: returns NULL; errno `ENOMEM` (out of memory) or `EINVAL`
    /// (empty client id with clean session off), reported as ``MosquittoErrorCode/noMemory``
    /// or ``MosquittoErrorCode/invalidArgument``.
    case new = "mosquitto_new"
    /// Not libmosquitto: `pipe(2)` for the loop thread's wake pipe, reported as
    /// `ERRNO` with errno kept (`EMFILE`, `ENFILE`).
    case wakePipe = "pipe"
    /// `mosquitto_int_option`: `INVAL`.
    case intOption = "mosquitto_int_option"
    /// `mosquitto_username_pw_set`: `INVAL`, `NOMEM`.
    case usernamePasswordSet = "mosquitto_username_pw_set"
    /// `mosquitto_will_set_v5`: `INVAL`, `NOMEM`, `PAYLOAD_SIZE`, `MALFORMED_UTF8`,
    /// `NOT_SUPPORTED` (properties on 3.1.1), `PROTOCOL`, `DUPLICATE_PROPERTY`.
    case willSet = "mosquitto_will_set_v5"
    /// `mosquitto_tls_set`: `INVAL` (e.g. unreadable CA/cert/key file), `NOMEM`.
    case tlsSet = "mosquitto_tls_set"
    /// `mosquitto_tls_opts_set`: `INVAL`, `NOMEM`.
    case tlsOptionsSet = "mosquitto_tls_opts_set"
    /// `mosquitto_property_add_*`: `INVAL`, `NOMEM`.
    case propertyAdd = "mosquitto_property_add"
    /// `mosquitto_connect_bind_v5`: `INVAL`, `ERRNO` (errno kept), `NOT_SUPPORTED`,
    /// `DUPLICATE_PROPERTY`, `PROTOCOL`, `EAI`, `TLS`.
    case connect = "mosquitto_connect_bind_v5"
    /// `mosquitto_reconnect`: `INVAL`, `NOMEM`, `ERRNO`, `EAI`, `TLS`.
    case reconnect = "mosquitto_reconnect"
    /// `mosquitto_loop_read`, `mosquitto_loop_write` and `mosquitto_loop_misc`, run in turn on the
    /// polled socket: `INVAL`, `NOMEM`, `NO_CONN`, `CONN_LOST`, `PROTOCOL`, `ERRNO`, `TLS`,
    /// `KEEPALIVE`, `CONN_REFUSED` (CONNACK failure) and others from packet handling.
    case serviceSocket = "mosquitto_loop_read/write/misc"
    /// `mosquitto_publish_v5`: `INVAL`, `NOMEM`, `NO_CONN`, `PROTOCOL`, `PAYLOAD_SIZE`,
    /// `MALFORMED_UTF8`, `DUPLICATE_PROPERTY`, `NOT_SUPPORTED`, `QOS_NOT_SUPPORTED`,
    /// `OVERSIZE_PACKET`. Also used for a negative PUBACK (``MQTTError/Reason/publishRejected(reasonCode:)``).
    case publish = "mosquitto_publish_v5"
    /// `mosquitto_subscribe_v5`: `INVAL`, `NOMEM`, `NO_CONN`, `MALFORMED_UTF8`,
    /// `NOT_SUPPORTED`, `OVERSIZE_PACKET`. Also used for a negative SUBACK.
    case subscribe = "mosquitto_subscribe_v5"
    /// `mosquitto_unsubscribe_v5`: `INVAL`, `NOMEM`, `NO_CONN`, `MALFORMED_UTF8`,
    /// `NOT_SUPPORTED`, `OVERSIZE_PACKET`.
    case unsubscribe = "mosquitto_unsubscribe_v5"
    /// `mosquitto_disconnect_v5`: `INVAL`, `NO_CONN`, `DUPLICATE_PROPERTY`, `PROTOCOL`.
    case disconnect = "mosquitto_disconnect_v5"
}
