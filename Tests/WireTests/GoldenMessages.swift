import Foundation
import Wire

/// The messages of `Fixtures/make_fixtures.py`, built field by field in Swift.
enum GoldenMessages {
    static func modelRef(_ version: UInt64) -> Earshot_V1_ModelRef {
        var r = Earshot_V1_ModelRef()
        r.family = "fan-ae"
        r.version = version
        r.sha256 = Data(0..<32)
        return r
    }

    static func verdictBatch() -> Earshot_V1_VerdictBatch {
        var b = Earshot_V1_VerdictBatch()
        b.schemaVersion = 1
        b.agentID = "agent-01"
        b.createdAtMs = 1_763_700_000_000
        var v1 = Earshot_V1_Verdict()
        v1.seq = 41
        v1.assetID = "fan-3"
        v1.windowStartMs = 1_763_699_999_000
        v1.windowLengthMs = 1000
        v1.modelFamily = "fan-ae"
        v1.modelVersion = 7
        v1.score = 0.25
        v1.threshold = 0.5
        v1.label = "normal"
        v1.assetState = .normal
        v1.anomalous = false
        var v2 = Earshot_V1_Verdict()
        v2.seq = 42
        v2.assetID = "fan-3"
        v2.windowStartMs = 1_763_700_000_000
        v2.windowLengthMs = 1000
        v2.modelFamily = "fan-clf"
        v2.modelVersion = 3
        v2.score = 0.875
        v2.threshold = 0.5
        v2.label = "abnormal"
        v2.classProbabilities = [0.125, 0.875]
        v2.assetState = .warning
        v2.anomalous = true
        b.verdicts = [v1, v2]
        return b
    }

    static func clip() -> Earshot_V1_Clip {
        var c = Earshot_V1_Clip()
        c.schemaVersion = 1
        c.clipID = "c-0001"
        c.agentID = "agent-01"
        c.assetID = "fan-3"
        c.seq = 43
        c.windowStartMs = 1_763_700_000_000
        c.durationMs = 10_000
        c.reason = .anomaly
        c.codec = .flac
        c.sampleRateHz = 16000
        c.channels = 1
        c.audio = Data([0x66, 0x4C, 0x61, 0x43, 0, 0, 0, 0x22])
        c.verdictSeq = 42
        return c
    }

    static func agentStatus() -> Earshot_V1_AgentStatus {
        var s = Earshot_V1_AgentStatus()
        s.schemaVersion = 1
        s.agentID = "agent-01"
        s.connection = .online
        s.softwareVersion = "0.1.0"
        s.spoolDepth = 12
        s.spoolBytes = 4096
        s.uptimeS = 3600
        s.cpuPercent = 0.5
        s.rssBytes = 12_582_912
        s.reportedAtMs = 1_763_700_000_000
        s.lastSeq = 43
        s.appliedGeneration = 5
        var asset = Earshot_V1_AssetInfo()
        asset.assetID = "fan-3"
        asset.machineType = "fan"
        asset.line = "line-a"
        asset.input = "hw:0"
        s.assets = [asset]
        var model = Earshot_V1_LoadedModel()
        model.model = modelRef(7)
        model.assetIds = ["fan-3"]
        model.loadedAtMs = 1_763_600_000_000
        s.models = [model]
        return s
    }

    static func agentEvent() -> Earshot_V1_AgentEvent {
        var e = Earshot_V1_AgentEvent()
        e.schemaVersion = 1
        e.agentID = "agent-01"
        e.seq = 44
        e.occurredAtMs = 1_763_700_000_500
        e.severity = .warning
        e.message = "spool full"
        var drop = Earshot_V1_SpoolDrop()
        drop.firstSeq = 10
        drop.lastSeq = 19
        drop.reason = .sizeLimit
        drop.droppedVerdicts = 10
        drop.droppedBytes = 2048
        e.spoolDrop = drop
        return e
    }

    static func ack() -> Earshot_V1_Ack {
        var a = Earshot_V1_Ack()
        a.schemaVersion = 1
        a.agentID = "agent-01"
        a.highestContiguousSeq = 42
        a.ackedAtMs = 1_763_700_001_000
        a.hubID = "hub-a"
        return a
    }

    static func desiredState() -> Earshot_V1_DesiredState {
        var d = Earshot_V1_DesiredState()
        d.schemaVersion = 1
        d.agentID = "agent-01"
        d.generation = 6
        d.issuedAtMs = 1_763_700_002_000
        d.rolloutID = "r-9"
        var m = Earshot_V1_DesiredModel()
        m.family = "fan-ae"
        m.version = 8
        m.artifactTopic = "earshot/v1/plant-a/models/fan-ae/8"
        m.sha256 = Data(0..<32)
        m.sizeBytes = 123_456
        m.assetIds = ["fan-3"]
        d.models = [m]
        d.settings.clipPolicy.uploadAnomalies = true
        d.settings.clipPolicy.normalSampleProbability = 0.125
        d.settings.clipPolicy.maxClipsPerHour = 30
        var request = Earshot_V1_ClipRequest()
        request.requestID = "q-1"
        request.assetID = "fan-3"
        d.settings.clipPolicy.requests = [request]
        d.settings.alarmPolicy.warningK = 3
        d.settings.alarmPolicy.warningN = 5
        d.settings.verdictBatchMax = 256
        return d
    }

    static func modelArtifact() -> Earshot_V1_ModelArtifact {
        var a = Earshot_V1_ModelArtifact()
        a.formatVersion = 1
        a.family = "fan-ae"
        a.version = 8
        a.createdAtMs = 1_763_700_003_000
        a.task = .anomalyScore
        a.labels = ["normal", "anomaly"]
        a.datasetFingerprint = String(repeating: "ab", count: 32)
        a.parentVersion = 7
        a.machineType = "fan"
        var f = Earshot_V1_FeatureSpec()
        f.kind = .dcaseFrames
        f.sampleRateHz = 16000
        f.nFft = 1024
        f.hopLength = 512
        f.window = .hann
        f.nMels = 128
        f.fmaxHz = 8000
        f.melNorm = .slaney
        f.center = true
        f.padMode = .reflect
        f.power = 2
        f.dbScaling = .dcaseLog
        f.logEpsilon = 0
        f.topDb = 80
        f.frames = 5
        f.windowSeconds = 1
        f.channelMode = .single
        a.features = f
        var input = Earshot_V1_Tensor()
        input.name = "input"
        input.shape = [640]
        input.dtype = .int8
        input.quant.scale = [0.5]
        input.quant.zeroPoint = [-3]
        var output = Earshot_V1_Tensor()
        output.name = "dense1"
        output.shape = [2]
        output.dtype = .int8
        output.quant.scale = [0.25]
        output.quant.zeroPoint = [0]
        var layer = Earshot_V1_Layer()
        layer.name = "dense1"
        layer.op = .dense
        layer.inputs = [0]
        layer.outputs = [1]
        layer.window.filters = 2
        layer.activation = .relu
        layer.weightsInt8 = Data([1, 255, 2, 254])
        layer.weightsShape = [2, 2]
        layer.weightScales = [0.5, 0.25]
        layer.weightZeroPoints = [0, 0]
        layer.biasInt32 = [100, -100]
        a.graph.tensors = [input, output]
        a.graph.layers = [layer]
        a.graph.inputs = [0]
        a.graph.outputs = [1]
        a.thresholds.anomaly = 0.75
        a.thresholds.method = "p99 of normal validation scores"
        a.metrics = ["eval.auc": 0.875]
        return a
    }

    /// The envelope around ``modelArtifact()``. `sha256` is passed in (no crypto
    /// dependency in this target); the test checks the rest of the encoding.
    static func signedArtifact(sha256: Data) throws -> Earshot_V1_SignedArtifact {
        var s = Earshot_V1_SignedArtifact()
        s.magic = Earshot_V1_SignedArtifact.expectedMagic
        s.envelopeVersion = Earshot_V1_SignedArtifact.currentEnvelopeVersion
        s.artifact = try modelArtifact().serializedData()
        s.sha256 = sha256
        s.signature = Data(repeating: 7, count: 64)
        s.keyID = "0011223344556677"
        s.family = "fan-ae"
        s.version = 8
        return s
    }

    /// Loads `Fixtures/<name>.bin`.
    static func fixture(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return [UInt8](try Data(contentsOf: url))
    }

    struct FixtureMissing: Error {
        let name: String
    }
}
