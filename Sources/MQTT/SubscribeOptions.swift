import CMosquitto

/// MQTT 5 subscription options. Must be empty on MQTT 3.1.1.
///
/// `Sendable`: a value type.
public struct SubscribeOptions: OptionSet, Hashable, Sendable {
    /// The raw `MQTT_SUB_OPT_*` bits.
    public let rawValue: Int32

    /// Creates options from raw bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Do not deliver this client's own publications back to it.
    public static let noLocal = SubscribeOptions(rawValue: Int32(MQTT_SUB_OPT_NO_LOCAL.rawValue))
    /// Keep the retain flag as published instead of clearing it on live delivery.
    public static let retainAsPublished = SubscribeOptions(rawValue: Int32(MQTT_SUB_OPT_RETAIN_AS_PUBLISHED.rawValue))
    /// Send retained messages only if the subscription is new.
    public static let retainOnNewSubscriptionOnly = SubscribeOptions(rawValue: Int32(MQTT_SUB_OPT_SEND_RETAIN_NEW.rawValue))
    /// Never send retained messages on subscribe.
    public static let noRetained = SubscribeOptions(rawValue: Int32(MQTT_SUB_OPT_SEND_RETAIN_NEVER.rawValue))
}
