import Wire

/// Groups decoded wire payloads by agent into the `AgentMessages` one ingest transaction stores,
/// converting the protobuf messages into the store's records on the way.
///
/// `Sendable`: a value type.
public struct IngestRound: Sendable {
    private struct AgentKey: Hashable {
        let site: String
        let agentID: String
    }

    private var byAgent: [AgentKey: AgentMessages] = [:]
    /// Number of payloads added.
    public private(set) var payloadCount = 0

    /// Creates an empty round.
    public init() {}

    /// Whether nothing was added.
    public var isEmpty: Bool { payloadCount == 0 }

    /// Adds one decoded payload from an agent topic. Payloads addressed *to* agents (acks,
    /// desired state) and model artifacts are not ingested and are ignored.
    public mutating func add(_ payload: WirePayload, site: String, agentID: String) {
        let key = AgentKey(site: site, agentID: agentID)
        var messages = byAgent[key] ?? AgentMessages(agentID: agentID, site: site)
        switch payload {
        case .status(let status):
            messages.status = Self.record(status)
        case .verdicts(let batch):
            messages.verdicts.append(contentsOf: batch.verdicts.map(Self.record))
        case .clip(let clip):
            messages.clips.append(Self.record(clip))
        case .event(let event):
            messages.events.append(Self.record(event))
        case .ack, .desired, .model:
            return
        }
        payloadCount += 1
        byAgent[key] = messages
    }

    /// The grouped messages, one element per agent.
    public var messages: [AgentMessages] { Array(byAgent.values) }

    static func record(_ status: Earshot_V1_AgentStatus) -> AgentStatusRecord {
        AgentStatusRecord(
            online: status.connection == .online, softwareVersion: status.softwareVersion, spoolDepth: Int(clamping: status.spoolDepth),
            assets: status.assets.map {
                AssetPlacement(
                    assetID: $0.assetID, line: $0.line.isEmpty ? "unassigned" : $0.line,
                    machineType: $0.machineType.isEmpty ? "unknown" : $0.machineType)
            },
            loadedModels: Dictionary(status.models.map { ($0.model.family, $0.model.version) }, uniquingKeysWith: max),
            appliedGeneration: status.appliedGeneration)
    }

    static func record(_ verdict: Earshot_V1_Verdict) -> VerdictRecord {
        let state: AssetState
        switch verdict.assetState {
        case .warning: state = .warning
        case .alarm: state = .alarm
        default: state = .normal
        }
        return VerdictRecord(
            seq: verdict.seq, assetID: verdict.assetID, windowStartMs: verdict.windowStartMs,
            windowMs: Int32(clamping: verdict.windowLengthMs), modelFamily: verdict.modelFamily,
            modelVersion: Int64(clamping: verdict.modelVersion), score: verdict.score, threshold: verdict.threshold,
            label: verdict.label, anomalous: verdict.anomalous, state: state)
    }

    static func record(_ clip: Earshot_V1_Clip) -> ClipRecord {
        let reason: String
        switch clip.reason {
        case .anomaly: reason = "anomaly"
        case .randomNormalSample: reason = "random_normal"
        case .requested: reason = "requested"
        default: reason = "unspecified"
        }
        return ClipRecord(
            seq: clip.seq, clipID: clip.clipID, assetID: clip.assetID, windowStartMs: clip.windowStartMs, reason: reason,
            codec: clip.codec == .flac ? "flac" : "unknown", sampleRate: Int(clip.sampleRateHz), channels: Int(clip.channels),
            bytes: [UInt8](clip.audio), verdictSeq: clip.verdictSeq == 0 ? nil : clip.verdictSeq)
    }

    static func record(_ event: Earshot_V1_AgentEvent) -> EventRecord {
        var kind = "message"
        var dropped: ClosedRange<UInt64>?
        var model: ModelKey?
        switch event.detail {
        case .modelInstallSucceeded(let installed):
            kind = "model_installed"
            model = ModelKey(family: installed.model.family, version: installed.model.version)
        case .modelInstallFailed(let failed):
            kind = "model_rejected"
            model = ModelKey(family: failed.model.family, version: failed.model.version)
        case .spoolDrop(let drop):
            kind = "spool_drop"
            if drop.firstSeq >= 1, drop.lastSeq >= drop.firstSeq { dropped = drop.firstSeq...drop.lastSeq }
        case .inputError: kind = "input_error"
        case .agentStarted: kind = "agent_started"
        case .modelRolledBack(let rolledBack):
            kind = "model_rolled_back"
            model = ModelKey(family: rolledBack.to.family, version: rolledBack.to.version)
        case nil: break
        }
        let severity: String
        switch event.severity {
        case .info: severity = "info"
        case .warning: severity = "warning"
        case .error: severity = "error"
        default: severity = ""
        }
        return EventRecord(
            seq: event.seq, timeMs: event.occurredAtMs, kind: kind, detail: event.message, droppedSeqs: dropped, severity: severity,
            model: model)
    }
}
