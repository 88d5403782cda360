import BrokerSupport
import FleetSimulation
import Foundation
import ServiceLifecycle
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest
@testable import HubRollout
@testable import HubWeb

/// The dashboard in a real headless browser (Debian's `chromium`) against a running hub filled
/// by the fleet simulator over a real mosquitto, plus one asset with a real FLAC clip and 40 minutes of verdicts: the charts
/// are in the rendered DOM, a screenshot is saved under `.build/test-artifacts/`, the clip's audio
/// element loads its WAV, and clicking *confirm anomaly* stores the label.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs /usr/bin/chromium"))
struct DashboardBrowserTests {
    /// Runs chromium on a thread of its own: it loads pages from the hub in this process, whose
    /// handlers need the cooperative pool that a blocking wait here would hold.
    static func chromium(_ arguments: [String]) async throws -> String {
        try await DedicatedThread.run {
            try TestFiles.run(
                "/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio"] + arguments)
        }
    }

    /// Runs every hub service, fills the hub with simulated agents and the clip fixture, and
    /// calls `body` with the HTTP base URL; shuts the hub down gracefully afterwards.
    static func withFilledHub(_ hub: HubFixture, _ body: (String) async throws -> Void) async throws {
        try APIFixture.seed(hub.store, scratch: hub.directory)
        // The last 40 minutes of fan-1, so the fleet chart has several 15-minute buckets.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let recent: [VerdictRecord] = (20...40).map { (seq: Int) -> VerdictRecord in
            let anomalous = seq % 3 == 0
            return VerdictRecord(
                seq: UInt64(seq), assetID: "fan-1", windowStartMs: now - Int64(41 - seq) * 120_000, windowMs: 1_000, modelFamily: "fan-ae",
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
        await hub.server.ingest.waitUntilSubscribed()

        var options = FleetOptions(spoolDirectory: hub.directory.path("spools"))
        options.port = hub.broker.port
        options.site = "plant-sim"
        options.agents = 3
        options.ratePerAgent = 200
        options.batchSize = 20
        options.durationSeconds = 1
        options.anomalyFraction = 0.1
        let report = try await FleetSimulator(options: options, logger: HubFixture.logger).run()
        try #require(report.fullyAcknowledged)

        try await body("http://127.0.0.1:\(port)")
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test func chartsRenderAndAudioLoads() async throws {
        let hub = try HubFixture()
        try await Self.withFilledHub(hub) { base in
            let fleetDOM = try await Self.chromium(["--virtual-time-budget=3000", "--dump-dom", base + "/"])
            #expect(fleetDOM.contains("<svg id=\"rate-chart\""))
            #expect(fleetDOM.contains("<polyline class=\"series rate\""))
            #expect(fleetDOM.contains("plant-sim"), "the simulated site is not in the breakdown")
            let simAsset = try #require(try hub.store.assets().first { $0.site == "plant-sim" && $0.lastWindowMs > 0 })
            let simDOM = try await Self.chromium([
                "--virtual-time-budget=3000", "--dump-dom", base + "/assets/plant-sim/" + simAsset.assetID,
            ])
            #expect(simDOM.contains("<svg id=\"score-chart\""))
            #expect(simDOM.contains("<polyline class=\"series score\""))

            let assetDOM = try await Self.chromium([
                "--virtual-time-budget=10000", "--autoplay-policy=no-user-gesture-required", "--dump-dom", base + "/assets/plant-a/fan-1",
            ])
            #expect(assetDOM.contains("<svg id=\"score-chart\""))
            #expect(assetDOM.contains("data-loaded=\"true\""), "the clip's audio element did not load")

            for (name, path) in [("dashboard-fleet.png", "/"), ("dashboard-asset.png", "/assets/plant-a/fan-1")] {
                try await Self.screenshot(base, path, name, height: 1000)
            }
        }
    }

    /// A real click on *confirm anomaly* in the asset page (driven over the DevTools protocol):
    /// the page posts the label with the token from localStorage, shows it, and the hub stores it.
    @Test func labelClickIsStored() async throws {
        let hub = try HubFixture()
        try await Self.withFilledHub(hub) { base in
            let browser = try HeadlessChromium(profileDirectory: hub.directory.path("chromium-profile"))
            let session = try await browser.open(base + "/assets/plant-a/fan-1")
            // The loop is a safety bound for the page's fetch, not a timing assertion.
            let shown = try await browser.evaluate(
                """
                (async () => {
                  localStorage.setItem('earshot-token', '\(HubFixture.token)');
                  const cell = document.getElementById('label-10');
                  document.querySelector('button[data-label="confirmed_anomaly"][data-target="label-10"]').click();
                  for (let i = 0; i < 400 && cell.textContent !== 'confirmed_anomaly'; i++) await new Promise(r => setTimeout(r, 50));
                  return cell.textContent;
                })()
                """, session: session)
            #expect(shown as? String == "confirmed_anomaly")
            let labels = try hub.store.labels(limit: 10)
            #expect(labels.count == 1)
            #expect(labels.first?.agentID == "agent-a")
            #expect(labels.first?.seq == 10)
            #expect(labels.first?.label == .confirmedAnomaly)
            #expect(labels.first?.author == "dashboard")
            #expect(try hub.store.clip(agentID: "agent-a", seq: 10)?.label == "confirmed_anomaly")
        }
    }

    /// The models page's rollout form, submitted in a real browser: the fields go to
    /// `POST /api/v1/rollouts` as JSON (the version as a number) with the token, and the API's answer
    /// is shown. Version 99 is not registered, so the answer is the API's 409 naming it.
    @Test func rolloutFormPostsToTheAPIAndShowsTheAnswer() async throws {
        let hub = try HubFixture()
        try await Self.withFilledHub(hub) { base in
            let before = try hub.store.rollouts().count
            let browser = try HeadlessChromium(profileDirectory: hub.directory.path("chromium-profile"))
            let session = try await browser.open(base + "/rollouts")
            let shown = try await browser.evaluate(
                """
                (async () => {
                  localStorage.setItem('earshot-token', '\(HubFixture.token)');
                  const form = document.getElementById('start-rollout');
                  form.elements['family'].value = 'fan-ae';
                  form.elements['version'].value = '99';
                  const result = form.querySelector('.api-result');
                  form.querySelector('button[type=submit]').click();
                  for (let i = 0; i < 400 && result.textContent === ''; i++) await new Promise(r => setTimeout(r, 50));
                  return result.textContent;
                })()
                """, session: session)
            let text = shown as? String ?? ""
            #expect(text.hasPrefix("409") && text.contains("fan-ae") && text.contains("99"), "\(text)")
            #expect(try hub.store.rollouts().count == before)
        }
    }

    /// With `http.require_token_for_reads`, the asset page first shows the sign-in form; submitting the
    /// token signs the browser in (session cookie), and the asset page then shows the clip's spectrogram,
    /// which the browser decodes as a 128-band image.
    @Test func signInThenTheClipSpectrogramIsDrawn() async throws {
        let hub = try HubFixture(requireTokenForReads: true)
        try await Self.withFilledHub(hub) { base in
            let browser = try HeadlessChromium(profileDirectory: hub.directory.path("chromium-profile"))
            let first = try await browser.open(base + "/assets/plant-a/fan-1")
            let submitted = try await browser.evaluate(
                """
                (() => {
                  const form = document.getElementById('login');
                  if (!form || document.querySelector('audio')) return 'no sign-in form, or the page leaked';
                  form.elements.token.value = '\(HubFixture.token)';
                  form.querySelector('button[type=submit]').click();
                  return 'submitted';
                })()
                """, session: first)
            #expect(submitted as? String == "submitted")
            // Bounded retries while the form's POST lands; a safety bound, not a timing assertion.
            var drawn: Any?
            for _ in 0..<50 {
                let page = try await browser.open(base + "/assets/plant-a/fan-1")
                drawn = try await browser.evaluate(
                    """
                    (async () => {
                      const image = document.querySelector('img.spectrogram');
                      if (!image) return null;
                      await image.decode();
                      return [image.naturalWidth, image.naturalHeight, localStorage.getItem('earshot-token')];
                    })()
                    """, session: page)
                if drawn != nil && !(drawn is NSNull) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let values = try #require(drawn as? [Any], "the asset page never appeared after signing in")
            #expect(values[0] as? Int ?? 0 > 10)
            #expect(values[1] as? Int == ClipSpectrogram.melBands)
            #expect(values[2] as? String == HubFixture.token, "the sign-in form keeps the token for write actions")
        }
    }

    /// Saves a 1200-pixel-wide screenshot of `path` as `.build/test-artifacts/<name>` (docs/hub.md shows a copy
    /// from docs/images; a test run never rewrites tracked files).
    static func screenshot(_ base: String, _ path: String, _ name: String, height: Int) async throws {
        let artifacts = TestFiles.repositoryRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let file = artifacts.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: file)
        _ = try await chromium(["--window-size=1200,\(height)", "--virtual-time-budget=3000", "--screenshot=\(file.path)", base + path])
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 10_000, "screenshot \(name) is missing or blank")
    }

    /// The range links above the fleet chart, followed in the browser: each range draws its chart
    /// with distinct x-axis labels, different from the other ranges'; the plant overview draws one
    /// cell per asset; and a flagged clip's explanation says there is no normal reference until
    /// normal clips arrive, then draws its three images, the band table and the time line.
    @Test func rangesOverviewAndExplanation() async throws {
        let hub = try HubFixture()
        try await Self.withFilledHub(hub) { base in
            let browser = try HeadlessChromium(profileDirectory: hub.directory.path("chromium-profile"))
            let fleet = try await browser.open(base + "/")
            let links = try #require(
                try await browser.evaluate(
                    "[...document.querySelectorAll('#rate-range a')].map(a => a.getAttribute('href'))", session: fleet) as? [String])
            #expect(links.count == 4)
            var axes: Set<[String]> = []
            for link in links {
                let page = try await browser.open(base + link)
                let shown = try #require(
                    try await browser.evaluate(
                        """
                        [document.querySelector('#rate-range a[aria-current]').getAttribute('href'),
                         ...[...document.querySelectorAll('#rate-chart text.axis.x')].map(t => t.textContent)]
                        """, session: page) as? [String])
                #expect(shown.first == link, "the current range is marked")
                let labels = Array(shown.dropFirst())
                #expect(labels.count >= 4 && Set(labels).count == labels.count, "\(link): \(labels)")
                axes.insert(labels)
            }
            #expect(axes.count == 4)

            let cells = try await browser.evaluate(
                "[...document.querySelectorAll('#overview .cells a')].map(a => a.title.split(':')[0]).sort().join(',')", session: fleet)
            let assets = try hub.store.assets().map(\.assetID).sorted()
            #expect(assets.count > 3 && cells as? String == assets.joined(separator: ","), "the overview has a cell per asset")

            try ExplanationFixture.seed(hub.store, scratch: hub.directory, withNormal: false)
            let clipPath = "/assets/plant-a/fan-1/clips/agent-a/\(ExplanationFixture.flaggedSeq)"
            let missing = try await browser.evaluate(
                "document.getElementById('explanation-missing')?.textContent ?? ''", session: try await browser.open(base + clipPath))
            #expect((missing as? String ?? "").hasPrefix("No normal reference"))
            _ = try hub.store.ingest(
                [AgentMessages(agentID: "agent-a", site: "plant-a", clips: try ExplanationFixture.normalClips(scratch: hub.directory))],
                nowMs: APIFixture.t0 + 80_000)
            let explained = try #require(
                try await browser.evaluate(
                    """
                    (async () => {
                      const images = [...document.querySelectorAll('#explanation img')];
                      await Promise.all(images.map(i => i.decode()));
                      return [images.map(i => i.naturalHeight).join(','), document.querySelectorAll('#bands tr').length - 1,
                              document.querySelectorAll('#when-chart polyline').length, document.getElementById('explanation-missing') === null];
                    })()
                    """, session: try await browser.open(base + clipPath)) as? [Any])
            #expect(explained[0] as? String == "128,128,128", "clip, reference and difference images, 128 bands each")
            #expect(explained[1] as? Int == ClipExplanationPage.bandRows && explained[2] as? Int == 1 && explained[3] as? Bool == true)

            // A pressing plant of 60 assets on 3 lines, 4 without a verdict yet and some in warning or
            // alarm, so the overview's screenshot shows every state.
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let presses = (0..<60).map { AssetPlacement(assetID: "press-\($0)", line: "press-line-\($0 / 20 + 1)", machineType: "press") }
            let verdicts = (0..<56).map { (n: Int) -> VerdictRecord in
                let state: AssetState = n % 17 == 3 ? .alarm : n % 9 == 4 ? .warning : .normal
                return VerdictRecord(
                    seq: UInt64(n + 1), assetID: "press-\(n)", windowStartMs: now - 60_000, windowMs: 1_000, modelFamily: "press-ae",
                    modelVersion: 1, score: state == .normal ? 0.2 : 0.9, threshold: 0.5, label: "x", anomalous: state != .normal,
                    state: state)
            }
            _ = try hub.store.ingest(
                [
                    AgentMessages(
                        agentID: "agent-press", site: "plant-b",
                        status: AgentStatusRecord(online: true, softwareVersion: "1.0", spoolDepth: 0, assets: presses), verdicts: verdicts)
                ], nowMs: now)
            try await Self.screenshot(base, "/?range=24h", "dashboard-overview.png", height: 1500)
            try await Self.screenshot(base, "/assets/plant-a/fan-1?range=7d", "dashboard-asset-ranges.png", height: 1100)
            try await Self.screenshot(base, clipPath, "dashboard-explanation.png", height: 1300)
        }
    }
}
