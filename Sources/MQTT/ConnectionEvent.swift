/// A change of the client's connection, delivered on ``MQTTClient/connectionEvents``.
///
/// The agent uses ``connected(sessionPresent:)`` to re-send its spool in order.
/// `Sendable`: a value type.
public enum ConnectionEvent: Hashable, Sendable {
    /// CONNACK accepted; subscriptions are being restored.
    case connected(sessionPresent: Bool)
    /// The connection ended; the client reconnects unless it was closed.
    /// `code` is the libmosquitto reason (0 for a requested disconnect).
    case disconnected(code: MosquittoErrorCode?)
    /// The broker refused a reconnect with this CONNACK reason code; retrying.
    case refused(reasonCode: Int32)
}
