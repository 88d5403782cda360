import BrokerSupport
import Foundation
import ServiceLifecycle
import Testing

@testable import HubRuntime

/// The dashboard in a real headless browser (Debian's `chromium`) against a running hub:
/// the charts are in the rendered DOM, the clip's audio element loads its WAV, and a
/// screenshot is saved under `.build/test-artifacts/`.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs /usr/bin/chromium"))
struct DashboardBrowserTests {
    static func chromium(_ arguments: [String]) throws -> String {
        try TestFiles.run(
            "/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio"] + arguments)
    }

    @Test func dashboardRendersAndAudioLoads() async throws {
        let hub = try HubFixture()
        try APIFixture.seed(hub.store, scratch: hub.directory)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let recent: [VerdictRecord] = (20...40).map { (seq: Int) -> VerdictRecord in
            let anomalous = seq % 3 == 0
            return VerdictRecord(
                seq: UInt64(seq), assetID: "fan-1", windowStartMs: now - Int64(41 - seq) * 60_000, windowMs: 1_000, modelFamily: "fan-ae",
                modelVersion: 3, score: anomalous ? 0.8 : 0.2, threshold: 0.5, label: "x", anomalous: anomalous,
                state: anomalous ? .warning : .normal)
        }
        _ = try hub.store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", verdicts: recent)], nowMs: now)

        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let group = hub.server.serviceGroup(gracefulShutdownSignals: []) { port in portContinuation.yield(port) }
        let task = Task { try await group.run() }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let base = "http://127.0.0.1:\(port)"

        let fleetDOM = try Self.chromium(["--virtual-time-budget=3000", "--dump-dom", base + "/"])
        #expect(fleetDOM.contains("<svg id=\"rate-chart\""))
        #expect(fleetDOM.contains("<polyline class=\"series rate\""))
        let assetDOM = try Self.chromium([
            "--virtual-time-budget=10000", "--autoplay-policy=no-user-gesture-required", "--dump-dom", base + "/assets/plant-a/fan-1",
        ])
        #expect(assetDOM.contains("<svg id=\"score-chart\""))
        #expect(assetDOM.contains("data-loaded=\"true\""), "the clip's audio element did not load")

        let artifacts = TestFiles.repositoryRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("dashboard-asset.png")
        try? FileManager.default.removeItem(at: screenshot)
        _ = try Self.chromium([
            "--window-size=1200,1000", "--virtual-time-budget=3000", "--screenshot=\(screenshot.path)", base + "/assets/plant-a/fan-1",
        ])
        let size = (try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 10_000)

        await group.triggerGracefulShutdown()
        try await task.value
    }
}
