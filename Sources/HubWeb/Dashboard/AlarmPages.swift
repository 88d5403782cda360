import Foundation
import HubAlarms
import HubCore
import Hummingbird
import Wire

/// The dashboard's alarm pages: the list (`/alarms`, filterable by site, line, state, machine type and
/// kind), one alarm with its audit trail and action forms (`/alarms/{id}`), and an asset's alarm history
/// (on its page).
///
/// The forms POST to `/alarms/{id}/{action}` and work without script. Such a write needs a dashboard
/// session (or the bearer token) and the page's CSRF token (`AccessControl.csrfToken`), and a request
/// whose `Origin` names another host is refused; the session cookie is also `SameSite=Strict`. Every
/// stored text (notes, causes, ids) is escaped where it is shown.
///
/// `Sendable`: immutable references to thread-safe parts.
struct AlarmPages: Sendable {
    let store: HubStore
    let access: AccessControl
    let alarms: AlarmRoutes
    /// Whether ingest does its job (the pages' banner, ``DashboardRoutes/page(title:body:problems:status:)``).
    let ingestHealth: IngestHealth

    func add(pages: RouterGroup<BasicRequestContext>, forms: RouterGroup<BasicRequestContext>) {
        pages.get("/alarms", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let filter = try AlarmRoutes.filter(query)
            let list = try store.alarms(filter, limit: Self.pageSize)
            return DashboardRoutes.page(
                title: "Alarms", body: Self.list(list, filter: filter, stateParameter: query.get("state")),
                problems: ingestHealth.currentProblems)
        }
        pages.get("/alarms/:id", blockingOn: store) { request, context in
            let id = try AlarmRoutes.alarmID(context)
            guard let alarm = try store.alarm(id) else { throw HubAPIError.notFound("no alarm \(id)") }
            return DashboardRoutes.page(
                title: "Alarm \(id)", body: detail(alarm, request: request, message: nil), problems: ingestHealth.currentProblems)
        }
        for action in AlarmRoutes.actions {
            forms.post("/alarms/:id/\(action.rawValue)") { request, context in
                let id = try AlarmRoutes.alarmID(context)
                let fields = try await DashboardRoutes.form(request)
                let body = AlarmActionRequest(
                    actor: fields["actor"] ?? "", note: fields["note"], hours: fields["hours"].flatMap(Double.init),
                    resolution: fields["resolution"].flatMap(AlarmResolution.init(rawValue:)), cause: fields["cause"],
                    action: fields["action"])
                return try await store.blocking { store in
                    do {
                        _ = try alarms.perform(action, id: id, body: body)
                    } catch let error as HubAPIError {
                        guard let alarm = try store.alarm(id) else { throw error }
                        return DashboardRoutes.page(
                            title: "Alarm \(id)", body: detail(alarm, request: request, message: error.message),
                            problems: ingestHealth.currentProblems,
                            status: error.status)
                    }
                    return Response(status: .seeOther, headers: [.location: "/alarms/\(id)"])
                }
            }
        }
    }

    /// The most alarms one list page shows; a link leads to the next (older) ones.
    static let pageSize = 200

    /// An asset's alarms, newest first: the history on its page.
    func history(site: String, assetID: String) throws -> HTML {
        var filter = AlarmFilter()
        filter.openOnly = false
        filter.site = site
        filter.subject = assetID
        let rows = try store.alarms(filter, limit: 50).filter { $0.kind.isAboutAsset }
        return "<h3>Alarm history</h3>" + Self.table(rows, id: "asset-alarms")
    }

    private static func list(_ alarms: [AlarmRecord], filter: AlarmFilter, stateParameter: String?) -> HTML {
        func field(_ name: String, _ label: String, _ value: String?) -> HTML {
            "<label>\(label) <input name=\"\(name)\" value=\"\(value ?? "")\" size=\"12\"></label> "
        }
        var html: HTML = "<h2>Alarms</h2><form id=\"alarm-filter\" method=\"get\" action=\"/alarms\">"
        html +=
            field("site", "site", filter.site) + field("line", "line", filter.line)
            + field("machine_type", "machine type", filter.machineType)
        html += "<label>state <select name=\"state\">"
        for option in ["open", "all"] + AlarmState.allCases.map(\.rawValue) {
            let selected: HTML = (stateParameter ?? "open") == option ? " selected" : ""
            html += "<option value=\"\(option)\"\(selected)>\(option.replacingOccurrences(of: "_", with: " "))</option>"
        }
        html += "</select></label> <label>kind <select name=\"kind\"><option value=\"\">any</option>"
        for kind in AlarmKind.allCases {
            html +=
                "<option value=\"\(kind.rawValue)\"\(filter.kind == kind ? " selected" : "")>\(kind.rawValue.replacingOccurrences(of: "_", with: " "))</option>"
        }
        html += "</select></label> <button type=\"submit\">Show</button></form>"
        html += table(alarms, id: "alarms")
        if alarms.count == pageSize, let last = alarms.last?.id {
            var parameters = [("state", stateParameter ?? "open")]
            for (name, value) in [
                ("site", filter.site), ("line", filter.line), ("machine_type", filter.machineType), ("kind", filter.kind?.rawValue),
                ("subject", filter.subject),
            ] {
                if let value { parameters.append((name, value)) }
            }
            parameters.append(("before", String(last)))
            let query = parameters.map { (name, value) -> HTML in "\(name)=\(component: value)" }.joined(separator: "&amp;")
            html += "<p><a id=\"alarms-older\" href=\"/alarms?\(query)\">older alarms →</a></p>"
        }
        return html
    }

    private static func table(_ alarms: [AlarmRecord], id: String) -> HTML {
        let now = WallClock.nowMs()
        var html: HTML =
            "<table id=\"\(id)\"><tr><th>alarm</th><th>state</th><th>severity</th><th>kind</th><th>site</th><th>subject</th>"
            + "<th>line</th><th>type</th><th>raised (UTC)</th><th>detail</th></tr>"
        for alarm in alarms {
            let shelved: HTML =
                alarm.isShelved(nowMs: now)
                ? " <span class=\"shelved\">shelved until \(SVGChart.time(Double(alarm.shelvedUntilMs ?? 0)))</span>" : ""
            html +=
                "<tr><td><a href=\"/alarms/\(alarm.id)\">#\(alarm.id)</a></td>"
                + "<td class=\"alarm-\(alarm.state.rawValue)\">\(alarm.state.rawValue.replacingOccurrences(of: "_", with: " "))\(shelved)</td>"
                + "<td class=\"state-\(alarm.severity.rawValue)\">\(alarm.severity.rawValue)</td><td>\(alarm.kind.rawValue)</td>"
                + "<td>\(alarm.site)</td><td>\(subjectLink(alarm))</td><td>\(alarm.line ?? "—")</td>"
                + "<td>\(alarm.machineType ?? "—")</td><td>\(SVGChart.time(Double(alarm.raisedMs)))</td>"
                + "<td>\(alarm.detail)</td></tr>"
        }
        if alarms.isEmpty { html += "<tr><td colspan=\"10\" class=\"empty\">No alarms.</td></tr>" }
        return html + "</table>"
    }

    private static func subjectLink(_ alarm: AlarmRecord) -> HTML {
        guard alarm.kind.isAboutAsset else { return "\(alarm.subject)" }
        return "<a href=\"/assets/\(component: alarm.site)/\(component: alarm.subject)\">\(alarm.subject)</a>"
    }

    private func detail(_ alarm: AlarmRecord, request: Request, message: String?) -> HTML {
        let now = WallClock.nowMs()
        var html: HTML = "<p><a href=\"/alarms\">alarms</a> › #\(alarm.id)</p>"
        if let message { html += "<p class=\"error\" id=\"alarm-error\">\(message)</p>" }
        var cards = [
            ("state", alarm.state.rawValue.replacingOccurrences(of: "_", with: " ")), ("severity", alarm.severity.rawValue),
            ("kind", alarm.kind.rawValue), ("subject", "\(alarm.site) / \(alarm.subject)"),
            ("raised (UTC)", SVGChart.time(Double(alarm.raisedMs))),
        ]
        if alarm.isShelved(nowMs: now), let until = alarm.shelvedUntilMs {
            cards.append(("shelved until (UTC)", SVGChart.time(Double(until))))
        }
        if let resolution = alarm.resolution { cards.append(("resolution", resolution.rawValue.replacingOccurrences(of: "_", with: " "))) }
        html += "<div class=\"cards\" id=\"alarm-summary\">"
        for (label, value) in cards { html += "<div class=\"card\">\(label)<b>\(value)</b></div>" }
        html += "</div><p>\(alarm.detail)</p>"
        if alarm.kind.isAboutAsset { html += "<p>\(Self.subjectLink(alarm)): the asset's page with its scores and clips.</p>" }
        if !alarm.cause.isEmpty { html += "<p>Cause: \(alarm.cause)</p>" }
        if !alarm.actionTaken.isEmpty { html += "<p>Action taken: \(alarm.actionTaken)</p>" }
        html += actions(alarm, request: request, nowMs: now)
        html +=
            "<h3>Audit trail</h3><table id=\"alarm-transitions\"><tr><th>time (UTC)</th><th>action</th><th>state</th><th>who</th><th>note</th></tr>"
        for transition in alarm.transitions ?? [] {
            html +=
                "<tr><td>\(SVGChart.time(Double(transition.timeMs)))</td><td>\(transition.action.rawValue)\(transition.shelved ? " (shelved)" : "")</td>"
                + "<td>\(transition.toState.rawValue.replacingOccurrences(of: "_", with: " "))</td><td>\(transition.actor)</td>"
                + "<td>\(transition.note)</td></tr>"
        }
        return html + "</table>"
    }

    /// The forms of the actions that make sense now; a sign-in link when this browser may not write.
    private func actions(_ alarm: AlarmRecord, request: Request, nowMs: Int64) -> HTML {
        guard alarm.state != .closed else { return "" }
        guard access.mayWrite(request) else {
            return
                "<p id=\"alarm-sign-in\"><a href=\"/login?next=\(component: "/alarms/\(alarm.id)")\">Sign in</a> to acknowledge, shelve or close this alarm.</p>"
        }
        func form(_ action: AlarmAction, _ fields: HTML, _ button: String) -> HTML {
            "<form class=\"alarm-action\" id=\"alarm-\(action.rawValue)\" method=\"post\" action=\"/alarms/\(alarm.id)/\(action.rawValue)\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"\(access.csrfToken)\">"
                + "<label>your name <input name=\"actor\" required maxlength=\"100\"></label> \(fields)"
                + "<label>note <input name=\"note\" maxlength=\"2000\" size=\"30\"></label> <button type=\"submit\">\(button)</button></form>"
        }
        var html: HTML = "<h3>Act</h3>"
        if alarm.state == .activeUnacknowledged { html += form(.acknowledge, "", "Acknowledge") }
        if alarm.isShelved(nowMs: nowMs) {
            html += form(.unshelve, "", "Unshelve")
        } else {
            html += form(
                .shelve, "<label>hours <input name=\"hours\" type=\"number\" min=\"0.1\" step=\"0.1\" value=\"24\" required></label> ",
                "Shelve (maintenance)")
        }
        if alarm.state != .activeUnacknowledged {
            html += form(
                .close,
                "<label>resolution <select name=\"resolution\"><option value=\"fault_confirmed\">fault confirmed</option>"
                    + "<option value=\"false_alarm\">false alarm</option></select></label> "
                    + "<label>cause <input name=\"cause\" maxlength=\"2000\"></label> <label>action taken <input name=\"action\" maxlength=\"2000\"></label> ",
                "Close")
        }
        return html
    }
}
