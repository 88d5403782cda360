import Foundation

/// Writes a float32 (rows, width) `.npy` file row block by row block, without holding it in memory.
///
/// The data goes to `<path>.partial`; the header is written with room for any row count and rewritten with
/// the real shape by `finish()`, which then renames the file into place. A writer that is dropped without
/// `finish()` removes the partial file. Not `Sendable`: one writer belongs to one thread (or is used under a lock).
public final class NumPyMatrixWriter {
    /// Final path of the file.
    public let path: String
    /// Values per row.
    public let width: Int
    /// Rows appended so far.
    public private(set) var rows = 0
    private let partialPath: String
    private let handle: FileHandle
    private let headerLength: Int
    private var finished = false

    /// Creates `<path>.partial` and writes a provisional header.
    /// - Throws: `NumPyError.Kind.io` if the file cannot be created, `.shapeMismatch` for a negative width.
    public init(path: String, width: Int) throws(NumPyError) {
        guard width >= 0 else { throw NumPyError(.shapeMismatch(shape: [0, width], count: 0), path: path) }
        self.path = path
        self.width = width
        self.partialPath = path + ".partial"
        let header = NPYHeader.encode(dtype: .float32, shape: [Int.max, width])
        self.headerLength = header.count
        guard FileManager.default.createFile(atPath: partialPath, contents: Data(header)),
            let handle = FileHandle(forWritingAtPath: partialPath)
        else { throw NumPyError(.io("cannot create \(partialPath)"), path: path) }
        self.handle = handle
        do {
            try handle.seekToEnd()
        } catch {
            throw NumPyError(.io(error.localizedDescription), path: path)
        }
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partialPath)
        }
    }

    /// Appends whole rows, row-major. `values.count` must be a multiple of `width`.
    /// - Throws: `NumPyError.Kind.shapeMismatch` for a partial row, `.io` if writing fails.
    public func append(_ values: UnsafeBufferPointer<Float>) throws(NumPyError) {
        guard width > 0 ? values.count % width == 0 : values.isEmpty else {
            throw NumPyError(.shapeMismatch(shape: [values.count / max(1, width), width], count: values.count), path: path)
        }
        do {
            try handle.write(contentsOf: Data(buffer: values))
        } catch {
            throw NumPyError(.io(error.localizedDescription), path: path)
        }
        rows += width > 0 ? values.count / width : 0
    }

    /// Appends whole rows from an array; see `append(_:)`.
    public func append(_ values: [Float]) throws(NumPyError) {
        try values.withUnsafeBufferPointer { buffer throws(NumPyError) in try append(buffer) }
    }

    /// Writes the final shape (rows, width) into the header and moves the file to `path`.
    /// - Throws: `NumPyError.Kind.io`.
    public func finish() throws(NumPyError) {
        let header = NPYHeader.encode(dtype: .float32, shape: [rows, width], minimumLength: headerLength)
        precondition(header.count == headerLength, "the provisional header reserves room for any row count")
        do {
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: Data(header))
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partialPath, toPath: path)
        } catch {
            throw NumPyError(.io(error.localizedDescription), path: path)
        }
        finished = true
    }
}

@available(*, unavailable)
extension NumPyMatrixWriter: Sendable {}
