import HubAlarms
import HubCore

/// `GET /api/v1/anomaly-rate/breakdown`.
struct BreakdownResponse: Encodable {
    let level: String
    let fromMs: Int64
    let toMs: Int64
    let totals: [RollupTotal]
}

/// `GET /api/v1/assets/{site}/{asset}/timeline`.
struct TimelineResponse: Encodable {
    let site: String
    let assetID: String
    let fromMs: Int64
    let toMs: Int64
    let points: [TimelinePoint]
}

/// The body of `POST /api/v1/assets/{site}/{asset}/owner`.
struct AssetOwnerRequest: Decodable {
    let agentID: String
}

/// The body of `POST /api/v1/assets/{site}/{asset}/learning`.
struct LearningRequest: Decodable {
    /// How long, 1…604,800 s.
    let seconds: Double
    /// The chance a normal window is sent as a clip, 0…1 (default 1).
    let normalSampleProbability: Double?
}

/// The body of `POST /api/v1/clips/{agent}/{seq}/labels`.
struct LabelRequest: Decodable {
    let label: ClipLabel
    let note: String?
    let author: String?
}

/// `GET /api/v1/alarms`: a page of alarms, newest first, and the `before` of the next page.
struct AlarmPage: Encodable {
    let alarms: [AlarmRecord]
    let nextBefore: Int64?
}

/// An operator action's answer: the alarm after it and, for `close`, how many clips it labelled.
struct AlarmActionResponse: Encodable {
    let alarm: AlarmRecord
    let labelledClips: Int?
}

/// `GET /healthz`: `ok`, or `failing` with what is wrong while ingest cannot store or has no broker (503).
struct HealthResponse: Encodable {
    let status: String
    /// What is wrong, in sentences an operator can act on (only while failing).
    let problem: String?
    /// Unix milliseconds since the earliest of the problems began (only while failing).
    let failingSinceMs: Int64?

    /// The answer for `problems` (none: healthy).
    init(_ problems: [IngestHealth.Problem]) {
        guard let since = problems.map(\.sinceMs).min() else {
            (status, problem, failingSinceMs) = ("ok", nil, nil)
            return
        }
        status = "failing"
        problem = problems.map { "\($0.headline): \($0.detail)" }.joined(separator: " ")
        failingSinceMs = since
    }
}
