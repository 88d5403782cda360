import Foundation
import SwiftProtobuf
import Testing
import Wire

/// Swift encodings must equal the bytes Google's Python runtime wrote (make_fixtures.py),
/// and the fixtures must decode back to the same messages.
struct GoldenFixtureTests {
    static let cases: [(String, @Sendable () throws -> any SwiftProtobuf.Message)] = [
        ("verdict_batch", { GoldenMessages.verdictBatch() }),
        ("clip", { GoldenMessages.clip() }),
        ("agent_status", { GoldenMessages.agentStatus() }),
        ("agent_event", { GoldenMessages.agentEvent() }),
        ("ack", { GoldenMessages.ack() }),
        ("desired_state", { GoldenMessages.desiredState() }),
        ("model_artifact", { GoldenMessages.modelArtifact() }),
    ]

    @Test(arguments: cases.map(\.0))
    func swiftEncodingMatchesGoldenBytes(name: String) throws {
        let build = try #require(Self.cases.first { $0.0 == name }?.1)
        let message = try build()
        let encoded: [UInt8] = try message.serializedBytes()
        let golden = try GoldenMessages.fixture(name)
        #expect(encoded == golden, "encoding of \(name) changed: \(encoded.count) bytes vs \(golden.count) golden")
        let decoded = try type(of: message).init(serializedBytes: golden)
        #expect(decoded.isEqualTo(message: message))
    }

    @Test func signedArtifactMatchesGoldenBytes() throws {
        let golden = try GoldenMessages.fixture("signed_artifact")
        let decoded = try Earshot_V1_SignedArtifact(serializedBytes: golden)
        #expect(decoded.sha256.count == 32)
        let built = try GoldenMessages.signedArtifact(sha256: decoded.sha256)
        let encoded: [UInt8] = try built.serializedBytes()
        #expect(encoded == golden)
        #expect(decoded.magic == Earshot_V1_SignedArtifact.expectedMagic)
        let inner = try Earshot_V1_ModelArtifact(serializedBytes: decoded.artifact)
        #expect(inner == GoldenMessages.modelArtifact())
    }

    @Test func unknownFieldsAreToleratedAndKept() throws {
        // Field 99 (varint 5) appended: a newer sender's addition.
        let golden = try GoldenMessages.fixture("ack")
        let extended = golden + [0x98, 0x06, 0x05]
        let decoded = try Earshot_V1_Ack(serializedBytes: extended)
        #expect(decoded.highestContiguousSeq == 42)
        let reencoded: [UInt8] = try decoded.serializedBytes()
        #expect(reencoded == extended)
    }
}
