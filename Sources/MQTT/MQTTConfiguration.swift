/// Everything needed to connect an ``MQTTClient``.
///
/// `Sendable`: a value type.
public struct MQTTConfiguration: Hashable, Sendable {
    /// Broker host name or address.
    public var host: String
    /// Broker port (1883 plain, 8883 TLS by convention).
    public var port: Int32
    /// Client id; must be unique per broker. Required when `cleanStart` is false.
    public var clientID: String
    /// Protocol version.
    public var protocolVersion: MQTTProtocolVersion
    /// MQTT 5 clean start / 3.1.1 clean session.
    public var cleanStart: Bool
    /// MQTT 5 session expiry interval, seconds (0: the session ends with the connection).
    public var sessionExpiry: UInt32
    /// Keepalive, seconds (libmosquitto minimum 5).
    public var keepAlive: Int32
    /// User name and password, or `nil`.
    public var credentials: MQTTCredentials?
    /// TLS settings, or `nil` for plain TCP.
    public var tls: TLSConfiguration?
    /// Last will, or `nil`.
    public var will: LastWill?
    /// Reconnect policy.
    public var backoff: ReconnectBackoff
    /// Memory bounds.
    public var limits: MQTTLimits
    /// Disable Nagle's algorithm (lower PUBACK latency for small messages).
    public var tcpNoDelay: Bool

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int32 = 1883, clientID: String,
        protocolVersion: MQTTProtocolVersion = .v5, cleanStart: Bool = true, sessionExpiry: UInt32 = 0,
        keepAlive: Int32 = 30, credentials: MQTTCredentials? = nil,
        tls: TLSConfiguration? = nil, will: LastWill? = nil, backoff: ReconnectBackoff = ReconnectBackoff(),
        limits: MQTTLimits = MQTTLimits(), tcpNoDelay: Bool = true
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.protocolVersion = protocolVersion
        self.cleanStart = cleanStart
        self.sessionExpiry = sessionExpiry
        self.keepAlive = keepAlive
        self.credentials = credentials
        self.tls = tls
        self.will = will
        self.backoff = backoff
        self.limits = limits
        self.tcpNoDelay = tcpNoDelay
    }
}
