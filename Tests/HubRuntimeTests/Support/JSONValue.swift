/// A decoded JSON value that keeps booleans, integers and other numbers apart, for schema checks.
indirect enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

extension JSONValue: Equatable {
    /// The member `key` of an object; `nil` for a missing key or a non-object.
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }
}

extension JSONValue {
    /// The elements of an array; `nil` for anything else.
    var array: [JSONValue]? { if case .array(let array) = self { array } else { nil } }
    /// The value of an integer; `nil` for anything else.
    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    /// The value of a string; `nil` for anything else.
    var string: String? { if case .string(let value) = self { value } else { nil } }
}
