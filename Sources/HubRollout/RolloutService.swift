import Foundation
import HubCore
import Logging
import MQTT
import ServiceLifecycle
import Wire

/// The staged-rollout engine: every `rollout.tick_ms` it advances every rollout in the database
/// (``HubStore/advanceRollouts(settings:nowMs:)``: tracking, delivery, health gates, rollback), then
/// publishes what the database says is not yet on the broker — the retained artifacts of live
/// rollouts and every agent's newer desired state (retained, QoS 1) — and records each publication
/// after the broker acknowledged it.
///
/// Commands (start, pause, resume, abort, roll back) are transactions on the store made by the API or
/// the CLI; the service picks them up on its next tick. All state is in the database, so a restarted
/// hub resumes where it stopped; a publication interrupted by a crash is repeated with the same
/// generation, which agents apply once.
///
/// `Sendable`: immutable references to thread-safe parts.
public final class RolloutService: Service, Sendable {
    private let configuration: HubConfiguration
    private let scheme: TopicScheme
    private let store: HubStore
    private let logger: Logger

    /// Creates the service; it connects when run.
    ///
    /// - Throws: `TopicError` if the configured topic prefix is invalid.
    public init(configuration: HubConfiguration, store: HubStore, logger: Logger) throws(TopicError) {
        self.configuration = configuration
        self.scheme = try configuration.topicScheme
        self.store = store
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    ///
    /// - Throws: `MQTTError` if the client cannot be created.
    public func run() async throws {
        // The hub's second connection, as USER-rollout.
        let client = try MQTTClient(configuration: configuration.publisherMQTTConfiguration(role: "rollout"), logger: logger)
        try client.start()
        // The broker may have lost retained messages while the hub was down.
        try store.republishArtifactsOfLiveRollouts()
        let interval = Duration.milliseconds(configuration.rollout.tickMs)
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    try await tick(client)
                } catch let error as MQTTError where error.reason == .closed {
                    break
                } catch {
                    logger.error("rollout.tick.failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
            }
        } onGracefulShutdown: {
            Task { await client.close(flushTimeout: 2) }
        }
        await client.close(flushTimeout: 2)
        logger.info("rollout.stopped")
    }

    private func tick(_ client: MQTTClient) async throws {
        try await store.blocking { try $0.advanceRollouts(settings: self.configuration.rollout, nowMs: WallClock.nowMs()) }
        for pending in try await store.blocking({ try $0.unpublishedArtifacts() }) {
            for model in pending.models {
                let bytes = try await store.blocking { try $0.modelBytes(model) }
                for site in pending.sites {
                    try await client.publish(
                        try scheme.modelTopic(site: site, family: model.family, version: model.version), payload: bytes, qos: .atLeastOnce,
                        retain: true)
                }
            }
            try await store.blocking { try $0.markArtifactsPublished(pending.rolloutID) }
            logger.info("rollout.artifacts.published", metadata: ["rollout.id": "\(pending.rolloutID)"])
        }
        // Each desired state is marked published after the broker's PUBACK, all of them in one transaction
        // (a thousand agents of a stage are a thousand messages, not a thousand commits). What went out
        // before a failed publish is still marked; what is not marked is published again next tick.
        var published: [(agentID: String, generation: UInt64)] = []
        var failure: (any Error)?
        do {
            for desired in try await store.blocking({ try $0.unpublishedDesiredStates() }) {
                try await client.publish(
                    try scheme.topic(.desired, site: desired.site, agentID: desired.agentID),
                    payload: try message(desired).serializedBytes(),
                    qos: .atLeastOnce, retain: true)
                published.append((desired.agentID, desired.generation))
                logger.debug(
                    "rollout.desired.published",
                    metadata: [
                        "agent.id": "\(desired.agentID)", "desired.generation": "\(desired.generation)",
                        "rollout.id": "\(desired.rolloutID)",
                    ])
            }
        } catch {
            failure = error
        }
        try await store.blocking { [published] store in try store.markDesiredPublished(published) }
        if let failure { throw failure }
    }

    private func message(_ desired: DesiredPublication) throws -> Earshot_V1_DesiredState {
        var state = Earshot_V1_DesiredState()
        state.schemaVersion = 1
        state.agentID = desired.agentID
        state.generation = desired.generation
        state.issuedAtMs = WallClock.nowMs()
        state.rolloutID = desired.rolloutID
        for model in desired.models {
            var entry = Earshot_V1_DesiredModel()
            entry.family = model.key.family
            entry.version = model.key.version
            entry.artifactTopic = try scheme.modelTopic(site: desired.site, family: model.key.family, version: model.key.version)
            entry.sha256 = Data(hex: model.sha256)
            entry.sizeBytes = UInt64(model.sizeBytes)
            state.models.append(entry)
        }
        state.learning = desired.learning.map { period in
            var entry = Earshot_V1_AssetLearning()
            entry.assetID = period.assetID
            entry.normalSampleProbability = Float(period.normalSampleProbability)
            entry.startsAtMs = period.startsMs
            entry.endsAtMs = period.endsMs
            return entry
        }
        return state
    }
}

extension Data {
    /// Decodes lowercase or uppercase hex; stops at the first invalid pair.
    fileprivate init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex),
            let byte = UInt8(hex[index..<next], radix: 16)
        {
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
