import BrokerSupport
import Foundation
import HubCore
import Retraining
import Testing

/// The metrics the documentation names are the ones the hub exports: an alert written from
/// docs/operations.md must fire, and every exported metric is explained in docs/hub.md's table.
@Suite struct DocumentedMetricsTests {
    /// Every metric family `/metrics` can render, by name: the hub's own, retraining's, and the
    /// notification counter, which is created at its first count.
    static func exportedNames() -> Set<String> {
        let metrics = HubMetrics()
        _ = RetrainingMetrics(registry: metrics.registry)
        metrics.countNotifications(route: "mqtt", outcome: .delivered)
        let types = metrics.render().split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        return Set(types.map { String($0.split(separator: " ")[2]) })
    }

    /// The `earshot_hub_…` names written in `text` (a label set or a PromQL function around them is not part of a name).
    static func namesMentioned(in text: String) -> Set<String> {
        Set(text.matches(of: /earshot_hub_[a-z0-9_]*[a-z0-9]/).map { String($0.output) })
    }

    static func documentation() throws -> [(file: String, text: String)] {
        let root = TestFiles.repositoryRoot
        var files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/\($0)" }
        files.append("README.md")
        return try files.sorted().map { ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func everyMetricTheDocsNameIsExported() throws {
        let exported = Self.exportedNames()
        #expect(exported.contains("earshot_hub_ingest_failures_total"))
        for (file, text) in try Self.documentation() {
            for name in Self.namesMentioned(in: text).sorted() {
                #expect(exported.contains(name), "\(file) names \(name), which the hub does not export")
            }
        }
    }

    @Test func everyExportedMetricIsInTheHubsMetricTable() throws {
        let hub = try #require(try Self.documentation().first { $0.file == "docs/hub.md" }).text
        let section =
            try #require(hub.components(separatedBy: "\n## Metrics\n").dropFirst().first)
            .components(separatedBy: "\n## ").first ?? ""
        let tabled = Self.namesMentioned(in: section)
        for name in Self.exportedNames().sorted() {
            #expect(tabled.contains(name), "docs/hub.md's Metrics table does not list \(name)")
        }
    }
}
