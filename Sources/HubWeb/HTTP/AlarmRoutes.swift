import CoreMetrics
import Foundation
import HubAlarms
import HubCore
import Hummingbird
import Logging
import Wire

/// The alarm API under `/api/v1/alarms` (docs/openapi.yaml): list alarms with filters, one alarm with
/// its transitions, and the operator actions `acknowledge`, `shelve`, `unshelve` and `close`, which
/// need the bearer token. The dashboard's forms perform the same actions through ``perform(_:id:body:)``.
///
/// A refused action is a 400 (bad body), 404 (unknown alarm) or 409 (an action that makes no sense in
/// the alarm's state), logged and counted in `earshot_hub_alarm_actions_refused_total{reason}`.
///
/// `Sendable`: immutable references to thread-safe parts.
struct AlarmRoutes: Sendable {
    /// Operator actions the routes accept, by path segment.
    static let actions: [AlarmAction] = [.acknowledge, .shelve, .unshelve, .close]
    /// The most alarms one list answer holds.
    static let maxLimit = 1_000

    let store: HubStore
    let settings: AlarmSettings
    let logger: Logger
    let refused: [String: CoreMetrics.Counter]

    func add(to api: RouterGroup<BasicRequestContext>) {
        api.get("alarms", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let limit = try RequestParameters.limit(query, default: 100, max: Self.maxLimit)
            let alarms = try store.alarms(try Self.filter(query), limit: limit)
            return try HubHTTPRoutes.json(AlarmPage(alarms: alarms, nextBefore: alarms.count == limit ? alarms.last?.id : nil))
        }
        api.get("alarms/:id", blockingOn: store) { request, context in
            let id = try Self.alarmID(context)
            guard let alarm = try store.alarm(id) else { throw HubAPIError.notFound("no alarm \(id)") }
            return try HubHTTPRoutes.json(alarm)
        }
        for action in Self.actions {
            api.post("alarms/:id/\(action.rawValue)") { request, context in
                let id = try Self.alarmID(context)
                let body = try await HubHTTPRoutes.decodeBody(
                    AlarmActionRequest.self, from: request, usage: AlarmActionRequest.usage(action))
                return try await store.blocking { _ in
                    let (alarm, labelled) = try perform(action, id: id, body: body)
                    return try HubHTTPRoutes.json(AlarmActionResponse(alarm: alarm, labelledClips: labelled))
                }
            }
        }
    }

    /// Performs an operator action; returns the alarm after it and, for `close`, how many clips it labelled.
    ///
    /// - Throws: ``HubAPIError`` 400, 404 or 409 (counted and logged).
    func perform(_ action: AlarmAction, id: Int64, body: AlarmActionRequest) throws -> (AlarmRecord, Int?) {
        let nowMs = WallClock.nowMs()
        let note = body.note ?? ""
        do {
            let result: (AlarmRecord, Int?)
            switch action {
            case .acknowledge: result = (try store.acknowledgeAlarm(id, actor: body.actor, note: note, nowMs: nowMs), nil)
            case .unshelve: result = (try store.unshelveAlarm(id, actor: body.actor, note: note, nowMs: nowMs), nil)
            case .shelve:
                let maxHours = Double(settings.maxShelveMs) / 3_600_000
                guard let hours = body.hours, hours.isFinite, hours > 0, hours <= maxHours else {
                    throw AlarmError.invalidRequest("hours must be more than 0 and at most \(Int(maxHours))")
                }
                result = (
                    try store.shelveAlarm(
                        id, untilMs: nowMs + Int64(hours * 3_600_000), maxShelveMs: settings.maxShelveMs, actor: body.actor, note: note,
                        nowMs: nowMs), nil
                )
            case .close:
                guard let resolution = body.resolution else {
                    throw AlarmError.invalidRequest("resolution must be fault_confirmed or false_alarm")
                }
                let closed = try store.closeAlarm(
                    id, resolution: resolution, cause: body.cause ?? "", actionTaken: body.action ?? "", actor: body.actor, note: note,
                    nowMs: nowMs)
                result = (closed.alarm, closed.labelledClips)
            case .raise, .reactivate, .escalate, .clear:
                throw AlarmError.invalidRequest("\(action.rawValue) is the hub's own transition")
            }
            logger.notice(
                "http.alarm.action",
                metadata: ["alarm.id": "\(id)", "alarm.action": "\(action.rawValue)", "alarm.state": "\(result.0.state.rawValue)"])
            return result
        } catch let error as AlarmError {
            let (reason, status): (String, HTTPResponse.Status) = {
                switch error {
                case .unknownAlarm: return ("unknown_alarm", .notFound)
                case .invalidTransition: return ("invalid_transition", .conflict)
                case .invalidRequest: return ("invalid_request", .badRequest)
                }
            }()
            refused[reason]?.increment()
            logger.warning(
                "http.alarm.action_refused",
                metadata: ["alarm.id": "\(id)", "alarm.action": "\(action.rawValue)", "reason": "\(reason)", "error": "\(error)"])
            throw HubAPIError(status: status, message: error.description)
        }
    }

    /// The list filter from the query: `state` (a state, `open` or `all`), `site`, `line`, `machine_type`,
    /// `kind`, `subject`, `before`; empty values are ignored.
    static func filter(_ query: Parameters) throws -> AlarmFilter {
        var filter = AlarmFilter()
        switch query.get("state") {
        case nil, "open": break
        case "all": filter.openOnly = false
        case let name?:
            guard let state = AlarmState(rawValue: name) else {
                throw HubAPIError.badRequest(
                    "state must be open, all or one of " + AlarmState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.state = state
        }
        if let name = query.get("kind"), !name.isEmpty {
            guard let kind = AlarmKind(rawValue: name) else {
                throw HubAPIError.badRequest("kind must be one of " + AlarmKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.kind = kind
        }
        // An empty field (a dashboard filter left blank) filters nothing.
        func field(_ name: String) throws -> String? { try RequestParameters.identifier(query, name).flatMap { $0.isEmpty ? nil : $0 } }
        filter.site = try field("site")
        filter.line = try field("line")
        filter.machineType = try field("machine_type")
        filter.subject = try field("subject")
        filter.beforeID = try RequestParameters.integer(
            query, "before", in: 1...Int64.max, usage: "before must be an alarm id in 1...\(Int64.max)")
        return filter
    }

    /// The path's alarm id, in `1...Int64.max`.
    static func alarmID(_ context: some RequestContext) throws -> Int64 {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id >= 1 else {
            throw HubAPIError.badRequest("id must be an alarm id in 1...\(Int64.max)")
        }
        return id
    }
}
