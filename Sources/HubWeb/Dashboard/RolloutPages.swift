import HubCore
import HubRollout

/// The dashboard's model pages: the registered models, the sections of the capabilities built on the
/// hub (``HubWebFeature``: retraining's jobs and form), and every rollout with its counts per agent
/// state (`/rollouts`); one rollout's gate history and per-agent detail (`/rollouts/{id}`). Writes
/// (start a rollout, pause / resume / abort / roll back) are forms and buttons that call the API with
/// the bearer token (`dashboard.js`).
///
/// `Sendable`: an immutable reference to the thread-safe store.
struct RolloutPages: Sendable {
    let store: HubStore
    /// Capabilities whose sections follow the models table (retraining's jobs and form).
    let features: [any HubWebFeature]

    func list() throws -> HTML {
        var html: HTML =
            "<h2>Models</h2><table id=\"models\"><tr><th>family</th><th>version</th><th>status</th><th>parent</th><th>size</th><th>sha256</th><th>registered (UTC)</th></tr>"
        for model in try store.models() {
            html +=
                "<tr><td>\(model.family)</td><td>\(model.version)</td><td>\(model.status.rawValue)</td>"
                + "<td>\(model.parentVersion)</td><td>\(model.sizeBytes)</td><td><code>\(model.sha256.prefix(12))</code></td>"
                + "<td>\(HTML.time(ms: model.createdMs))</td></tr>"
        }
        html += "</table>" + (try features.map { try $0.modelsPageSection() }.joined()) + Self.forms
        html +=
            "<h2>Rollouts</h2><table id=\"rollouts\"><tr><th>rollout</th><th>version</th><th>state</th><th>stage</th>"
            + "<th>targeted</th><th>applied</th><th>succeeded</th><th>failed</th><th>rolled back</th><th>pending</th><th>reason</th></tr>"
        let rollouts = try store.rollouts()
        for rollout in rollouts {
            html +=
                "<tr><td><a href=\"/rollouts/\(component: rollout.rolloutID)\">\(rollout.rolloutID)</a></td>"
                + "<td>v\(rollout.previousVersion) → v\(rollout.version)</td><td class=\"rollout-\(rollout.state.rawValue)\">\(rollout.state.rawValue)</td>"
                + "<td>\(Self.stage(rollout))</td><td>\(rollout.targeted)</td><td>\(rollout.applied)</td><td>\(rollout.succeeded)</td>"
                + "<td>\(rollout.failed)</td><td>\(rollout.counts["rolled_back"] ?? 0)</td>"
                + "<td>\((rollout.counts["pending"] ?? 0) + (rollout.counts["delivered"] ?? 0))</td><td>\(rollout.reason)</td></tr>"
        }
        if rollouts.isEmpty { html += "<tr><td colspan=\"11\" class=\"empty\">No rollouts.</td></tr>" }
        return html + "</table>"
    }

    /// Start a rollout.
    private static let forms: HTML = """
        <h2>Actions</h2>
        <form id="start-rollout" data-api="/api/v1/rollouts"><b>Roll out</b>
        <input name="family" placeholder="family" required> <input name="version" type="number" min="1" placeholder="version" required>
        <input name="stages" placeholder="stages, e.g. 5,25,100"> <input name="soak" placeholder="soak, e.g. 10m">
        <button type="submit">start rollout</button> <span class="api-result" data-reload="1"></span></form>
        """

    func detail(_ id: String) throws -> HTML? {
        guard let rollout = try store.rollout(id) else { return nil }
        var html: HTML =
            "<h2>\(rollout.family) v\(rollout.previousVersion) → v\(rollout.version): \(rollout.state.rawValue)</h2><div class=\"cards\">"
        for (label, value) in [
            ("stage", Self.stage(rollout)), ("targeted", "\(rollout.targeted)"), ("applied", "\(rollout.applied)"),
            ("succeeded", "\(rollout.succeeded)"), ("failed", "\(rollout.failed)"),
            ("rolled back", "\(rollout.counts["rolled_back"] ?? 0)"),
        ] {
            html += "<div class=\"card\">\(label)<b>\(value)</b></div>"
        }
        html += "</div>"
        if !rollout.reason.isEmpty { html += "<p>Reason: \(rollout.reason)</p>" }
        html += "<p id=\"rollout-controls\">"
        for action in ["pause", "resume", "abort", "rollback"] {
            html +=
                "<button data-action=\"/api/v1/rollouts/\(component: rollout.rolloutID)/\(action)\" data-target=\"control-result\">"
                + "\(action == "rollback" ? "roll back" : action)</button> "
        }
        html += "<span id=\"control-result\" data-reload=\"1\"></span></p>"
        html += "<h3>Gates</h3><ul>" + rollout.history.map { (entry) -> HTML in "<li>\(entry)</li>" }.joined() + "</ul>"
        html +=
            "<h3>Agents</h3><table id=\"rollout-agents\"><tr><th>agent</th><th>site</th><th>stage</th><th>state</th><th>target</th><th>detail</th><th>updated (UTC)</th></tr>"
        for agent in try store.rolloutAgents(id) {
            html +=
                "<tr><td>\(agent.agentID)</td><td>\(agent.site)</td>"
                + "<td>\(Self.percent(rollout.plan, stage: agent.cohort))</td>"
                + "<td class=\"agent-\(agent.state.rawValue)\">\(agent.state.rawValue)</td>"
                + "<td>\(agent.targetVersion == 0 ? "—" : "v\(agent.targetVersion)")</td><td>\(agent.detail)</td>"
                + "<td>\(SVGChart.time(Double(agent.updatedMs)))</td></tr>"
        }
        return html + "</table>"
    }

    private static func stage(_ rollout: RolloutSummary) -> String {
        let index = min(max(rollout.currentStage, 0), rollout.plan.stages.count - 1)
        return "\(index + 1)/\(rollout.plan.stages.count) (\(percent(rollout.plan, stage: index)))"
    }

    /// The percentage of stage `index` (clamped to the last stage, as the rollout engine does);
    /// `—` for a stored plan without stages, so a damaged row cannot take the page down.
    private static func percent(_ plan: RolloutPlan, stage index: Int) -> String {
        guard let last = plan.stages.indices.last else { return "—" }
        return "\(plan.stages[min(max(index, 0), last)]) %"
    }
}
