/// The parsed preamble of a `.npy` file: magic, version, header length and the ASCII dict.
struct NPYHeader {
    var dtype: NumPyDType
    var shape: [Int]
    /// Byte offset of the first element.
    var dataOffset: Int

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    static func parse(_ bytes: [UInt8]) throws(NumPyError) -> NPYHeader {
        guard bytes.count >= 8, Array(bytes[0..<6]) == magic else { throw NumPyError(.badMagic) }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4  // 3.0 only changes the header text encoding to UTF-8
        default: throw NumPyError(.unsupportedVersion(major: major, minor: minor))
        }
        guard bytes.count >= 8 + lengthBytes else {
            throw NumPyError(.truncated(expectedBytes: 8 + lengthBytes, actualBytes: bytes.count))
        }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let start = 8 + lengthBytes
        guard bytes.count >= start + headerLength else {
            throw NumPyError(.truncated(expectedBytes: start + headerLength, actualBytes: bytes.count))
        }
        guard let text = String(validating: bytes[start..<(start + headerLength)], as: UTF8.self) else {
            throw NumPyError(.malformedHeader)
        }
        let descr = try stringValue(of: "descr", in: text)
        guard let dtype = NumPyDType(rawValue: descr) else { throw NumPyError(.unsupportedDType(descr)) }
        let fortran = try rawValue(of: "fortran_order", in: text)
        switch fortran {
        case "False": break
        case "True": throw NumPyError(.fortranOrder)
        default: throw NumPyError(.malformedHeader)
        }
        let shape = try shapeValue(in: text)
        return NPYHeader(dtype: dtype, shape: shape, dataOffset: start + headerLength)
    }

    /// The version 1.0 preamble, padded with spaces and a final newline so the data is 64-byte aligned.
    static func encode(dtype: NumPyDType, shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var dict = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = dict.utf8.count
        return magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }

    /// The text after `'key':` up to the next `,` or `}` at the top level, trimmed.
    private static func rawValue(of key: String, in text: String) throws(NumPyError) -> Substring {
        guard let keyRange = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\""),
              let colon = text[keyRange.upperBound...].firstIndex(of: ":")
        else { throw NumPyError(.malformedHeader) }
        let rest = text[text.index(after: colon)...]
        let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
        return rest[..<end].trimmingSpaces()
    }

    private static func stringValue(of key: String, in text: String) throws(NumPyError) -> String {
        let value = try rawValue(of: key, in: text)
        guard value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first else {
            throw NumPyError(.malformedHeader)
        }
        return String(value.dropFirst().dropLast())
    }

    private static func shapeValue(in text: String) throws(NumPyError) -> [Int] {
        guard let keyRange = text.range(of: "'shape'") ?? text.range(of: "\"shape\""),
              let open = text[keyRange.upperBound...].firstIndex(of: "("),
              let close = text[open...].firstIndex(of: ")")
        else { throw NumPyError(.malformedHeader) }
        var shape: [Int] = []
        for part in text[text.index(after: open)..<close].split(separator: ",") {
            let trimmed = part.trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let dim = Int(String(trimmed.hasSuffix("L") ? trimmed.dropLast() : trimmed)), dim >= 0 else {
                throw NumPyError(.malformedHeader)
            }
            shape.append(dim)
        }
        return shape
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
