import Foundation
import TestSupport
import Testing

@testable import HubCore

@Suite struct ModelRegistryTests {
    @Test func versionsOnlyIncreaseAndTheBytesAreKeptByTheirHash() throws {
        let dir = try TemporaryDirectory()
        let store = try HubStore(path: dir.path("hub.sqlite"), clipDirectory: dir.path("clips"))
        let v1 = try APIFixture.envelope(family: "fan-ae", version: 1)
        let record = try store.registerModel(signedBytes: v1, metrics: ["auc": 0.9], parentVersion: 0, datasetFingerprint: "d1")
        #expect(record.version == 1 && record.sizeBytes == v1.count && record.metrics == ["auc": 0.9] && record.status == .registered)
        #expect(FileManager.default.contents(atPath: record.path).map { [UInt8]($0) } == v1)
        #expect(record.path.hasSuffix("\(record.sha256).earshot"))
        _ = try store.registerModel(signedBytes: try APIFixture.envelope(family: "fan-ae", version: 3), parentVersion: 1)
        #expect(throws: ModelRegistryError.versionNotMonotonic(family: "fan-ae", version: 2, latest: 3)) {
            try store.registerModel(signedBytes: try APIFixture.envelope(family: "fan-ae", version: 2))
        }
        #expect(throws: ModelRegistryError.self) {
            try store.registerModel(signedBytes: try APIFixture.envelope(family: "fan-ae", version: 3))
        }
        #expect(try store.models(family: "fan-ae").map(\.version) == [3, 1])
        _ = try store.registerModel(signedBytes: try APIFixture.envelope(family: "pump-ae", version: 1))
        #expect(try store.models().count == 3)
    }

    @Test(arguments: [[UInt8](), Array("not a model".utf8)])
    func somethingElseIsRefused(bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let store = try HubStore(path: dir.path("hub.sqlite"), clipDirectory: dir.path("clips"))
        #expect(throws: ModelRegistryError.self) { try store.registerModel(signedBytes: bytes) }
        var tampered = try APIFixture.envelope(family: "fan-ae", version: 1)
        tampered[tampered.count / 2] ^= 0x55
        #expect(throws: (any Error).self) { try store.registerModel(signedBytes: tampered) }
        #expect(try store.models().isEmpty)
    }
}
