import Foundation
import NumPy
import Testing

@Suite struct NumPyMatrixWriterTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("npywriter-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    }

    @Test("rows appended in blocks read back as one (rows, width) array", arguments: [0, 1, 7, 1000])
    func roundTrip(_ rows: Int) throws {
        let path = Self.temporaryPath("rows\(rows).npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = (0..<(rows * 3)).map { Float($0) * 0.5 }
        let writer = try NumPyMatrixWriter(path: path, width: 3)
        var start = 0
        while start < values.count {
            let end = min(values.count, start + 3 * 13)
            try writer.append(Array(values[start..<end]))
            start = end
        }
        try writer.finish()
        #expect(try NumPyArray(contentsOf: path) == NumPyArray(shape: [rows, 3], float32: values))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test("a partial row is rejected; an unfinished writer leaves no file")
    func partialRow() throws {
        let path = Self.temporaryPath("partial.npy")
        do {
            let writer = try NumPyMatrixWriter(path: path, width: 4)
            #expect(throws: NumPyError.self) { try writer.append([1, 2, 3]) }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test("an unwritable location is an I/O error")
    func unwritable() {
        #expect {
            try NumPyMatrixWriter(path: "/nonexistent-dir/x.npy", width: 2)
        } throws: { error in
            guard let error = error as? NumPyError, case .io = error.kind else { return false }
            return true
        }
    }
}
