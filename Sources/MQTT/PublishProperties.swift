/// MQTT 5 properties of a published message. Must be empty on MQTT 3.1.1.
///
/// `Sendable`: a value type.
public struct PublishProperties: Hashable, Sendable {
    /// The broker discards the message if it cannot deliver it within this many seconds.
    public var messageExpiryInterval: UInt32?
    /// MIME type of the payload, e.g. `application/x-protobuf`.
    public var contentType: String?
    /// Application-defined pairs.
    public var userProperties: [UserProperty]

    /// Creates properties.
    public init(messageExpiryInterval: UInt32? = nil, contentType: String? = nil, userProperties: [UserProperty] = []) {
        self.messageExpiryInterval = messageExpiryInterval
        self.contentType = contentType
        self.userProperties = userProperties
    }

    /// Whether no property is set.
    public var isEmpty: Bool { messageExpiryInterval == nil && contentType == nil && userProperties.isEmpty }
}
