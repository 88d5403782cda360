import Foundation
import HubCore
import Hummingbird
import Logging
import Wire

/// The server-rendered dashboard: factory-wide anomaly rate with drill-down and the plant overview
/// (`/`, `PlantOverview`), an asset page with its score chart, 30-day trend, threshold, clips and
/// label buttons (`/assets/{site}/{asset}`, `AssetCharts`), a clip's explanation against the asset's
/// normal sound (`/assets/{site}/{asset}/clips/{agent}/{seq}`, `ClipExplanationPage`), the agents
/// (`/agents`), the rollouts (`/rollouts`, `RolloutPages`), the plant overview alone (`/overview`) and the
/// alarms (`/alarms`, `AlarmPages`, also each asset's alarm history). Charts are inline SVG over a chosen
/// `ChartRange` and every clip has its spectrogram (`ClipSpectrogram`, served by the API); the
/// script serves the buttons and forms.
///
/// With `http.require_token_for_reads`, a page asked for without the token or a session answers 401
/// with a sign-in form; `POST /login` checks the token and sets the session cookie (`AccessControl`).
///
/// `Sendable`: an immutable reference to the thread-safe store.
struct DashboardRoutes: Sendable {
    let store: HubStore
    let access: AccessControl
    /// The alarm pages (`/alarms`), and each asset's alarm history.
    let alarms: AlarmPages
    let metrics: HubMetrics
    /// Whether ingest stores and hears the broker; every page shows a banner when not.
    let ingestHealth: IngestHealth
    let logger: Logger
    /// Capabilities whose sections the models page shows (``HubWebFeature``).
    let features: [any HubWebFeature]
    /// Reference clips' profiles for the clip explanations, kept for the server's life.
    private let profiles = ClipCache<[Float]>(capacity: 1_024)

    func add(to router: Router<BasicRequestContext>) {
        let pages = router.group().add(middleware: DashboardAccessMiddleware(access: access))
        alarms.add(pages: pages, forms: router.group().add(middleware: DashboardFormAccessMiddleware(access: access)))
        pages.get("/", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let level = query.get("level").flatMap(RollupLevel.init(apiName:)) ?? .fleet
            let range = try ChartRange.parse(query)
            return Self.page(
                title: "Fleet", body: try fleet(level: level, key: try RequestParameters.key(query), range: range),
                problems: ingestHealth.currentProblems)
        }
        pages.get("/overview", blockingOn: store) { request, _ in
            // The plant overview alone: every asset at a glance, without the fleet page's charts.
            let query = request.uri.queryParameters
            let site = try RequestParameters.identifier(query, "site").flatMap { $0.isEmpty ? nil : $0 }
            let line = try RequestParameters.identifier(query, "line").flatMap { $0.isEmpty ? nil : $0 }
            return Self.page(
                title: "Plant overview", body: PlantOverview(overview: try store.assetOverview(site: site, line: line)).render(),
                problems: ingestHealth.currentProblems)
        }
        pages.get("/assets/:site/:asset", blockingOn: store) { request, context in
            let site = try RequestParameters.identifier(context, "site")
            let asset = try RequestParameters.identifier(context, "asset")
            let range = try ChartRange.parse(request.uri.queryParameters)
            guard let summary = try store.asset(site: site, assetID: asset) else { throw HubAPIError.notFound("no such asset") }
            return Self.page(title: summary.assetID, body: try assetPage(summary, range: range), problems: ingestHealth.currentProblems)
        }
        pages.get("/assets/:site/:asset/clips/:agent/:seq", blockingOn: store) { request, context in
            let site = try RequestParameters.identifier(context, "site")
            let asset = try RequestParameters.identifier(context, "asset")
            let (agent, seq) = try RequestParameters.clip(context)
            guard let summary = try store.asset(site: site, assetID: asset), let clip = try store.clip(agentID: agent, seq: seq),
                clip.site == site, clip.assetID == asset
            else { throw HubAPIError.notFound("no such clip of this asset") }
            let page = ClipExplanationPage(store: store, profiles: profiles, metrics: metrics, logger: logger)
            return Self.page(
                title: "Clip \(seq) of \(summary.assetID)", body: try page.render(asset: summary, clip: clip),
                problems: ingestHealth.currentProblems)
        }
        pages.get("/agents", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let limit = try RequestParameters.limit(query, default: AgentPage.defaultLimit, max: AgentPage.maxLimit)
            let page = try store.agents(after: try RequestParameters.identifier(query, "after"), limit: limit)
            return Self.page(title: "Agents", body: Self.agentsPage(page, limit: limit), problems: ingestHealth.currentProblems)
        }
        pages.get("/rollouts", blockingOn: store) { _, _ in
            Self.page(
                title: "Models, retraining and rollouts", body: try RolloutPages(store: store, features: features).list(),
                problems: ingestHealth.currentProblems)
        }
        pages.get("/rollouts/:id", blockingOn: store) { request, context in
            let id = try RequestParameters.identifier(context, "id")
            guard let page = try RolloutPages(store: store, features: features).detail(id) else {
                throw HubAPIError.notFound("no such rollout")
            }
            return Self.page(title: id, body: page, problems: ingestHealth.currentProblems)
        }
        router.get("/login") { request, _ in
            Self.signIn(next: request.uri.queryParameters.get("next") ?? "/", status: .ok, message: nil)
        }
        router.post("/login") { request, _ in
            let form = try await Self.form(request)
            let next = Self.localPath(form["next"] ?? "/")
            guard access.checkToken(form["token"] ?? "") else {
                return Self.signIn(next: next, status: .unauthorized, message: "That is not the hub's token.")
            }
            return Response(status: .seeOther, headers: [.location: next, .setCookie: access.sessionCookie])
        }
        router.get("/static/dashboard.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css"], body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardAssets.css)))
        }
        router.get("/static/dashboard.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardAssets.js)))
        }
    }

    /// The sign-in page: one token field that `POST /login` checks, then back to `next`.
    static func signIn(next: String, status: HTTPResponse.Status, message: String?) -> Response {
        var body: HTML = "<h2>Sign in</h2><p>This hub requires its token to read the dashboard (<code>http.token</code> in hub.yaml).</p>"
        if let message { body += "<p class=\"error\">\(message)</p>" }
        body +=
            "<form id=\"login\" method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" value=\"\(localPath(next))\">"
            + "<label>Token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label> "
            + "<button type=\"submit\">Sign in</button></form>"
        return page(title: "Sign in", body: body, problems: [], status: status)
    }

    /// `path` when it is certainly a path on this server, else `/`: no open redirect after sign-in.
    ///
    /// Accepted: a single leading `/` followed by printable ASCII other than `\\` (percent-encode anything
    /// else), with no `//` anywhere. That refuses `//elsewhere`, `/\\elsewhere`, `https://…` and `/\t/elsewhere`
    /// (browsers strip tabs and newlines from a `Location`, turning it into `//elsewhere`).
    static func localPath(_ path: String) -> String {
        let printableASCII = path.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }
        return path.hasPrefix("/") && !path.contains("//") && printableASCII ? path : "/"
    }

    /// The fields of an `application/x-www-form-urlencoded` body of at most 4 KiB.
    static func form(_ request: Request) async throws -> [String: String] {
        formFields(try await request.body.collect(upTo: maxFormBytes))
    }

    /// The largest form body the dashboard reads, bytes.
    static let maxFormBytes = 4_096

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: ByteBuffer) -> [String: String] {
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let name = parts.first { fields[name] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    /// The rate chart of one rollup key, the breakdown of its children over `range`, and the plant
    /// overview of the selection's assets.
    private func fleet(level: RollupLevel, key: String, range: ChartRange) throws -> HTML {
        let now = WallClock.nowMs()
        let span = range.timeRange(endingAt: now)
        let (from, to) = (span.fromMs, span.toMs)
        let summary = try store.fleetSummary(nowMs: now)
        var html: HTML = "<div class=\"cards\">"
        for (label, value) in [
            ("agents online", "\(summary.agentsOnline) / \(summary.agents)"), ("assets", "\(summary.assets)"),
            ("in alarm", "\(summary.assetsByState["alarm"] ?? 0)"), ("in warning", "\(summary.assetsByState["warning"] ?? 0)"),
            ("verdicts, last hour", "\(summary.verdictsLastHour)"),
            ("anomaly rate, last hour", String(format: "%.2f %%", summary.anomalyRateLastHour * 100)),
        ] {
            html += "<div class=\"card\">\(label)<b>\(value)</b></div>"
        }
        html += "</div>"
        let title = level == .fleet ? "Factory-wide" : "\(level.apiName) \(key)"
        html += "<h2>Anomaly rate: \(title), last \(range.label)</h2>"
        var crumbs: [HTML] = ["<a href=\"/\">fleet</a>"]
        let parts = key.split(separator: "/").map(String.init)
        if level != .fleet, level != .machineType, let site = parts.first {
            crumbs.append("<a href=\"/?level=site&key=\(component: site)\">\(site)</a>")
            if parts.count >= 2 {
                let line = "\(site)/\(parts[1])"
                crumbs.append("<a href=\"/?level=line&key=\(component: line)\">\(parts[1])</a>")
            }
            if parts.count >= 3 { crumbs.append("\(parts[2])") }
        }
        html += "<p>" + crumbs.joined(separator: " › ") + "</p>"
        let selection = level == .fleet ? [] : [("level", level.apiName), ("key", key)]
        html += ChartRange.links(path: "/", query: selection, current: range, id: "rate-range")
        let points = try store.anomalyRate(level: level, key: key, fromMs: from, toMs: to, bucketMinutes: range.bucketMinutes)
        html += "<p class=\"note\">Each point: anomalous verdicts ÷ verdicts per \(range.bucketLabel) (UTC).</p>"
        html += SVGChart(yLabel: "anomaly rate", domain: span).render(
            [.init(name: "anomaly rate", cssClass: "rate", points: points.map { (Double(max($0.bucketStartMs, from)), $0.rate) })],
            id: "rate-chart")
        switch level {
        case .fleet: html += PlantOverview(overview: try store.assetOverview()).render()
        case .site: html += PlantOverview(overview: try store.assetOverview(site: key)).render()
        case .line:
            let (site, line) = key.firstIndex(of: "/").map { (String(key[..<$0]), String(key[key.index(after: $0)...])) } ?? (key, "")
            html += PlantOverview(overview: try store.assetOverview(site: site, line: line)).render()
        case .lineMachineType, .machineType, .asset: break
        }
        let (childLevel, parent): (RollupLevel?, String?) = {
            switch level {
            case .fleet: return (.site, nil)
            case .site: return (.line, key)
            case .line: return (.lineMachineType, key)
            case .lineMachineType, .machineType, .asset: return (nil, nil)
            }
        }()
        if let childLevel {
            let rows = try store.anomalyBreakdown(level: childLevel, fromMs: from, toMs: to, under: parent)
            html +=
                "<h3>By \(childLevel.apiName.replacingOccurrences(of: "_", with: " ")), last \(range.label)</h3>"
                + Self.breakdownTable(rows, level: childLevel, range: range)
        }
        if level == .fleet {
            let types = try store.anomalyBreakdown(level: .machineType, fromMs: from, toMs: to)
            html += "<h3>By machine type, last \(range.label)</h3>" + Self.breakdownTable(types, level: .machineType, range: range)
        }
        let assets = try store.assets().filter { asset in
            switch level {
            case .fleet: return asset.state != "normal"
            case .site: return asset.site == key
            case .line: return "\(asset.site)/\(asset.line)" == key
            case .lineMachineType: return "\(asset.site)/\(asset.line)/\(asset.machineType)" == key
            case .machineType: return asset.machineType == key
            case .asset: return "\(asset.site)/\(asset.assetID)" == key
            }
        }
        html += "<h3>\(level == .fleet ? "Assets not normal" : "Assets")</h3>" + Self.assetTable(assets)
        return html
    }

    private func assetPage(_ asset: AssetSummary, range: ChartRange) throws -> HTML {
        // The stored time may be anything an agent sent: clamp it into the representable window first.
        let to = TimeRange.clamp(asset.lastWindowMs) + 1
        let from = to - 6 * 3_600_000
        let points = try store.timeline(site: asset.site, assetID: asset.assetID, fromMs: from, toMs: to, limit: 5_000)
        var html: HTML =
            "<p><a href=\"/\">fleet</a> › <a href=\"/?level=site&key=\(component: asset.site)\">\(asset.site)</a> › "
            + "<a href=\"/?level=line&key=\(component: asset.site + "/" + asset.line)\">\(asset.line)</a> › \(asset.assetID)</p>"
        html +=
            "<div class=\"cards\"><div class=\"card\">state<b class=\"state-\(asset.state)\">\(asset.state)</b></div>"
            + "<div class=\"card\">machine type<b>\(asset.machineType)</b></div>"
            + "<div class=\"card\">agent<b>\(asset.agentID)</b></div></div>"
        let charts = AssetCharts(store: store, asset: asset, threshold: try store.latestThreshold(site: asset.site, assetID: asset.assetID))
        html += try charts.scoreChart(range: range, recent: points) + (try charts.trend())
        var transitions: [HTML] = []
        var previous: String?
        for point in points where point.state != previous {
            transitions.append(
                "<tr><td>\(SVGChart.time(Double(point.windowStartMs)))</td><td class=\"state-\(point.state)\">\(point.state)</td></tr>")
            previous = point.state
        }
        html +=
            "<h3>State history (last 6 h of data)</h3><table><tr><th>from (UTC)</th><th>state</th></tr>" + transitions.suffix(50).joined()
            + "</table>"
        let clips = try store.clips(site: asset.site, assetID: asset.assetID, limit: 50)
        html += "<h3>Clips</h3><table><tr><th>time (UTC)</th><th>reason</th><th>listen</th><th>label</th><th></th></tr>"
        for clip in clips {
            let base: HTML = "/api/v1/clips/\(component: clip.agentID)/\(clip.seq)"
            let cell = "label-\(clip.seq)"
            let explain: HTML =
                "/assets/\(component: asset.site)/\(component: asset.assetID)/clips/\(component: clip.agentID)/\(clip.seq)"
            html +=
                "<tr><td>\(SVGChart.time(Double(clip.windowStartMs)))</td><td>\(clip.reason)"
                + "<br><a class=\"explain\" href=\"\(explain)\">explain</a></td>"
                + "<td><audio controls preload=\"metadata\" src=\"\(base)/audio.wav\"></audio><br>"
                + "<img class=\"spectrogram\" src=\"\(base)/spectrogram.png\" loading=\"lazy\" "
                + "alt=\"log-mel spectrogram, 0 to \(clip.sampleRate / 2) Hz\" title=\"log-mel spectrogram: time →, frequency ↑, 80 dB range\"></td>"
                + "<td id=\"\(cell)\">\(clip.label ?? "—")</td><td>"
                + "<button data-label=\"confirmed_anomaly\" data-url=\"\(base)/labels\" data-target=\"\(cell)\">confirm anomaly</button>"
                + "<button data-label=\"false_alarm\" data-url=\"\(base)/labels\" data-target=\"\(cell)\">false alarm</button></td></tr>"
        }
        if clips.isEmpty { html += "<tr><td colspan=\"5\" class=\"empty\">No clips.</td></tr>" }
        return html + "</table>" + (try alarms.history(site: asset.site, assetID: asset.assetID))
    }

    /// One page of agents, the fleet's counts and a link to the next page.
    private static func agentsPage(_ page: AgentPage, limit: Int) -> HTML {
        var html: HTML = "<p id=\"agent-counts\">\(page.total) agents, \(page.online) online; \(page.agents.count) shown"
        if let first = page.agents.first?.agentID, let last = page.agents.last?.agentID {
            html += " (\(first) to \(last))"
        }
        html += ".</p>"
        html +=
            "<table id=\"agents\"><tr><th>agent</th><th>site</th><th>state</th><th>version</th><th>spool depth</th><th>acked seq</th><th>assets</th><th>clock skew</th><th>asset conflicts</th><th>last seen (UTC)</th></tr>"
        for agent in page.agents {
            let conflicts: HTML = agent.assetConflicts > 0 ? " class=\"problem\"" : ""
            html +=
                "<tr><td>\(agent.agentID)</td><td>\(agent.site)</td>"
                + "<td class=\"\(agent.online ? "online" : "offline")\">\(agent.online ? "online" : "offline")</td>"
                + "<td>\(agent.softwareVersion)</td>\(Self.spoolCell(agent))<td>\(agent.acknowledgedSeq)</td>"
                + "<td>\(agent.assets)</td>\(Self.skewCell(agent))"
                + "<td\(conflicts)>\(agent.assetConflicts)</td>"
                + "<td>\(SVGChart.time(Double(agent.lastSeenMs)))</td></tr>"
        }
        html += "</table>"
        if let next = page.nextAfter {
            html += "<p><a id=\"agents-next\" href=\"/agents?after=\(component: next)&limit=\(limit)\">next \(limit) agents →</a></p>"
        }
        return html
    }

    /// The agent's spool depth, flagged while its spool refuses writes (with the error and what was lost).
    private static func spoolCell(_ agent: AgentSummary) -> HTML {
        guard let outage = agent.spoolOutage else { return "<td>\(agent.spoolDepth)</td>" }
        return "<td class=\"problem\" title=\"\(outage.failure)\">\(agent.spoolDepth); cannot write since "
            + "\(SVGChart.time(Double(outage.sinceMs))), lost \(outage.lostVerdicts) verdicts "
            + "(\(outage.lostAnomalousVerdicts) anomalous), \(outage.lostClips) clips</td>"
    }

    /// The agent's last reported clock offset from the hub's, flagged when over `ingest.max_clock_skew_s`.
    private static func skewCell(_ agent: AgentSummary) -> HTML {
        guard let skew = agent.clockSkewMs else { return "<td>—</td>" }
        let text = String(format: "%+.1f s", Double(skew) / 1_000)
        return agent.clockSkewProblem ? "<td class=\"problem\" title=\"fix the agent host's clock\">\(text)</td>" : "<td>\(text)</td>"
    }

    private static func breakdownTable(_ rows: [RollupTotal], level: RollupLevel, range: ChartRange) -> HTML {
        var html: HTML =
            "<table><tr><th>\(level.apiName.replacingOccurrences(of: "_", with: " "))</th><th>verdicts</th><th>anomalous</th><th>rate</th><th>max score</th></tr>"
        for row in rows {
            html +=
                "<tr><td><a href=\"/?level=\(level.apiName)&key=\(component: row.key)&range=\(range.rawValue)\">\(row.key)</a></td>"
                + "<td>\(row.count)</td><td>\(row.anomalous)</td><td>\(String(format: "%.2f %%", row.rate * 100))</td><td>\(SVGChart.format(row.maxScore))</td></tr>"
        }
        if rows.isEmpty { html += "<tr><td colspan=\"5\" class=\"empty\">No verdicts in this range.</td></tr>" }
        return html + "</table>"
    }

    private static func assetTable(_ assets: [AssetSummary]) -> HTML {
        var html: HTML = "<table><tr><th>asset</th><th>site</th><th>line</th><th>type</th><th>state</th><th>last score</th></tr>"
        for asset in assets.prefix(500) {
            html +=
                "<tr><td><a href=\"/assets/\(component: asset.site)/\(component: asset.assetID)\">\(asset.assetID)</a></td>"
                + "<td>\(asset.site)</td><td>\(asset.line)</td><td>\(asset.machineType)</td>"
                + "<td class=\"state-\(asset.state)\">\(asset.state)</td><td>\(SVGChart.format(asset.lastScore))</td></tr>"
        }
        if assets.isEmpty { html += "<tr><td colspan=\"6\" class=\"empty\">None.</td></tr>" }
        return html + "</table>"
    }

    /// A dashboard page: the header, then `body`; while ingest cannot do its job (`problems`, from ``IngestHealth``),
    /// a banner above it says what is wrong and that the page's figures stop there.
    static func page(title: String, body: HTML, problems: [IngestHealth.Problem], status: HTTPResponse.Status = .ok) -> Response {
        var banner: HTML = ""
        for problem in problems {
            let since = UTCTime(ms: problem.sinceMs)
            banner +=
                "<p class=\"outage\" role=\"alert\"><strong>\(problem.headline)</strong> since \(since.formatted(.date)) "
                + "\(since.formatted(.hourMinute)) UTC: \(problem.detail) The figures below stop there.</p>"
        }
        let body = banner + body
        let html: HTML = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title) · Earshot</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="stylesheet" href="/static/dashboard.css"><script src="/static/dashboard.js" defer></script></head>
            <body><header><h1>Earshot</h1><a href="/">Fleet</a><a href="/overview">Overview</a><a href="/alarms">Alarms</a><a href="/agents">Agents</a><a href="/rollouts">Models &amp; rollouts</a></header><main>\(body)</main></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html.rendered)))
    }
}
