import BrokerSupport
import Crypto
import Foundation
import MQTT
import Synchronization
import TestSupport
import Testing
import Wire

@testable import AgentRuntime

/// The reconciler in process against a real mosquitto: it fetches retained artifacts through the
/// `ArtifactFetcher`, checks them against the desired entry, installs through its `ModelInstaller`, keeps
/// the previous model for rollbacks, and reports every outcome as an event.
@Suite(.timeLimit(.minutes(3))) struct ModelReconcilerTests {
    /// Takes any artifact whose bytes do not start with "bad"; counts installs.
    private final class TestInstaller: ModelInstaller {
        let installs = Mutex(0)
        var families: Set<String> { ["fan-ae"] }
        var sizeLimit: Int { 1_000 }

        func install(_ signedBytes: [UInt8], family: String, version: UInt64?) throws -> Earshot_V1_ModelRef {
            guard !signedBytes.starts(with: Array("bad".utf8)) else { throw InstallFailure(.badSignature, "test installer refuses it") }
            installs.withLock { $0 += 1 }
            var reference = Earshot_V1_ModelRef()
            reference.family = family
            reference.version = version ?? 0
            reference.sha256 = Data(SHA256.hash(data: signedBytes))
            return reference
        }
    }

    private struct Fixture {
        let dir: TemporaryDirectory
        let broker: TestBroker
        let hub: HubSide
        let client: MQTTClient
        let spool: Spool
        let store: ModelStore
        let installer = TestInstaller()
        let reconciler: ModelReconciler
        let router: Task<Void, Never>

        init(artifactTimeout: Duration = .seconds(20)) async throws {
            dir = try TemporaryDirectory()
            broker = try TestBroker()
            hub = try await HubSide(broker)
            let client = try MQTTClient(configuration: HubSide.configuration(broker, id: "agent-a"), logger: HubSide.logger)
            self.client = client
            _ = try await client.connect()
            spool = try Spool(path: dir.path("spool.sqlite"))
            store = try ModelStore(directory: dir.path("models"))
            let fetcher = ArtifactFetcher()
            router = Task {
                for await message in client.messages { fetcher.deliver(topic: message.topic, payload: message.payload) }
            }
            var initial = Earshot_V1_ModelRef()
            initial.family = "fan-ae"
            initial.version = 1
            reconciler = ModelReconciler(
                installer: installer, store: store, fetcher: fetcher, events: EventRecorder(spool: spool, agentID: "agent-a"),
                running: ["fan-ae": initial], artifactTimeout: artifactTimeout,
                subscriber: { topic, subscribe in
                    if subscribe { _ = try await client.subscribe(topic, qos: .atLeastOnce) } else { try await client.unsubscribe(topic) }
                }, changed: {}, clock: { 1 }, logger: HubSide.logger)
        }

        /// A desired state naming `bytes` as `family` `version` on the artifact topic `topic`.
        func desired(
            generation: UInt64, family: String = "fan-ae", version: UInt64, bytes: [UInt8], topic: String? = nil
        )
            -> Earshot_V1_DesiredState
        {
            var model = Earshot_V1_DesiredModel()
            model.family = family
            model.version = version
            model.sha256 = Data(SHA256.hash(data: bytes))
            model.sizeBytes = UInt64(bytes.count)
            model.artifactTopic = topic ?? "earshot/v1/s/models/\(family)/\(version)"
            var state = Earshot_V1_DesiredState()
            state.agentID = "agent-a"
            state.generation = generation
            state.models = [model]
            return state
        }

        /// The events spooled so far.
        func events() throws -> [Earshot_V1_AgentEvent] {
            try spool.entries(after: 0, limit: 100).filter { $0.kind == .event }.map {
                try Earshot_V1_AgentEvent(serializedBytes: $0.payload)
            }
        }
    }

    @Test func installsTheRetainedArtifactTheDesiredStateNames() async throws {
        let f = try await Fixture()
        defer { f.router.cancel() }
        let v2 = Array("model v2".utf8)
        try await f.hub.retain("earshot/v1/s/models/fan-ae/2", v2)
        await f.reconciler.apply(f.desired(generation: 3, version: 2, bytes: v2))
        #expect(f.reconciler.running["fan-ae"]?.version == 2)
        #expect(f.reconciler.appliedGeneration == 3)
        #expect(f.store.load(family: "fan-ae", slot: .current) == v2)
        let event = try #require(try f.events().last)
        #expect(event.modelInstallSucceeded.model.version == 2)
        #expect(event.modelInstallSucceeded.previous.version == 1)
        #expect(event.modelInstallSucceeded.desiredGeneration == 3)
    }

    @Test func refusesAnArtifactThatIsNotTheDesiredOneAndKeepsTheRunningModel() async throws {
        let f = try await Fixture()
        defer { f.router.cancel() }
        let named = Array("model v2".utf8)
        try await f.hub.retain("earshot/v1/s/models/fan-ae/2", Array("model v2, tampered".utf8))
        await f.reconciler.apply(f.desired(generation: 1, version: 2, bytes: named))
        try await f.hub.retain("earshot/v1/s/models/fan-ae/3", Array("bad v3".utf8))
        await f.reconciler.apply(f.desired(generation: 2, version: 3, bytes: Array("bad v3".utf8)))
        let failures = try f.events().map(\.modelInstallFailed)
        #expect(failures.map(\.reason) == [.hashMismatch, .badSignature])
        #expect(failures.map(\.running.version) == [1, 1])
        #expect(f.reconciler.running["fan-ae"]?.version == 1)
        #expect(f.store.load(family: "fan-ae", slot: .current) == nil)
        #expect(f.installer.installs.withLock { $0 } == 0)
    }

    @Test func reportsATimeoutWhenNoArtifactIsRetained() async throws {
        let f = try await Fixture(artifactTimeout: .milliseconds(300))
        defer { f.router.cancel() }
        await f.reconciler.apply(f.desired(generation: 1, version: 2, bytes: Array("never published".utf8)))
        #expect(try f.events().map(\.modelInstallFailed.reason) == [.artifactTimeout])
        #expect(f.reconciler.running["fan-ae"]?.version == 1)
    }

    @Test func ignoresOlderGenerationsAndFamiliesItDoesNotRun() async throws {
        let f = try await Fixture(artifactTimeout: .milliseconds(300))
        defer { f.router.cancel() }
        let v2 = Array("model v2".utf8)
        try await f.hub.retain("earshot/v1/s/models/fan-ae/2", v2)
        await f.reconciler.apply(f.desired(generation: 5, version: 2, bytes: v2))
        await f.reconciler.apply(f.desired(generation: 4, version: 3, bytes: Array("model v3".utf8)))
        await f.reconciler.apply(f.desired(generation: 6, family: "pump-ae", version: 9, bytes: Array("pump".utf8)))
        #expect(f.reconciler.running.keys.sorted() == ["fan-ae"])
        #expect(f.reconciler.running["fan-ae"]?.version == 2)
        #expect(f.reconciler.appliedGeneration == 6)
        #expect(try f.events().count == 1)
    }

    @Test func rollsBackToThePreviousModelWithoutFetchingIt() async throws {
        let f = try await Fixture(artifactTimeout: .milliseconds(500))
        defer { f.router.cancel() }
        let v2 = Array("model v2".utf8), v3 = Array("model v3".utf8)
        try await f.hub.retain("earshot/v1/s/models/fan-ae/2", v2)
        await f.reconciler.apply(f.desired(generation: 1, version: 2, bytes: v2))
        try await f.hub.retain("earshot/v1/s/models/fan-ae/3", v3)
        await f.reconciler.apply(f.desired(generation: 2, version: 3, bytes: v3))
        // The hub deleted v2's retained artifact: only the kept previous model can satisfy this.
        try await f.hub.retain("earshot/v1/s/models/fan-ae/2", [])
        await f.reconciler.apply(f.desired(generation: 3, version: 2, bytes: v2))
        #expect(f.reconciler.running["fan-ae"]?.version == 2)
        #expect(f.store.load(family: "fan-ae", slot: .current) == v2)
        #expect(f.store.load(family: "fan-ae", slot: .previous) == v3)
        let rollback = try #require(try f.events().last).modelRolledBack
        #expect(rollback.from.version == 3 && rollback.to.version == 2)
    }
}
