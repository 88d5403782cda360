import Foundation

/// An n-dimensional array as stored in a `.npy` file: a C-order shape and the elements, row-major.
///
/// `Sendable` value type. Reads format versions 1.x–3.x, writes 1.0
/// (`\x93NUMPY`, version, little-endian header length, an ASCII dict padded so the data starts
/// on a 64-byte boundary). Only little-endian float32/float64/int64/int32 in C order are accepted.
public struct NumPyArray: Sendable, Equatable {
    /// The elements, row-major (C order), in one of the supported types.
    public enum Elements: Sendable, Equatable {
        /// `<f4` elements.
        case float32([Float])
        /// `<f8` elements.
        case float64([Double])
        /// `<i8` elements.
        case int64([Int64])
        /// `<i4` elements.
        case int32([Int32])

        /// Number of elements.
        public var count: Int {
            switch self {
            case .float32(let v): v.count
            case .float64(let v): v.count
            case .int64(let v): v.count
            case .int32(let v): v.count
            }
        }

        /// The element type.
        public var dtype: NumPyDType {
            switch self {
            case .float32: .float32
            case .float64: .float64
            case .int64: .int64
            case .int32: .int32
            }
        }
    }

    /// Dimensions, outermost first; `[]` is a scalar (one element).
    public let shape: [Int]
    /// The elements, row-major.
    public let elements: Elements

    /// Wraps elements with a shape.
    /// - Throws: `NumPyError.Kind.shapeMismatch` when the shape's product differs from the element count
    ///   or a dimension is negative.
    public init(shape: [Int], elements: Elements) throws(NumPyError) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == elements.count else {
            throw NumPyError(.shapeMismatch(shape: shape, count: elements.count))
        }
        self.shape = shape
        self.elements = elements
    }

    /// A float32 array of the given shape.
    public init(shape: [Int], float32 values: [Float]) throws(NumPyError) {
        try self.init(shape: shape, elements: .float32(values))
    }

    /// The element type.
    public var dtype: NumPyDType { elements.dtype }

    /// The elements converted to float32 (as `arr.astype(np.float32)`), row-major.
    public func floats() -> [Float] {
        switch elements {
        case .float32(let v): v
        case .float64(let v): v.map { Float($0) }
        case .int64(let v): v.map { Float($0) }
        case .int32(let v): v.map { Float($0) }
        }
    }

    /// The elements converted to Int64 (as `arr.astype(np.int64)`, floats truncated toward zero), row-major.
    public func integers() -> [Int64] {
        switch elements {
        case .float32(let v): v.map { Int64($0) }
        case .float64(let v): v.map { Int64($0) }
        case .int64(let v): v
        case .int32(let v): v.map { Int64($0) }
        }
    }

    // MARK: - Files

    /// Reads a `.npy` file.
    /// - Throws: `NumPyError` with kind `.io`, `.badMagic`, `.unsupportedVersion`, `.malformedHeader`,
    ///   `.unsupportedDType`, `.fortranOrder` or `.truncated`, carrying the path.
    public init(contentsOf path: String) throws(NumPyError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NumPyError(.io(error.localizedDescription), path: path)
        }
        do {
            self = try NumPyArray(npyData: data)
        } catch var error {
            error.path = path
            throw error
        }
    }

    /// Writes the array as a version 1.0 `.npy` file, replacing any existing file.
    /// - Throws: `NumPyError.Kind.io`.
    public func write(to path: String) throws(NumPyError) {
        do {
            try npyData().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NumPyError(.io(error.localizedDescription), path: path)
        }
    }

    // MARK: - Bytes

    /// Decodes the bytes of a `.npy` file.
    /// - Throws: `NumPyError` as for `init(contentsOf:)`, without a path.
    public init(npyData data: Data) throws(NumPyError) {
        let bytes = [UInt8](data)
        let header = try NPYHeader.parse(bytes)
        let count = header.shape.reduce(1, *)
        let expected = count * header.dtype.size
        let available = bytes.count - header.dataOffset
        guard available >= expected else {
            throw NumPyError(.truncated(expectedBytes: expected, actualBytes: max(0, available)))
        }
        let payload = bytes[header.dataOffset..<(header.dataOffset + expected)]
        let elements: Elements
        switch header.dtype {
        case .float32: elements = .float32(Self.load(payload, count: count))
        case .float64: elements = .float64(Self.load(payload, count: count))
        case .int64: elements = .int64(Self.load(payload, count: count))
        case .int32: elements = .int32(Self.load(payload, count: count))
        }
        try self.init(shape: header.shape, elements: elements)
    }

    /// Encodes the array as the bytes of a version 1.0 `.npy` file.
    public func npyData() -> Data {
        var data = Data(NPYHeader.encode(dtype: dtype, shape: shape))
        switch elements {
        case .float32(let v): Self.store(v, into: &data)
        case .float64(let v): Self.store(v, into: &data)
        case .int64(let v): Self.store(v, into: &data)
        case .int32(let v): Self.store(v, into: &data)
        }
        return data
    }

    // All supported hosts are little-endian, which `NPYHeader` checks the dtype against.
    private static func load<T: BitwiseCopyable>(_ payload: ArraySlice<UInt8>, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            payload.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            initialized = count
        }
    }

    private static func store<T: BitwiseCopyable>(_ values: [T], into data: inout Data) {
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }
}
