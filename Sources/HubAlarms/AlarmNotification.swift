import Foundation

/// What a notification carries: one transition and the alarm as it is now (docs/hub.md, "Alarm
/// notifications"). The same JSON goes to webhooks and, as the alarm's state, to MQTT.
public struct AlarmNotification: Sendable, Codable, Equatable {
    /// `<hub_id>:<transition id>`: the same for every delivery of one transition, so a receiver
    /// recognises a repeat (also sent as the `Idempotency-Key` header).
    public var idempotencyKey: String
    /// The hub that sent it (`hub_id`).
    public var hubID: String
    /// What happened.
    public var transition: AlarmTransitionRecord
    /// The alarm after it (without its transitions).
    public var alarm: AlarmRecord

    /// Creates the notification of `transition`.
    public init(hubID: String, transition: AlarmTransitionRecord, alarm: AlarmRecord) {
        idempotencyKey = "\(hubID):\(transition.id)"
        self.hubID = hubID
        self.transition = transition
        var alarm = alarm
        alarm.transitions = nil
        self.alarm = alarm
    }

    /// Whether a route delivers it: shelving suppresses the hub's own transitions of the alarm, but the
    /// shelving, unshelving and closing themselves are always told.
    public var isSuppressedByShelving: Bool {
        transition.shelved && ![.shelve, .unshelve, .close].contains(transition.action)
    }

    /// The JSON body (keys sorted, so a signature is over stable bytes).
    public func jsonBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
