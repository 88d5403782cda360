import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest
@testable import HubWeb

/// The clip explanation: a clip with a 3 kHz whine in its second half against normal clips of a
/// 440 Hz hum names the whine's band and its time; without normal clips, or for a clip that cannot
/// be decoded, the page says so (200, counted); wrong paths are 400 or 404.
@Suite struct ClipExplanationPageTests {
    static let flaggedPage = "/assets/plant-a/fan-1/clips/agent-a/\(ExplanationFixture.flaggedSeq)"

    @Test func namesTheBandsAndTheTimeThatDifferFromNormal() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try ExplanationFixture.seed(server.store, scratch: dir, withNormal: true)
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(uri: Self.flaggedPage, method: .get)
            #expect(response.status == .ok)
            let page = DashboardRoutesTests.body(response)
            #expect(page.contains("<section id=\"explanation\">") && !page.contains("explanation-missing"))
            #expect(page.contains("4 normal clips of this asset at 16000 Hz"))
            for image in ["clip-image", "reference-image", "difference-image"] {
                #expect(page.contains("<img id=\"\(image)\" class=\"explain-image\" src=\"data:image/png;base64,"), "\(image)")
            }
            let top = try #require(
                page.firstMatch(of: #/<table id="bands">.*?<tr><td>\d+</td><td>(\d+)–(\d+) \(peak (\d+)\)</td>.*?<td class="(\w+)">/#))
            let (low, high) = (Int(top.output.1) ?? 0, Int(top.output.2) ?? 0)
            #expect(low <= 3_000 && 3_000 <= high, "the top band is \(low)–\(high) Hz, not the whine's")
            #expect(top.output.4 == "louder")
            let when = try #require(page.firstMatch(of: #/Differs most at ([0-9.]+) s/#).flatMap { Double($0.output.1) })
            // Within the whine, not at the clip's edges (zero padding once made the last frame differ most).
            #expect(when >= ExplanationFixture.whineStartSeconds - 0.1 && when < Double(ExplanationFixture.seconds) - 0.1, "at \(when) s")
            #expect(page.contains("<svg id=\"when-chart\"") && page.contains("<svg id=\"trend-chart\""))
        }
    }

    /// Reference profiles are cached by SHA-256: with the normal clips' files gone, a second view
    /// still explains the clip against all four.
    @Test func referenceProfilesAreComputedOnce() throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try ExplanationFixture.seed(server.store, scratch: dir, withNormal: true)
        let cache = ClipCache<[Float]>(capacity: 1_024)
        let page = ClipExplanationPage(store: server.store, profiles: cache, metrics: server.metrics, logger: HubFixture.logger)
        let asset = try #require(try server.store.asset(site: "plant-a", assetID: "fan-1"))
        let flagged = try #require(try server.store.clip(agentID: "agent-a", seq: ExplanationFixture.flaggedSeq))
        #expect(try page.render(asset: asset, clip: flagged).rendered.contains("4 normal clips"))
        #expect(cache.count == 4)
        for seq in ExplanationFixture.normalSeqs {
            let clip = try #require(try server.store.clip(agentID: "agent-a", seq: seq))
            try FileManager.default.removeItem(at: server.store.clipFile(clip))
        }
        let again = try page.render(asset: asset, clip: flagged).rendered
        #expect(again.contains("4 normal clips") && !again.contains("could not be decoded"))
    }

    @Test func saysSoWhenThereIsNoNormalReference() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try ExplanationFixture.seed(server.store, scratch: dir, withNormal: false)
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(uri: Self.flaggedPage, method: .get)
            #expect(response.status == .ok)
            let page = DashboardRoutesTests.body(response)
            #expect(page.contains("<p class=\"empty\" id=\"explanation-missing\">No normal reference for this asset yet"))
            #expect(!page.contains("<section id=\"explanation\">") && page.contains("<svg id=\"trend-chart\""))
        }
    }

    /// An undecodable flagged clip is explained in words, and an undecodable normal clip is left out
    /// of the reference; both count in `earshot_hub_clip_decode_refused_total{reason="undecodable"}`.
    @Test func undecodableClipsAreSaidAndCounted() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try ExplanationFixture.seed(server.store, scratch: dir, withNormal: true)
        let broken = [70, 71].map { (seq: UInt64) in
            ClipRecord(
                seq: seq, clipID: "clip-\(seq)", assetID: "fan-1", windowStartMs: APIFixture.t0 + 80_000 + Int64(seq),
                reason: seq == 70 ? "anomaly" : "random_normal",
                codec: "flac", sampleRate: 16_000, channels: 1, bytes: [1, 2, 3, UInt8(seq)], verdictSeq: nil)
        }
        _ = try server.store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", clips: broken)], nowMs: APIFixture.t0 + 90_000)
        try await HubFixture.application(server).test(.router) { client in
            let unexplained = try await client.execute(uri: "/assets/plant-a/fan-1/clips/agent-a/70", method: .get)
            #expect(unexplained.status == .ok)
            #expect(DashboardRoutesTests.body(unexplained).contains("id=\"explanation-missing\">This clip cannot be explained"))
            let partial = DashboardRoutesTests.body(try await client.execute(uri: Self.flaggedPage, method: .get))
            #expect(partial.contains("4 normal clips") && partial.contains("1 could not be decoded and was left out."))
        }
        #expect(server.metrics.render().contains("earshot_hub_clip_decode_refused_total{reason=\"undecodable\"} 2"))
    }

    @Test func wrongPathsAreRefused() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try DashboardRoutesTests.seedUmlautAsset(server.store)
        try await HubFixture.application(server).test(.router) { client in
            let known = try await client.execute(uri: "/assets/plant-a/fan-1/clips/agent-a/10", method: .get)
            #expect(known.status == .ok)
            for (uri, status) in [
                ("/assets/plant-a/fan-1/clips/agent-a/999", HTTPResponse.Status.notFound),
                ("/assets/plant-a/fan-9/clips/agent-a/10", .notFound),
                ("/assets/plant-a/fan-1/clips/agent-%C3%BC/7", .notFound),  // a clip of another asset
                ("/assets/plant-a/fan-1/clips/agent-a/99999999999999999999", .badRequest),
                ("/assets/plant-a/fan-1/clips/agent-a/-1", .badRequest),
                ("/assets/plant-a/fan-1/clips/agent-a/x", .badRequest),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == status, "\(uri)")
            }
        }
    }
}
