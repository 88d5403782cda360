import Foundation
import Testing
import Wire

struct PayloadLimitsTests {
    /// The largest batch an agent or `earshot fleet-sim` may send — ``PayloadLimits/maxVerdictsPerBatch``
    /// verdicts, every identifier at the topic rules' 128 bytes, every number at its widest encoding,
    /// eight class probabilities — must pass the hub's verdicts limit, or it would be refused and re-sent forever.
    @Test func theLargestBatchAnAgentMaySendFitsTheVerdictsLimit() throws {
        let identifier = String(repeating: "x", count: TopicScheme.maxIdentifierBytes)
        var batch = Earshot_V1_VerdictBatch()
        batch.schemaVersion = 1
        batch.agentID = identifier
        batch.createdAtMs = .min
        batch.verdicts = (0..<PayloadLimits.maxVerdictsPerBatch).map { _ in
            var verdict = Earshot_V1_Verdict()
            verdict.seq = .max
            verdict.assetID = identifier
            verdict.windowStartMs = .min
            verdict.windowLengthMs = .max
            verdict.modelFamily = identifier
            verdict.modelVersion = .max
            verdict.score = 1
            verdict.threshold = 1
            verdict.label = identifier
            verdict.classProbabilities = Array(repeating: 0.125, count: 8)
            verdict.assetState = .alarm
            verdict.anomalous = true
            return verdict
        }
        let bytes = try batch.serializedBytes() as [UInt8]
        #expect(bytes.count <= PayloadLimits.default.limit(for: .verdicts), "\(bytes.count) bytes")
        let decoder = WireDecoder(scheme: try TopicScheme())
        let (_, payload) = try decoder.decode(topic: "earshot/v1/p/agents/\(identifier)/verdicts", payload: bytes)
        guard case .verdicts(let decoded) = payload else {
            Issue.record("decoded as \(payload)")
            return
        }
        #expect(decoded.verdicts.count == PayloadLimits.maxVerdictsPerBatch)
    }
}
