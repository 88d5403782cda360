import HubCore
import Wire

/// Groups decoded wire payloads by agent into the `AgentMessages` one ingest transaction stores,
/// validating each message against ``IngestBounds`` and converting it into the store's records
/// on the way — the one place where numbers from agents become domain values.
///
/// - A verdict, clip or event out of bounds is left out; its seq goes into
///   ``AgentMessages/rejections`` (recorded and reported in the agent's ack). One bad verdict
///   refuses that verdict only; the rest of its batch is stored.
/// - A message whose seq itself is out of bounds (0 or above `Int64.max`) cannot be acknowledged:
///   it is only listed in ``refusals``, like a refused status (which has no seq).
/// - Every refusal, acknowledgeable or not, is listed in ``refusals`` for the counters and the log.
///
/// `Sendable`: a value type.
public struct IngestRound: Sendable {
    private struct AgentKey: Hashable {
        let site: String
        let agentID: String
    }

    /// One refused message: which agent, which seq (nil for a status or an unusable seq), why.
    public struct Refusal: Sendable, Equatable {
        /// The sending agent (from the topic).
        public var agentID: String
        /// Its site (from the topic).
        public var site: String
        /// The kind of message.
        public var kind: TopicKind
        /// The refused seq, when it is one that can be acknowledged.
        public var seq: UInt64?
        /// Why.
        public var reason: IngestRejectionReason
    }

    private var byAgent: [AgentKey: AgentMessages] = [:]
    private let bounds: IngestBounds
    /// Number of payloads added.
    public private(set) var payloadCount = 0
    /// Everything refused so far, in arrival order.
    public private(set) var refusals: [Refusal] = []
    /// Agents whose status reported a clock further from the hub's than ``IngestBounds/maxClockSkewMs``:
    /// agent id → skew (agent − hub), ms.
    public private(set) var skewedClocks: [String: Int64] = [:]

    /// Creates an empty round validating against `bounds`.
    public init(bounds: IngestBounds = IngestBounds()) {
        self.bounds = bounds
    }

    /// Whether nothing was added.
    public var isEmpty: Bool { payloadCount == 0 }

    /// Adds one decoded payload from an agent topic, received at hub time `nowMs` (Unix ms). Payloads
    /// addressed *to* agents (acks, desired state) and model artifacts are not ingested and are ignored.
    public mutating func add(_ payload: WirePayload, site: String, agentID: String, nowMs: Int64) {
        let key = AgentKey(site: site, agentID: agentID)
        var messages = byAgent[key] ?? AgentMessages(agentID: agentID, site: site)
        func refuse(_ kind: TopicKind, _ seq: UInt64?, _ reason: IngestRejectionReason) {
            refusals.append(Refusal(agentID: agentID, site: site, kind: kind, seq: seq, reason: reason))
            if let seq { messages.rejections.append(IngestRejection(seq: seq, reason: reason)) }
        }
        switch payload {
        case .status(let status):
            switch record(status, nowMs: nowMs) {
            case .success(let record):
                messages.status = record
                if record.clockSkewProblem, let skew = record.clockSkewMs { skewedClocks[agentID] = skew }
            case .failure(let reason): refuse(.status, nil, reason)
            }
        case .verdicts(let batch):
            for verdict in batch.verdicts {
                guard IngestBounds.seq.contains(verdict.seq) else {
                    refuse(.verdicts, nil, .seqOutOfRange)
                    continue
                }
                switch record(verdict, nowMs: nowMs) {
                case .success(let record): messages.verdicts.append(record)
                case .failure(let reason): refuse(.verdicts, verdict.seq, reason)
                }
            }
        case .clip(let clip):
            guard IngestBounds.seq.contains(clip.seq) else {
                refuse(.clips, nil, .seqOutOfRange)
                break
            }
            switch record(clip, nowMs: nowMs) {
            case .success(let record): messages.clips.append(record)
            case .failure(let reason): refuse(.clips, clip.seq, reason)
            }
        case .event(let event):
            guard IngestBounds.seq.contains(event.seq) else {
                refuse(.events, nil, .seqOutOfRange)
                break
            }
            switch record(event, nowMs: nowMs) {
            case .success(let record): messages.events.append(record)
            case .failure(let reason): refuse(.events, event.seq, reason)
            }
        case .ack, .desired, .model:
            return
        }
        payloadCount += 1
        byAgent[key] = messages
    }

    /// The grouped messages, one element per agent.
    public var messages: [AgentMessages] { Array(byAgent.values) }

    func record(_ status: Earshot_V1_AgentStatus, nowMs: Int64) -> Result<AgentStatusRecord, IngestRejectionReason> {
        guard status.appliedGeneration <= IngestBounds.maxGeneration else { return .failure(.generationOutOfRange) }
        guard IngestBounds.identifiersFit(status.softwareVersion),
            status.assets.allSatisfy({ IngestBounds.identifiersFit($0.assetID, $0.line, $0.machineType) }),
            status.models.allSatisfy({ IngestBounds.identifiersFit($0.model.family) })
        else { return .failure(.identifierTooLong) }
        guard status.models.allSatisfy({ $0.model.version <= IngestBounds.maxModelVersion }) else {
            return .failure(.modelVersionOutOfRange)
        }
        // A last will carries no clock (0); otherwise the skew is the agent's clock minus ours, saturating.
        let skew = status.reportedAtMs == 0 ? nil : IngestBounds.saturatingDifference(status.reportedAtMs, nowMs)
        return .success(
            AgentStatusRecord(
                online: status.connection == .online, softwareVersion: status.softwareVersion,
                spoolDepth: Int(clamping: status.spoolDepth),
                assets: status.assets.map {
                    AssetPlacement(
                        assetID: $0.assetID, line: $0.line.isEmpty ? "unassigned" : $0.line,
                        machineType: $0.machineType.isEmpty ? "unknown" : $0.machineType)
                },
                loadedModels: Dictionary(status.models.map { ($0.model.family, $0.model.version) }, uniquingKeysWith: max),
                appliedGeneration: status.appliedGeneration, clockSkewMs: skew,
                clockSkewProblem: skew.map { $0 > bounds.maxClockSkewMs || $0 < -bounds.maxClockSkewMs } ?? false,
                awaitingNumbering: status.connection == .online && status.awaitingNumbering,
                spoolOutage: spoolOutage(of: status, nowMs: nowMs)))
    }

    /// The spool outage a status reports, in hub time: its receipt minus how long the agent says it has been
    /// failing (saturating, never before 0 or after receipt). Nil when the status reports none or is a last will.
    private func spoolOutage(of status: Earshot_V1_AgentStatus, nowMs: Int64) -> AgentSpoolOutage? {
        guard status.spoolFailingSinceMs != 0, status.reportedAtMs != 0 else { return nil }
        let failingForMs = max(0, IngestBounds.saturatingDifference(status.reportedAtMs, status.spoolFailingSinceMs))
        return AgentSpoolOutage(
            sinceMs: max(0, IngestBounds.saturatingDifference(nowMs, failingForMs)),
            failure: IngestBounds.truncated(status.spoolFailure),
            lostVerdicts: Int64(clamping: status.spoolLostVerdicts),
            lostAnomalousVerdicts: Int64(clamping: status.spoolLostAnomalousVerdicts),
            lostClips: Int64(clamping: status.spoolLostClips))
    }

    func record(_ verdict: Earshot_V1_Verdict, nowMs: Int64) -> Result<VerdictRecord, IngestRejectionReason> {
        guard IngestBounds.identifiersFit(verdict.assetID, verdict.modelFamily, verdict.label) else {
            return .failure(.identifierTooLong)
        }
        if let reason = bounds.check(timeMs: verdict.windowStartMs, nowMs: nowMs) { return .failure(reason) }
        guard IngestBounds.windowLengthMs.contains(verdict.windowLengthMs) else { return .failure(.windowLengthOutOfRange) }
        guard verdict.modelVersion <= IngestBounds.maxModelVersion else { return .failure(.modelVersionOutOfRange) }
        guard verdict.score.isFinite, verdict.threshold.isFinite else { return .failure(.nonFiniteScore) }
        let state: AssetState
        switch verdict.assetState {
        case .warning: state = .warning
        case .alarm: state = .alarm
        default: state = .normal
        }
        return .success(
            VerdictRecord(
                seq: verdict.seq, assetID: verdict.assetID, windowStartMs: verdict.windowStartMs,
                windowMs: Int32(verdict.windowLengthMs), modelFamily: verdict.modelFamily,
                modelVersion: Int64(verdict.modelVersion), score: verdict.score, threshold: verdict.threshold,
                label: verdict.label, anomalous: verdict.anomalous, state: state))
    }

    func record(_ clip: Earshot_V1_Clip, nowMs: Int64) -> Result<ClipRecord, IngestRejectionReason> {
        guard IngestBounds.identifiersFit(clip.assetID, clip.clipID) else { return .failure(.identifierTooLong) }
        if let reason = bounds.check(timeMs: clip.windowStartMs, nowMs: nowMs) { return .failure(reason) }
        guard IngestBounds.sampleRateHz.contains(clip.sampleRateHz) else { return .failure(.sampleRateOutOfRange) }
        guard IngestBounds.channels.contains(clip.channels) else { return .failure(.channelsOutOfRange) }
        guard IngestBounds.clipDurationMs.contains(clip.durationMs) else { return .failure(.durationOutOfRange) }
        guard clip.verdictSeq == 0 || IngestBounds.seq.contains(clip.verdictSeq) else { return .failure(.seqOutOfRange) }
        let reason: String
        switch clip.reason {
        case .anomaly: reason = "anomaly"
        case .randomNormalSample: reason = "random_normal"
        case .requested: reason = "requested"
        default: reason = "unspecified"
        }
        return .success(
            ClipRecord(
                seq: clip.seq, clipID: clip.clipID, assetID: clip.assetID, windowStartMs: clip.windowStartMs, reason: reason,
                codec: clip.codec == .flac ? "flac" : "unknown", sampleRate: Int(clip.sampleRateHz), channels: Int(clip.channels),
                bytes: [UInt8](clip.audio), verdictSeq: clip.verdictSeq == 0 ? nil : clip.verdictSeq))
    }

    func record(_ event: Earshot_V1_AgentEvent, nowMs: Int64) -> Result<EventRecord, IngestRejectionReason> {
        if let reason = bounds.check(timeMs: event.occurredAtMs, nowMs: nowMs) { return .failure(reason) }
        var kind = "message"
        var dropped: ClosedRange<UInt64>?
        var model: ModelKey?
        var detail = event.message
        switch event.detail {
        case .modelInstallSucceeded(let installed):
            kind = "model_installed"
            model = ModelKey(family: installed.model.family, version: installed.model.version)
        case .modelInstallFailed(let failed):
            kind = "model_rejected"
            model = ModelKey(family: failed.model.family, version: failed.model.version)
        case .spoolDrop(let drop):
            kind = "spool_drop"
            guard IngestBounds.seq.contains(drop.firstSeq), IngestBounds.seq.contains(drop.lastSeq), drop.firstSeq <= drop.lastSeq
            else { return .failure(.spoolDropRangeInvalid) }
            dropped = drop.firstSeq...drop.lastSeq
        case .inputError: kind = "input_error"
        case .agentStarted: kind = "agent_started"
        case .modelRolledBack(let rolledBack):
            kind = "model_rolled_back"
            model = ModelKey(family: rolledBack.to.family, version: rolledBack.to.version)
        case .messageRejected(let rejected):
            kind = "message_rejected"
            if detail.isEmpty { detail = "seq \(rejected.rejectedSeq) rejected: \(rejected.reason)" }
        case nil: break
        }
        if let model {
            guard IngestBounds.identifiersFit(model.family) else { return .failure(.identifierTooLong) }
            guard model.version <= IngestBounds.maxModelVersion else { return .failure(.modelVersionOutOfRange) }
        }
        let severity: String
        switch event.severity {
        case .info: severity = "info"
        case .warning: severity = "warning"
        case .error: severity = "error"
        default: severity = ""
        }
        return .success(
            EventRecord(
                seq: event.seq, timeMs: event.occurredAtMs, kind: kind, detail: IngestBounds.truncated(detail), droppedSeqs: dropped,
                severity: severity, model: model))
    }
}
