import Foundation

/// One YAML mapping of the hub config being validated: reads typed values by key, records
/// which keys were consumed, and refuses any key left over (``finish()``), so a typo is an
/// error naming its full key path rather than a silently ignored setting.
struct ConfigNode {
    let path: String
    private let values: [String: Any]
    private var consumed: Set<String> = []

    init(path: String, value: Any?) throws(HubConfigurationError) {
        self.path = path
        if value == nil || value is NSNull {
            values = [:]
        } else if let mapping = value as? [String: Any] {
            values = mapping
        } else if let mapping = value as? [AnyHashable: Any] {
            var converted: [String: Any] = [:]
            for (key, item) in mapping {
                guard let key = key as? String else { throw .invalidValue(path: path, expected: "a mapping with string keys") }
                converted[key] = item
            }
            values = converted
        } else {
            throw .invalidValue(path: path.isEmpty ? "<root>" : path, expected: "a mapping")
        }
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func raw(_ key: String) -> Any? {
        consumed.insert(key)
        guard let value = values[key], !(value is NSNull) else { return nil }
        return value
    }

    mutating func node(_ key: String) throws(HubConfigurationError) -> ConfigNode? {
        guard let value = raw(key) else { return nil }
        return try ConfigNode(path: child(key), value: value)
    }

    mutating func string(_ key: String) throws(HubConfigurationError) -> String? {
        guard let value = raw(key) else { return nil }
        if let s = value as? String { return s }
        if let i = value as? Int { return String(i) }
        throw .invalidValue(path: child(key), expected: "a string")
    }

    mutating func requiredString(_ key: String) throws(HubConfigurationError) -> String {
        guard let value = try string(key) else { throw .missingKey(path: child(key)) }
        guard !value.isEmpty else { throw .invalidValue(path: child(key), expected: "a non-empty string") }
        return value
    }

    mutating func bool(_ key: String) throws(HubConfigurationError) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard let b = value as? Bool else { throw .invalidValue(path: child(key), expected: "true or false") }
        return b
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(HubConfigurationError) -> Int? {
        guard let value = raw(key) else { return nil }
        guard !(value is Bool), let i = value as? Int, range.contains(i) else {
            throw .invalidValue(path: child(key), expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    mutating func double(_ key: String, in range: ClosedRange<Double>) throws(HubConfigurationError) -> Double? {
        guard let value = raw(key) else { return nil }
        let number: Double? = (value as? Double) ?? (value as? Int).map(Double.init)
        guard !(value is Bool), let d = number, range.contains(d) else {
            throw .invalidValue(path: child(key), expected: "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return d
    }

    /// Throws for the first key (in sorted order) that no accessor asked for.
    func finish() throws(HubConfigurationError) {
        if let unknown = values.keys.sorted().first(where: { !consumed.contains($0) }) {
            throw .unknownKey(path: child(unknown))
        }
    }
}
