import Foundation
import Inference
import NumPy

@testable import Training

/// Reads a fixture set written by `Fixtures/make_keras_fixtures.py`: `<name>.json` lists float32 `.npy`
/// files with their shapes, in order.
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
            let array = try NumPyArray(contentsOf: directory.appendingPathComponent(entry.file).path)
            guard array.shape == entry.shape else { throw MissingFixture() }
            return WeightTensor(shape: entry.shape, values: array.floats())
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
