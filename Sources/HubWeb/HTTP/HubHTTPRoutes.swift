import AudioIO
import Foundation
import HubCore
import HubRollout
import Hummingbird
import Logging
import Spectral
import Wire

/// The hub's HTTP routes: `/healthz`, `/metrics`, the JSON API under `/api/v1`
/// (documented in `docs/openapi.yaml`, alarms in `AlarmRoutes`) and the dashboard (`DashboardRoutes`,
/// `AlarmPages`; label writes go through the API with the token, alarm forms with the session and a CSRF token).
///
/// API write actions (`POST`) need `Authorization: Bearer <http.token>`; with
/// `http.require_token_for_reads` every read does too, or the dashboard's session cookie
/// (`AccessControl`). Handlers run the store's synchronous reads; GRDB's pool serves them
/// concurrently with ingest (WAL readers never block the writer).
///
/// `Sendable`: immutable references to thread-safe parts.
public struct HubHTTPRoutes: Sendable {
    let store: HubStore
    let metrics: HubMetrics
    /// Whether ingest stores and hears the broker: `/healthz` answers 503 and the dashboard pages say so when not.
    let ingestHealth: IngestHealth
    let access: AccessControl
    private let rollout: RolloutSettings
    let logger: Logger
    /// Capabilities built on the hub that add their routes and a models-page section (retraining).
    let features: [any HubWebFeature]
    /// When alarms are raised and how long they may be shelved (`alarms.*`).
    let alarms: AlarmSettings
    /// Spectrogram PNGs by clip content: a clip never changes, so its image is drawn once (the last 128 drawn).
    private let spectrograms = ClipCache<[UInt8]>(capacity: 128)

    /// Creates the routes.
    /// - Parameters:
    ///   - ingestHealth: the ingest service's ``IngestHealth``.
    ///   - alarms: the alarm policy (`alarms.*`).
    ///   - features: capabilities built on the hub that add their own routes and models-page section.
    public init(
        store: HubStore, metrics: HubMetrics, ingestHealth: IngestHealth, http: HubConfiguration.HTTP,
        rollout: RolloutSettings = RolloutSettings(), logger: Logger, alarms: AlarmSettings = AlarmSettings(),
        features: [any HubWebFeature] = []
    ) {
        self.ingestHealth = ingestHealth
        self.alarms = alarms
        self.features = features
        self.store = store
        self.rollout = rollout
        self.metrics = metrics
        self.access = AccessControl(token: http.token, requireTokenForReads: http.requireTokenForReads, refused: metrics.unauthorized)
        self.logger = logger
    }

    /// A router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware<BasicRequestContext>(badRequests: metrics.httpBadRequests, logger: logger))
        router.get("/healthz", blockingOn: store) { _, _ in
            _ = try store.onlineAgentCount()
            let health = HealthResponse(ingestHealth.currentProblems)
            return try Self.json(health, status: health.problem == nil ? .ok : .serviceUnavailable)
        }
        router.get("/metrics", blockingOn: store) { _, _ in
            updateGauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        let api = router.group("/api/v1").add(middleware: APIAccessMiddleware(access: access))
        api.get("fleet", blockingOn: store) { request, _ in
            return try Self.json(try store.fleetSummary(nowMs: WallClock.nowMs()))
        }
        api.get("anomaly-rate", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let level = try Self.level(query.get("level"))
            let key = try RequestParameters.key(query)
            guard level != .fleet || key.isEmpty else { throw HubAPIError.badRequest("level fleet takes no key") }
            let range = try RequestParameters.range(query, nowMs: WallClock.nowMs())
            let bucket =
                try RequestParameters.integer(query, "bucket_minutes", in: 1...10_080, usage: "bucket_minutes must be in 1...10080") ?? 5
            let points = try store.anomalyRate(level: level, key: key, fromMs: range.fromMs, toMs: range.toMs, bucketMinutes: bucket)
            let response = AnomalyRateResponse(
                level: level.apiName, key: key, fromMs: range.fromMs, toMs: range.toMs, bucketMinutes: bucket, points: points)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: response.jsonBytes()))
        }
        api.get("anomaly-rate/breakdown", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let level = try Self.level(query.get("level"))
            let range = try RequestParameters.range(query, nowMs: WallClock.nowMs())
            let totals = try store.anomalyBreakdown(level: level, fromMs: range.fromMs, toMs: range.toMs)
            return try Self.json(BreakdownResponse(level: level.apiName, fromMs: range.fromMs, toMs: range.toMs, totals: totals))
        }
        api.get("assets", blockingOn: store) { request, _ in
            return try Self.json(["assets": try store.assets()])
        }
        api.get("assets/:site/:asset", blockingOn: store) { request, context in
            let site = try RequestParameters.identifier(context, "site")
            let asset = try RequestParameters.identifier(context, "asset")
            guard let summary = try store.asset(site: site, assetID: asset) else { throw HubAPIError.notFound("no such asset") }
            return try Self.json(summary)
        }
        api.get("assets/:site/:asset/timeline", blockingOn: store) { request, context in
            let site = try RequestParameters.identifier(context, "site")
            let asset = try RequestParameters.identifier(context, "asset")
            let query = request.uri.queryParameters
            let range = try RequestParameters.range(query, nowMs: WallClock.nowMs())
            let limit = try RequestParameters.limit(query, default: 5_000, max: 100_000)
            guard try store.asset(site: site, assetID: asset) != nil else { throw HubAPIError.notFound("no such asset") }
            let points = try store.timeline(site: site, assetID: asset, fromMs: range.fromMs, toMs: range.toMs, limit: limit)
            return try Self.json(TimelineResponse(site: site, assetID: asset, fromMs: range.fromMs, toMs: range.toMs, points: points))
        }
        api.post("assets/:site/:asset/owner") { request, context in
            let site = try RequestParameters.identifier(context, "site")
            let asset = try RequestParameters.identifier(context, "asset")
            let body = try await Self.decodeBody(AssetOwnerRequest.self, from: request, usage: "body must be {\"agentID\": \"…\"}")
            guard !body.agentID.isEmpty, body.agentID.utf8.count <= RequestParameters.maxIdentifierBytes else {
                throw HubAPIError.badRequest("agentID must be 1…\(RequestParameters.maxIdentifierBytes) bytes of UTF-8")
            }
            do {
                let summary = try await store.blocking { try $0.assignAsset(site: site, assetID: asset, to: body.agentID) }
                logger.notice(
                    "http.asset.owner_assigned", metadata: ["asset.site": "\(site)", "asset.id": "\(asset)", "agent.id": "\(body.agentID)"])
                return try Self.json(summary)
            } catch AssetAssignmentError.unknownAsset {
                throw HubAPIError.notFound("no such asset")
            } catch AssetAssignmentError.unknownAgent {
                throw HubAPIError.notFound("no such agent")
            } catch AssetAssignmentError.otherSite(let agentSite) {
                throw HubAPIError(status: .conflict, message: "agent \(body.agentID) reports from site \(agentSite), not \(site)")
            }
        }
        api.post("assets/:site/:asset/learning") { request, context in
            let site = try RequestParameters.identifier(context, "site")
            let asset = try RequestParameters.identifier(context, "asset")
            let limits = "seconds 1…\(Int(Earshot_V1_AssetLearning.maxSeconds)), normalSampleProbability 0…1"
            let body = try await Self.decodeBody(LearningRequest.self, from: request, usage: "body must be {\(limits)}")
            let probability = body.normalSampleProbability ?? 1
            guard (1...Earshot_V1_AssetLearning.maxSeconds).contains(body.seconds), (0...1).contains(probability) else {
                throw HubAPIError.badRequest("out of range: \(limits)")
            }
            do {
                let period = try await store.blocking {
                    try $0.startLearning(
                        site: site, assetID: asset, seconds: body.seconds, normalSampleProbability: probability, nowMs: WallClock.nowMs())
                }
                logger.notice(
                    "http.asset.learning_started",
                    metadata: [
                        "asset.site": "\(site)", "asset.id": "\(asset)", "agent.id": "\(period.agentID)",
                        "learning.ends_ms": "\(period.endsMs)",
                    ])
                return try Self.json(period, status: .accepted)
            } catch LearningPeriodError.unknownAsset {
                throw HubAPIError.notFound("no such asset")
            } catch LearningPeriodError.noAgent {
                throw HubAPIError(status: .conflict, message: "no agent owns \(site)/\(asset): assign one first (POST …/owner)")
            }
        }
        api.get("agents", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let limit = try RequestParameters.limit(query, default: AgentPage.defaultLimit, max: AgentPage.maxLimit)
            return try Self.json(try store.agents(after: try RequestParameters.identifier(query, "after"), limit: limit))
        }
        api.get("events", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            return try Self.json([
                "events": try store.events(
                    agentID: try RequestParameters.identifier(query, "agent"),
                    limit: try RequestParameters.limit(query, default: 100, max: 10_000))
            ])
        }
        api.get("clips", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let clips = try store.clips(
                site: try RequestParameters.identifier(query, "site"), assetID: try RequestParameters.identifier(query, "asset"),
                limit: try RequestParameters.limit(query, default: 100, max: 10_000))
            return try Self.json(["clips": clips])
        }
        api.get("clips/:agent/:seq", blockingOn: store) { request, context in
            return try Self.json(try clip(context))
        }
        api.get("clips/:agent/:seq/audio.flac", blockingOn: store) { request, context in
            let clip = try clip(context)
            try requireStoredAudio(of: clip)
            let bytes = try Data(contentsOf: store.clipFile(clip))
            return Response(
                status: .ok, headers: [.contentType: clip.codec == "flac" ? "audio/flac" : "application/octet-stream"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.get("clips/:agent/:seq/audio.wav", blockingOn: store) { request, context in
            let clip = try clip(context)
            try requireStoredAudio(of: clip)
            let bytes = try wav(of: clip)
            return Response(status: .ok, headers: [.contentType: "audio/wav"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.get("clips/:agent/:seq/spectrogram.png", blockingOn: store) { _, context in
            let clip = try clip(context)
            let png: [UInt8]
            if let cached = spectrograms.value(sha256: clip.sha256) {
                png = cached
            } else {
                try requireStoredAudio(of: clip)
                do {
                    png = try ClipSpectrogram(try decodedAudio(of: clip)).png()
                } catch let error as SpectralError {
                    throw HubAPIError(status: .unprocessableContent, message: "the stored clip has no spectrogram: \(error)")
                }
                spectrograms.store(png, sha256: clip.sha256)
            }
            return Response(
                status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, max-age=86400"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
        }
        api.post("clips/:agent/:seq/labels") { request, context in
            let (agent, seq) = try RequestParameters.clip(context)
            let body = try await Self.decodeBody(
                LabelRequest.self, from: request,
                usage: "body must be {\"label\": \"confirmed_anomaly\"|\"false_alarm\"|\"normal\", \"note\"?, \"author\"?}")
            let stored = try await store.blocking {
                try $0.addLabel(
                    agentID: agent, seq: seq, label: body.label, note: body.note ?? "", author: body.author ?? "", nowMs: WallClock.nowMs())
            }
            guard let label = stored else { throw HubAPIError.notFound("no such clip") }
            logger.info("http.label.stored", metadata: ["agent.id": "\(agent)", "clip.seq": "\(seq)", "label": "\(label.label.rawValue)"])
            return try Self.json(label, status: .created)
        }
        let alarmRoutes = AlarmRoutes(store: store, settings: alarms, logger: logger, refused: metrics.alarmActionsRefused)
        alarmRoutes.add(to: api)
        DashboardRoutes(
            store: store, access: access,
            alarms: AlarmPages(store: store, access: access, alarms: alarmRoutes, ingestHealth: ingestHealth), metrics: metrics,
            ingestHealth: ingestHealth, logger: logger, features: features
        ).add(to: router)
        RolloutRoutes(store: store, settings: rollout).add(to: api)
        api.get("labels", blockingOn: store) { request, _ in
            let limit = try RequestParameters.limit(request.uri.queryParameters, default: 100, max: 10_000)
            return try Self.json(["labels": try store.labels(limit: limit)])
        }
        for feature in features { feature.addRoutes(to: api) }
        return router
    }

    /// Refreshes the gauges read from the database (size, agents online).
    func updateGauges() {
        metrics.databaseBytes.record(Double(store.databaseBytes()))
        metrics.brokerConnected.record(ingestHealth.brokerConnected ? 1 : 0)
        if let online = try? store.onlineAgentCount() { metrics.agentsOnline.record(Double(online)) }
    }

    private func clip(_ context: BasicRequestContext) throws -> ClipSummary {
        let (agent, seq) = try RequestParameters.clip(context)
        guard let clip = try store.clip(agentID: agent, seq: seq) else { throw HubAPIError.notFound("no such clip") }
        return clip
    }

    /// Refuses with 404 a clip whose row is stored but whose file is not (removed by hand, or lost with a
    /// disk), logged, instead of a 500 or a 422 that blames the audio.
    private func requireStoredAudio(of clip: ClipSummary) throws {
        guard !FileManager.default.fileExists(atPath: store.clipFile(clip).path) else { return }
        logger.warning(
            "http.clip.audio_missing",
            metadata: ["agent.id": "\(clip.agentID)", "clip.seq": "\(clip.seq)", "file": "\(store.clipFile(clip).path)"])
        throw HubAPIError.notFound("the audio of this clip is no longer stored on the hub")
    }

    /// The stored clip decoded with libsndfile within `HubStore.clipDecodeLimits`; 422 (counted) when
    /// it cannot be or claims too much.
    private func decodedAudio(of clip: ClipSummary) throws -> AudioBuffer {
        do {
            return try store.decodedAudio(of: clip)
        } catch let error as AudioError where error.kind == .exceedsLimits {
            metrics.refuseClipDecode(reason: .limits)
            logger.warning(
                "http.clip.decode_refused", metadata: ["agent.id": "\(clip.agentID)", "clip.seq": "\(clip.seq)", "error": "\(error)"])
            throw HubAPIError(status: .unprocessableContent, message: "the stored clip declares more audio than the hub decodes")
        } catch {
            metrics.refuseClipDecode(reason: .undecodable)
            throw HubAPIError(status: .unprocessableContent, message: "the stored clip cannot be decoded")
        }
    }

    /// Decodes the stored clip and re-encodes it as 16-bit WAV, for browsers without FLAC.
    private func wav(of clip: ClipSummary) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-hub-wav-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let buffer = try decodedAudio(of: clip)
        let output = directory.appendingPathComponent("clip.wav").path
        try AudioFileWriter.write(buffer, to: output, container: .wav)
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    /// `value` as the API's JSON (sorted keys) with `status`.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The largest JSON request body the API reads, bytes; a larger one is refused with 413.
    static let maxBodyBytes = 65_536

    /// Decodes a JSON request body of at most ``maxBodyBytes``: larger → 413 (`HTTPError`), malformed → 400 with `usage`.
    static func decodeBody<T: Decodable>(_ type: T.Type, from request: Request, usage: String) async throws -> T {
        let body = try await request.body.collect(upTo: maxBodyBytes)
        guard let value = try? JSONDecoder().decode(T.self, from: Data(body.readableBytesView)) else { throw HubAPIError.badRequest(usage) }
        return value
    }

    private static func level(_ name: String?) throws -> RollupLevel {
        guard let name else { return .fleet }
        guard let level = RollupLevel(apiName: name) else {
            throw HubAPIError.badRequest("level must be one of \(RollupLevel.allCases.map(\.apiName).joined(separator: ", "))")
        }
        return level
    }

}
