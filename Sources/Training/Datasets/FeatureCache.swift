import Foundation
import Spectral

/// An on-disk cache of per-clip feature matrices, so a second run (or a second model on the same data) does
/// not decode and transform the audio again. `Sendable`: stateless apart from the directory; entries are
/// written atomically (write to a temporary file, then rename), so concurrent workers and processes are safe.
///
/// An entry's key is the audio file's absolute path, byte size and modification time plus the full
/// description of the computation (every `FeatureSpec` field, the clip-level reduction, the resampler),
/// so touching or replacing a file, or changing any feature parameter, misses the cache. The file name is
/// the key's 64-bit FNV-1a hash; the key itself is stored in the entry and compared on load, so a hash
/// collision is a miss, never wrong features.
///
/// Entry format (little-endian): magic `ESHTFC\0\0`, UInt32 version (1), UInt32 key length K, K bytes of
/// UTF-8 key, UInt32 frames, UInt32 width, frames × width float32 values (row-major).
public struct FeatureCache: Sendable {
    /// Entry magic.
    static let magic: [UInt8] = Array("ESHTFC\0\0".utf8)
    /// Entry format version.
    static let version: UInt32 = 1

    /// Directory holding the entries.
    public let directory: String

    /// A cache in `directory`, created if missing.
    /// - Throws: `TrainingError.invalidDataset` if the directory cannot be created.
    public init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.invalidDataset("cannot create the feature cache \(directory): \(error.localizedDescription)")
        }
        self.directory = directory
    }

    /// The key of `path` under `computation`, or nil when the file cannot be stat'ed (it is then read
    /// uncached and its read error reported).
    static func key(path: String, computation: String) -> String? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
            let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return "\(absolute)|\(size.int64Value)|\(modified.timeIntervalSince1970.bitPattern)|\(computation)"
    }

    private func file(for key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return directory + "/" + String(hash, radix: 16) + ".feat"
    }

    /// The cached matrix for `key`, or nil (absent, unreadable, another key, or malformed).
    func load(key: String) -> FeatureMatrix? {
        guard let data = FileManager.default.contents(atPath: file(for: key)) else { return nil }
        return data.withUnsafeBytes { raw -> FeatureMatrix? in
            func u32(_ at: Int) -> UInt32? {
                guard at + 4 <= raw.count else { return nil }
                return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            }
            guard raw.count >= 16, Array(raw[0..<8]) == Self.magic, u32(8) == Self.version, let keyLength = u32(12).map(Int.init),
                16 + keyLength <= raw.count, String(decoding: raw[16..<(16 + keyLength)], as: UTF8.self) == key,
                let frames = u32(16 + keyLength).map(Int.init), let width = u32(20 + keyLength).map(Int.init)
            else { return nil }
            let start = 24 + keyLength
            guard raw.count == start + 4 * frames * width else { return nil }
            var values = [Float](repeating: 0, count: frames * width)
            values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start...])) }
            return FeatureMatrix(frames: frames, width: width, values: values.map { Float(bitPattern: $0.bitPattern.littleEndian) })
        }
    }

    /// Stores `matrix` under `key`; a failure to write only costs a recomputation next time.
    func store(_ matrix: FeatureMatrix, key: String) {
        var data = Data(Self.magic)
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let keyBytes = Array(key.utf8)
        append(Self.version)
        append(UInt32(keyBytes.count))
        data.append(contentsOf: keyBytes)
        append(UInt32(matrix.frames))
        append(UInt32(matrix.width))
        matrix.values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
        try? data.write(to: URL(fileURLWithPath: file(for: key)), options: .atomic)
    }
}
