import Crypto
import Foundation
import Inference
import Logging
import Scoring
import Synchronization
import Wire

/// Brings the agent's models to the hub's retained `DesiredState`, one generation at a time.
///
/// For each desired model whose bytes differ from the running ones: if they are the kept previous
/// model, roll back to it; otherwise fetch the retained artifact from its topic, check its size and
/// SHA-256 against the desired entry, and hand it to the `ModelInstaller` (the agent's verifies the
/// signature with the pinned keys, checks family and version, and prepares a scorer for every asset of the
/// family). Only when everything succeeded is the artifact persisted. Every outcome is an event; a
/// rejected artifact leaves the running model untouched. The real agent and `earshot fleet-sim` run this
/// same reconciler, with different installers.
///
/// `Sendable`: state sits in a `Mutex`; call `apply` from one task at a time (the agent does).
public final class ModelReconciler: Sendable {
    private struct State {
        var running: [String: Earshot_V1_ModelRef]
        var appliedGeneration: UInt64 = 0
    }

    /// Performs MQTT subscriptions for artifact topics.
    public typealias Subscriber = @Sendable (_ topic: String, _ subscribe: Bool) async throws -> Void

    private let installer: any ModelInstaller
    private let store: any ModelStoring
    private let fetcher: ArtifactFetcher
    private let events: EventRecorder
    private let artifactTimeout: Duration
    private let subscriber: Subscriber
    private let changed: @Sendable () -> Void
    private let clock: @Sendable () -> Int64
    private let logger: Logger
    private let state: Mutex<State>

    /// A reconciler installing through `installer`.
    /// - Parameters:
    ///   - running: models already running when it starts, by family (a simulated agent's initial model).
    ///   - subscriber: subscribes to (true) or unsubscribes from (false) an artifact topic.
    ///   - changed: called after events were spooled (to nudge the publisher).
    public init(
        installer: any ModelInstaller, store: any ModelStoring, fetcher: ArtifactFetcher, events: EventRecorder,
        running: [String: Earshot_V1_ModelRef] = [:], artifactTimeout: Duration, subscriber: @escaping Subscriber,
        changed: @escaping @Sendable () -> Void, clock: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.installer = installer
        self.store = store
        self.fetcher = fetcher
        state = Mutex(State(running: running))
        self.events = events
        self.artifactTimeout = artifactTimeout
        self.subscriber = subscriber
        self.changed = changed
        self.clock = clock
        self.logger = logger
    }

    /// The models running now, by family.
    public var running: [String: Earshot_V1_ModelRef] { state.withLock { $0.running } }

    /// The last desired generation applied.
    public var appliedGeneration: UInt64 { state.withLock { $0.appliedGeneration } }

    /// Installs each family's persisted model, or else its configured initial artifact.
    /// Failures are reported as events; assets of a family with no usable model wait for the hub.
    /// - Parameter initial: family → path of a signed artifact to use when nothing is persisted.
    public func loadPersisted(initial: [String: String]) {
        for family in installer.families.sorted() {
            var candidates: [(String, [UInt8])] = []
            if let bytes = store.load(family: family, slot: .current) {
                candidates.append((store.location(family: family, slot: .current), bytes))
            }
            if let path = initial[family], let data = FileManager.default.contents(atPath: path) {
                candidates.append((path, [UInt8](data)))
            }
            for (path, bytes) in candidates {
                do {
                    let installed = try install(bytes, family: family, version: nil)
                    if store.load(family: family, slot: .current) != bytes { try store.promote(bytes, family: family) }
                    logger.info(
                        "agent.model.loaded", metadata: ["family": "\(family)", "version": "\(installed.version)", "path": "\(path)"])
                    break
                } catch {
                    let failure = Self.failure(error)
                    logger.error("agent.model.rejected", metadata: ["path": "\(path)", "reason": "\(failure.detail)"])
                    var ref = Earshot_V1_ModelRef()
                    ref.family = family
                    report(failed: ref, InstallFailure(failure.reason, "\(path): \(failure.detail)"), generation: 0)
                }
            }
        }
    }

    /// Applies one desired state (ignored unless its generation is newer than the last applied).
    public func apply(_ desired: Earshot_V1_DesiredState) async {
        guard desired.generation > appliedGeneration else { return }
        for model in desired.models {
            await reconcile(model, generation: desired.generation)
        }
        state.withLock { $0.appliedGeneration = desired.generation }
    }

    private func reconcile(_ desired: Earshot_V1_DesiredModel, generation: UInt64) async {
        let family = desired.family
        guard installer.families.contains(family) else { return }
        let current = running[family]
        if current?.sha256 == desired.sha256 { return }
        var ref = Earshot_V1_ModelRef()
        ref.family = family
        ref.version = desired.version
        ref.sha256 = desired.sha256
        do {
            if let previous = store.load(family: family, slot: .previous), Data(SHA256.hash(data: previous)) == desired.sha256 {
                let installed = try install(previous, family: family, version: desired.version)
                try store.swapCurrentAndPrevious(family: family)
                record(.info, "rolled back \(family) to version \(desired.version)") { event in
                    var detail = Earshot_V1_ModelRolledBack()
                    if let current { detail.from = current }
                    detail.to = installed
                    detail.detail = "desired generation \(generation)"
                    event.modelRolledBack = detail
                }
                return
            }
            let topic = desired.artifactTopic
            let subscriber = self.subscriber
            let fetched = try await fetcher.fetch(topic: topic, timeout: artifactTimeout) { try await subscriber(topic, true) }
            try? await subscriber(topic, false)
            guard let bytes = fetched else {
                throw InstallFailure(.artifactTimeout, "no retained artifact on \(topic) within \(artifactTimeout)")
            }
            guard bytes.count <= installer.sizeLimit else {
                throw InstallFailure(.tooLarge, "artifact is \(bytes.count) bytes; the limit is \(installer.sizeLimit)")
            }
            guard Data(SHA256.hash(data: bytes)) == desired.sha256 else {
                throw InstallFailure(.hashMismatch, "the artifact on \(topic) does not have the desired SHA-256")
            }
            let installed = try install(bytes, family: family, version: desired.version)
            try store.promote(bytes, family: family)
            record(.info, "installed \(family) version \(desired.version)") { event in
                var detail = Earshot_V1_ModelInstallSucceeded()
                detail.model = installed
                if let current { detail.previous = current }
                detail.desiredGeneration = generation
                event.modelInstallSucceeded = detail
            }
        } catch {
            let failure = Self.failure(error)
            logger.warning(
                "agent.model.install_failed",
                metadata: ["family": "\(family)", "reason": "\(failure.reason)", "detail": "\(failure.detail)"])
            report(failed: ref, failure, generation: generation)
        }
    }

    /// Installs through the installer and records the family's running model.
    private func install(_ bytes: [UInt8], family: String, version: UInt64?) throws -> Earshot_V1_ModelRef {
        let installed = try installer.install(bytes, family: family, version: version)
        state.withLock { $0.running[family] = installed }
        return installed
    }

    private func report(failed model: Earshot_V1_ModelRef, _ failure: InstallFailure, generation: UInt64) {
        let running = running[model.family]
        record(.error, "model \(model.family) v\(model.version) rejected (\(failure.reason)): \(failure.detail)") { event in
            var detail = Earshot_V1_ModelInstallFailed()
            detail.model = model
            detail.reason = failure.reason
            detail.detail = failure.detail
            detail.desiredGeneration = generation
            if let running { detail.running = running }
            event.modelInstallFailed = detail
        }
    }

    private func record(_ severity: Earshot_V1_EventSeverity, _ message: String, _ fill: (inout Earshot_V1_AgentEvent) -> Void) {
        do {
            try events.record(nowMs: clock()) { event in
                event.severity = severity
                event.message = message
                fill(&event)
            }
            changed()
        } catch {
            logger.error("agent.event.spool_failed", metadata: ["error": "\(error)"])
        }
    }

    private static func failure(_ error: any Error) -> InstallFailure {
        switch error {
        case let failure as InstallFailure: failure
        case let error as ArtifactError: InstallFailure(error)
        case let error as ScoringError: InstallFailure(error)
        default: InstallFailure(.malformed, "\(error)")
        }
    }
}
