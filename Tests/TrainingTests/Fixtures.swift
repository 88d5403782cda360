import Foundation

@testable import Training

/// Reads a fixture set written by `Fixtures/make_keras_fixtures.py`: `<name>.json` lists raw little-endian
/// float32 files with their shapes, in order.
struct FixtureSet {
    struct Entry: Decodable {
        var name: String
        var shape: [Int]
        var file: String
    }

    var names: [String]
    var arrays: [WeightTensor]

    init(_ name: String) throws {
        let directory = try require_(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        struct Manifest: Decodable { var arrays: [Entry] }
        let manifest = try JSONDecoder().decode(
            Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("\(name).json")))
        names = manifest.arrays.map(\.name)
        arrays = try manifest.arrays.map { entry in
            let data = try Data(contentsOf: directory.appendingPathComponent(entry.file))
            let values = data.withUnsafeBytes { raw in
                (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            return WeightTensor(shape: entry.shape, values: values)
        }
    }

    /// The array called `name`.
    func array(_ name: String) -> WeightTensor { arrays[names.firstIndex(of: name)!] }

    /// Everything except the trailing `input` and `output`.
    var weights: [WeightTensor] { Array(arrays.dropLast(2)) }
}

struct MissingFixture: Error {}

func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingFixture() }
    return value
}
