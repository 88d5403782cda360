/// An MQTT 5 user property (name/value pair).
///
/// `Sendable`: a value type.
public struct UserProperty: Hashable, Sendable {
    /// Property name.
    public var name: String
    /// Property value.
    public var value: String

    /// Creates a user property.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
