/// Why a `.npy` file could not be read or written.
///
/// `Sendable`. `description` is one line naming the file (when known) and the problem.
public struct NumPyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The file does not start with `\x93NUMPY`: it is not a `.npy` file.
        case badMagic
        /// The format version is not 1.x, 2.x or 3.x.
        case unsupportedVersion(major: UInt8, minor: UInt8)
        /// The header dictionary cannot be parsed (missing key, bad shape, not ASCII).
        case malformedHeader
        /// The element type is not one of `<f4`, `<f8`, `<i8`, `<i4` (big-endian, bool, complex, object…).
        case unsupportedDType(String)
        /// The array is stored in Fortran (column-major) order; save it with `np.ascontiguousarray`.
        case fortranOrder
        /// The file ends before all elements the shape promises.
        case truncated(expectedBytes: Int, actualBytes: Int)
        /// The element count does not match the shape (when building or writing an array).
        case shapeMismatch(shape: [Int], count: Int)
        /// Reading or writing the file failed in the operating system.
        case io(String)
    }

    /// What went wrong.
    public var kind: Kind
    /// The file concerned, when there is one.
    public var path: String?

    /// Creates an error.
    public init(_ kind: Kind, path: String? = nil) {
        self.kind = kind
        self.path = path
    }

    public var description: String {
        let problem: String
        switch kind {
        case .badMagic: problem = "not a NumPy .npy file (bad magic)"
        case .unsupportedVersion(let major, let minor): problem = "unsupported .npy format version \(major).\(minor) (1.x–3.x are read)"
        case .malformedHeader: problem = "malformed .npy header"
        case .unsupportedDType(let descr):
            problem = "unsupported dtype '\(descr)' (use little-endian float32, float64, int64 or int32: arr.astype('<f4'))"
        case .fortranOrder: problem = "array is in Fortran order; save np.ascontiguousarray(arr) instead"
        case .truncated(let expected, let actual): problem = "truncated data: \(actual) of \(expected) bytes"
        case .shapeMismatch(let shape, let count): problem = "shape \(shape) does not hold \(count) elements"
        case .io(let detail): problem = "I/O error (\(detail))"
        }
        return path.map { "\($0): \(problem)" } ?? problem
    }
}
