import HubAlarms

/// The body of an operator's alarm action, from the API (JSON) or a dashboard form (the same field names).
struct AlarmActionRequest: Decodable, Sendable {
    /// Who acts (required).
    var actor: String
    /// A note for the audit trail.
    var note: String?
    /// `shelve`: for how many hours (more than 0, at most `alarms.max_shelve_hours`).
    var hours: Double?
    /// `close`: `fault_confirmed` or `false_alarm`.
    var resolution: AlarmResolution?
    /// `close` with `fault_confirmed`: the fault's cause (required then).
    var cause: String?
    /// `close`: the action taken.
    var action: String?

    /// What each action's body must hold, for a 400's message.
    static func usage(_ action: AlarmAction) -> String {
        switch action {
        case .shelve: return "body must be {\"actor\": …, \"hours\": h, \"note\"?: …}"
        case .close:
            return
                "body must be {\"actor\": …, \"resolution\": \"fault_confirmed\"|\"false_alarm\", \"cause\"?: …, \"action\"?: …, \"note\"?: …}"
        default: return "body must be {\"actor\": …, \"note\"?: …}"
        }
    }
}
