import Crypto
import Foundation
import Synchronization
import Wire

/// A simulated agent's model updates: follows the retained desired state for one family the way
/// `ModelReconciler` does, minus the model — it fetches the retained artifact, checks its size and
/// SHA-256 against the desired entry, and answers with a `ModelInstallSucceeded` or
/// `ModelInstallFailed` event (the signature is not checked: the simulator pins no key).
///
/// `Sendable`: state in a `Mutex`.
final class ModelFollower: Sendable {
    private struct State {
        var running: Earshot_V1_ModelRef
        var appliedGeneration: UInt64 = 0
        /// Artifact topic → the desired entry and generation waiting for it.
        var awaiting: [String: (model: Earshot_V1_DesiredModel, generation: UInt64)] = [:]
    }

    let family: String
    private let state: Mutex<State>

    init(family: String, version: UInt64) {
        self.family = family
        var running = Earshot_V1_ModelRef()
        running.family = family
        running.version = version
        state = Mutex(State(running: running))
    }

    /// What the status reports: the running model and the applied generation.
    var status: (model: Earshot_V1_ModelRef, appliedGeneration: UInt64) {
        state.withLock { ($0.running, $0.appliedGeneration) }
    }

    /// Takes a desired state; returns the artifact topics to subscribe to (empty when nothing changes).
    func desired(_ desired: Earshot_V1_DesiredState) -> [String] {
        state.withLock { s in
            guard desired.generation > s.appliedGeneration else { return [] }
            s.appliedGeneration = desired.generation
            var topics: [String] = []
            for model in desired.models where model.family == family && model.sha256 != s.running.sha256 {
                s.awaiting[model.artifactTopic] = (model, desired.generation)
                topics.append(model.artifactTopic)
            }
            return topics
        }
    }

    /// Takes a message on an artifact topic; returns the install event to report, or `nil` if it was not awaited.
    func artifact(topic: String, bytes: [UInt8], agentID: String, nowMs: Int64) -> Earshot_V1_AgentEvent? {
        state.withLock { s in
            guard let (model, generation) = s.awaiting.removeValue(forKey: topic) else { return nil }
            var ref = Earshot_V1_ModelRef()
            ref.family = model.family
            ref.version = model.version
            ref.sha256 = model.sha256
            var event = Earshot_V1_AgentEvent()
            event.schemaVersion = 1
            event.agentID = agentID
            event.occurredAtMs = nowMs
            if bytes.count == Int(model.sizeBytes), Data(SHA256.hash(data: bytes)) == model.sha256 {
                var detail = Earshot_V1_ModelInstallSucceeded()
                detail.model = ref
                detail.previous = s.running
                detail.desiredGeneration = generation
                event.severity = .info
                event.message = "installed \(model.family) version \(model.version)"
                event.modelInstallSucceeded = detail
                s.running = ref
            } else {
                var detail = Earshot_V1_ModelInstallFailed()
                detail.model = ref
                detail.reason = .hashMismatch
                detail.detail = "the artifact on \(topic) does not have the desired size and SHA-256"
                detail.desiredGeneration = generation
                detail.running = s.running
                event.severity = .error
                event.message = "model \(model.family) v\(model.version) rejected (hashMismatch)"
                event.modelInstallFailed = detail
            }
            return event
        }
    }
}
