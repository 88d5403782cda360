import Foundation
import NumPy
import Testing

@Suite struct NumPyArrayTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("numpy-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    }

    @Test("round trip of every dtype and shape", arguments: [
        try! NumPyArray(shape: [2, 3], elements: .float32([1, 2, 3, 4, 5, -6.5])),
        try! NumPyArray(shape: [4], elements: .float64([0.1, 1e300, -2, .pi])),
        try! NumPyArray(shape: [3], elements: .int64([0, -1, Int64.max])),
        try! NumPyArray(shape: [2, 1, 2], elements: .int32([1, 2, 3, Int32.min])),
        try! NumPyArray(shape: [], elements: .float32([42])),
        try! NumPyArray(shape: [0, 640], elements: .float32([])),
    ])
    func roundTrip(_ array: NumPyArray) throws {
        let path = Self.temporaryPath("\(array.dtype.rawValue)-\(array.shape.count).npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try array.write(to: path)
        #expect(try NumPyArray(contentsOf: path) == array)
        let data = array.npyData()
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(data[data.startIndex + 10 + headerLength - 1] == UInt8(ascii: "\n"))
    }

    /// Files written by numpy itself (Fixtures/make_fixtures.py): one-hot labels, integer labels, features, v2.0.
    @Test("reads files numpy wrote")
    func readsNumpy() throws {
        let onehot = try NumPyArray(contentsOf: Self.fixtures.appendingPathComponent("onehot_f4.npy").path)
        #expect(onehot.shape == [3, 2] && onehot.elements == .float32([1, 0, 0, 1, 0, 1]))
        let labels = try NumPyArray(contentsOf: Self.fixtures.appendingPathComponent("labels_i8.npy").path)
        #expect(labels.shape == [4] && labels.elements == .int64([0, 1, 1, 0]))
        let labels32 = try NumPyArray(contentsOf: Self.fixtures.appendingPathComponent("labels_i4.npy").path)
        #expect(labels32.shape == [4] && labels32.integers() == [0, 1, 1, 0])
        let features = try NumPyArray(contentsOf: Self.fixtures.appendingPathComponent("features_f8.npy").path)
        #expect(features.shape == [2, 3] && features.floats() == [0, 1, 2, 3, 4, 5])
        let version2 = try NumPyArray(contentsOf: Self.fixtures.appendingPathComponent("v2_f4.npy").path)
        #expect(version2.shape == [2, 2] && version2.floats() == [1, 2, 3, 4])
        // Our bytes equal numpy's for the same array.
        let ours = try NumPyArray(shape: [3, 2], float32: [1, 0, 0, 1, 0, 1]).npyData()
        #expect(ours == (try Data(contentsOf: Self.fixtures.appendingPathComponent("onehot_f4.npy"))))
    }

    @Test("malformed files are rejected with a typed error", arguments: [
        ("bad_magic.npy", NumPyError.Kind.badMagic),
        ("truncated.npy", .truncated(expectedBytes: 24, actualBytes: 10)),
        ("fortran.npy", .fortranOrder),
        ("bigendian.npy", .unsupportedDType(">f4")),
        ("complex.npy", .unsupportedDType("<c8")),
        ("bool.npy", .unsupportedDType("|b1")),
        ("version9.npy", .unsupportedVersion(major: 9, minor: 0)),
        ("header_cut.npy", .truncated(expectedBytes: 128, actualBytes: 40)),
    ])
    func malformed(_ name: String, _ kind: NumPyError.Kind) {
        let path = Self.fixtures.appendingPathComponent(name).path
        #expect(throws: NumPyError(kind, path: path)) { try NumPyArray(contentsOf: path) }
    }

    @Test("a missing file is an I/O error; a shape that does not fit is rejected")
    func otherErrors() {
        #expect {
            try NumPyArray(contentsOf: "/nonexistent/x.npy")
        } throws: { error in
            guard let error = error as? NumPyError, case .io = error.kind else { return false }
            return error.path == "/nonexistent/x.npy" && !error.description.isEmpty
        }
        #expect(throws: NumPyError(.shapeMismatch(shape: [2, 2], count: 3))) {
            try NumPyArray(shape: [2, 2], float32: [1, 2, 3])
        }
    }
}
