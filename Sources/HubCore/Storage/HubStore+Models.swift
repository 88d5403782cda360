import Crypto
import Foundation
import GRDB
import Wire

/// The model registry: signed artifacts by family and version.
extension HubStore {
    /// Registers a signed artifact (as written by `earshot sign`) as the next version of its family.
    ///
    /// Checks the envelope (magic, inner SHA-256, family and version equal to the artifact's) but not
    /// the signature: agents verify it against their pinned keys. The bytes are written to the
    /// content-addressed model directory before the row commits.
    ///
    /// - Throws: ``ModelRegistryError`` for a bad artifact or a version not above the family's
    ///   latest; GRDB or file-system errors.
    public func registerModel(
        signedBytes: [UInt8], metrics: [String: Double] = [:], parentVersion: UInt64 = 0, datasetFingerprint: String = ""
    ) throws -> ModelRecord {
        let key = try Self.modelKey(of: signedBytes)
        let digest = SHA256.hash(data: signedBytes).map { String(format: "%02x", $0) }.joined()
        let file = modelDirectory.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent("\(digest).earshot")
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(signedBytes).write(to: file, options: .atomic)
        }
        let metricsJSON = String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)
        let nowMs = WallClock.nowMs()
        return try pool.write { db in
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(version) FROM models WHERE family = ?", arguments: [key.family]) ?? 0
            guard Int64(clamping: key.version) > latest else {
                throw ModelRegistryError.versionNotMonotonic(family: key.family, version: key.version, latest: UInt64(latest))
            }
            try db.execute(
                sql: """
                    INSERT INTO models (family, version, sha256, size_bytes, path, metrics, parent_version, dataset_fingerprint, created_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.family, Int64(clamping: key.version), digest, signedBytes.count, file.path, metricsJSON,
                    Int64(clamping: parentVersion), datasetFingerprint, nowMs,
                ])
            return try Self.model(db, key.family, key.version)!
        }
    }

    /// Registered models, newest first; of one family if given.
    public func models(family: String? = nil) throws -> [ModelRecord] {
        try pool.read { db in
            try ModelRecord.fetchAll(
                db, sql: "SELECT * FROM models WHERE ? IS NULL OR family = ? ORDER BY family, version DESC", arguments: [family, family]
            )
        }
    }

    /// One registered model, or `nil`.
    public func model(family: String, version: UInt64) throws -> ModelRecord? {
        try pool.read { db in try Self.model(db, family, version) }
    }

    /// The signed bytes of a registered model, checked against its recorded SHA-256.
    public func modelBytes(_ model: ModelRecord) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model.path)))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        guard digest == model.sha256 else {
            throw ModelRegistryError.notASignedArtifact("\(model.path) no longer has SHA-256 \(model.sha256)")
        }
        return bytes
    }

    package static func model(_ db: Database, _ family: String, _ version: UInt64) throws -> ModelRecord? {
        try ModelRecord.fetchOne(
            db, sql: "SELECT * FROM models WHERE family = ? AND version = ?", arguments: [family, Int64(clamping: version)])
    }

    private static func modelKey(of bytes: [UInt8]) throws(ModelRegistryError) -> ModelKey {
        let envelope: Earshot_V1_SignedArtifact
        let artifact: Earshot_V1_ModelArtifact
        do {
            envelope = try Earshot_V1_SignedArtifact(serializedBytes: bytes)
        } catch {
            throw .notASignedArtifact("the envelope does not decode")
        }
        guard envelope.magic == Earshot_V1_SignedArtifact.expectedMagic else { throw .notASignedArtifact("bad magic") }
        guard envelope.envelopeVersion == Earshot_V1_SignedArtifact.currentEnvelopeVersion else {
            throw .notASignedArtifact("envelope version \(envelope.envelopeVersion) is not supported")
        }
        guard Data(SHA256.hash(data: envelope.artifact)) == envelope.sha256 else {
            throw .notASignedArtifact("the artifact does not match the envelope's SHA-256")
        }
        do {
            artifact = try Earshot_V1_ModelArtifact(serializedBytes: envelope.artifact)
        } catch {
            throw .notASignedArtifact("the artifact does not decode")
        }
        guard !artifact.family.isEmpty, artifact.version > 0 else { throw .notASignedArtifact("no family or version") }
        guard envelope.family == artifact.family, envelope.version == artifact.version else {
            throw .notASignedArtifact(
                "the envelope names \(envelope.family) v\(envelope.version), the artifact \(artifact.family) v\(artifact.version)")
        }
        return ModelKey(family: artifact.family, version: artifact.version)
    }
}
