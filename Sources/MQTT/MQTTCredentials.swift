/// User name and password for the broker.
///
/// `Sendable`: a value type. Never logged.
public struct MQTTCredentials: Hashable, Sendable {
    /// User name.
    public var username: String
    /// Password.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
