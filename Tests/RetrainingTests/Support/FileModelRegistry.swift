import Foundation
import Inference
import Retraining
import Wire

/// A file-backed model registry for tests only (the hub's `models` table replaces it): each version is
/// `<dir>/<family>/v<version>.signed` with `v<version>.json` beside it (metrics, parent, fingerprint).
/// `Sendable`: state lives only in the files.
struct FileModelRegistry: ModelRegistering {
    /// What a registration stored.
    struct Entry: Codable, Equatable {
        var family: String
        var version: UInt64
        var parentVersion: UInt64
        var datasetFingerprint: String
        var metrics: [String: Double]
    }

    let directory: URL

    func registerModel(signedBytes: [UInt8], metrics: [String: Double], parentVersion: UInt64, datasetFingerprint: String) throws -> Entry {
        let envelope = try Earshot_V1_SignedArtifact(serializedBytes: signedBytes)
        let entry = Entry(
            family: envelope.family, version: envelope.version, parentVersion: parentVersion, datasetFingerprint: datasetFingerprint,
            metrics: metrics)
        let folder = directory.appendingPathComponent(envelope.family)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(signedBytes).write(to: folder.appendingPathComponent("v\(envelope.version).signed"))
        try JSONEncoder().encode(entry).write(to: folder.appendingPathComponent("v\(envelope.version).json"))
        return entry
    }

    func latestVersion(family: String) throws -> (version: UInt64, signedBytes: [UInt8])? {
        guard let version = try versions(family: family).last else { return nil }
        let bytes = try Data(contentsOf: directory.appendingPathComponent(family).appendingPathComponent("v\(version).signed"))
        return (version, [UInt8](bytes))
    }

    /// Every registered version of `family`, ascending.
    func versions(family: String) throws -> [UInt64] {
        let folder = directory.appendingPathComponent(family).path
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".signed") }
            .compactMap { UInt64($0.dropFirst().dropLast(".signed".count)) }.sorted()
    }

    /// The stored entry of one version.
    func entry(family: String, version: UInt64) throws -> Entry {
        let data = try Data(contentsOf: directory.appendingPathComponent(family).appendingPathComponent("v\(version).json"))
        return try JSONDecoder().decode(Entry.self, from: data)
    }
}
