import Foundation
import Yams

/// One YAML mapping of a config being validated: reads typed values by key, records which keys
/// were consumed, and refuses any key left over (``finish()``), so a typo is an error naming its
/// full key path rather than a silently ignored setting. A key given twice in one mapping is an error
/// too (``ConfigError/duplicateKey(path:)``).
///
/// The one strict reader of Earshot's YAML config files: the agent's, the hub's and training's experiment configs.
///
/// Typical use: read every key a section knows, then call ``finish()``:
/// ```swift
/// var root = try ConfigNode(yaml: text)
/// if var broker = try root.node("broker") {
///     port = try broker.int("port", in: 1...65_535) ?? 1883
///     try broker.finish()
/// }
/// try root.finish()
/// ```
/// A key whose value is YAML `null` reads as absent. Not `Sendable`: it holds parsed YAML values.
public struct ConfigNode {
    /// The dotted key path of this mapping; empty for the document root.
    public let path: String
    private let values: [String: Any]
    private var consumed: Set<String> = []

    /// Wraps a parsed YAML value that must be a mapping (or `nil`/null, read as an empty mapping).
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` if `value` is not a mapping with string keys.
    public init(path: String, value: Any?) throws(ConfigError) {
        self.path = path
        if value == nil || value is NSNull {
            values = [:]
        } else if let mapping = value as? [String: Any] {
            values = mapping
        } else if let mapping = value as? [AnyHashable: Any] {
            var converted: [String: Any] = [:]
            for (key, item) in mapping {
                guard let key = key as? String else {
                    throw .invalidValue(path: Self.display(path), expected: "a mapping with string keys")
                }
                converted[key] = item
            }
            values = converted
        } else {
            throw .invalidValue(path: Self.display(path), expected: "a mapping")
        }
    }

    /// Parses YAML text whose top level must be a non-empty mapping.
    ///
    /// - Throws: ``ConfigError/invalidYAML(reason:)`` for unparsable text, an empty document, a non-mapping
    ///   top level, a key that is a list or a mapping, or a base-60 number; ``ConfigError/duplicateKey(path:)``
    ///   for the first key given twice in one mapping.
    public init(yaml: String) throws(ConfigError) {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch {
            throw .invalidYAML(reason: String(describing: error))
        }
        guard let document else { throw .invalidYAML(reason: "empty document") }
        // Before `any`, which traps on a key that is a list or a mapping and on a base-60 number past Int.
        try Self.checkNodes(in: document, path: "")
        // The value `Yams.load` returns; the node tree is kept for the keys given twice, of which it holds one.
        let value = document.any
        guard !(value is NSNull) else { throw .invalidYAML(reason: "empty document") }
        do {
            try self.init(path: "", value: value)
        } catch {
            throw .invalidYAML(reason: "the top level is not a mapping")
        }
    }

    /// Throws for the first mapping key anywhere in `node` that is not a scalar (`? [a, b]: 1`), the first
    /// YAML 1.1 base-60 number (`1:30`, which Yams computes in `Int` arithmetic that traps on overflow), and
    /// the first key given twice in a mapping (paths as ``childPath(_:)`` and ``nodeList(_:)`` spell them).
    private static func checkNodes(in node: Node, path: String) throws(ConfigError) {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.contains(":"), [Tag.Name.int, .float].map(\.rawValue).contains(node.tag.description) else { return }
            throw .invalidYAML(reason: "\(display(path)): '\(scalar.string)' is a base-60 number; quote it if it is text")
        case .sequence(let items):
            for (index, item) in items.enumerated() { try checkNodes(in: item, path: "\(path)[\(index)]") }
        case .mapping(let mapping):
            var seen: Set<String> = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    throw .invalidYAML(reason: "a key \(path.isEmpty ? "at the top level" : "under \(path)") is a list or a mapping")
                }
                let child = path.isEmpty ? name : "\(path).\(name)"
                guard seen.insert(name).inserted else { throw .duplicateKey(path: child) }
                try checkNodes(in: value, path: child)
            }
        }
    }

    /// Reads a config file as UTF-8 text.
    ///
    /// - Throws: ``ConfigError/unreadable(path:reason:)``.
    public static func text(ofFile path: String) throws(ConfigError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: String(describing: error))
        }
    }

    /// Every key of this mapping, sorted; for free-form mappings (e.g. name → path) read with the typed accessors.
    public var keys: [String] { values.keys.sorted() }

    /// The full dotted path of `key` in this mapping, for errors the caller raises itself.
    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func display(_ path: String) -> String { path.isEmpty ? "<root>" : path }

    private mutating func raw(_ key: String) -> Any? {
        consumed.insert(key)
        guard let value = values[key], !(value is NSNull) else { return nil }
        return value
    }

    /// A nested mapping, or `nil` when absent.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` when the value is not a mapping.
    public mutating func node(_ key: String) throws(ConfigError) -> ConfigNode? {
        guard let value = raw(key) else { return nil }
        return try ConfigNode(path: childPath(key), value: value)
    }

    /// A list of mappings (each addressed as `key[i]`), or `nil` when absent.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` when the value is not a list of mappings.
    public mutating func nodeList(_ key: String) throws(ConfigError) -> [ConfigNode]? {
        guard let value = raw(key) else { return nil }
        guard let items = value as? [Any] else { throw .invalidValue(path: childPath(key), expected: "a list of mappings") }
        var nodes: [ConfigNode] = []
        for (index, item) in items.enumerated() {
            nodes.append(try ConfigNode(path: "\(childPath(key))[\(index)]", value: item))
        }
        return nodes
    }

    /// A string (an integer is accepted and spelled in decimal), or `nil` when absent.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` for any other type.
    public mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = raw(key) else { return nil }
        if let s = value as? String { return s }
        if !(value is Bool), let i = value as? Int { return String(i) }
        throw .invalidValue(path: childPath(key), expected: "a string")
    }

    /// A non-empty string that must be present.
    ///
    /// - Throws: ``ConfigError/missingKey(path:)`` or ``ConfigError/invalidValue(path:expected:)``.
    public mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw .missingKey(path: childPath(key)) }
        guard !value.isEmpty else { throw .invalidValue(path: childPath(key), expected: "a non-empty string") }
        return value
    }

    /// A list of strings, or `nil` when absent.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` when the value is not a list of strings.
    public mutating func stringList(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = raw(key) else { return nil }
        guard let items = value as? [Any] else { throw .invalidValue(path: childPath(key), expected: "a list of strings") }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard let s = item as? String, !s.isEmpty else {
                throw .invalidValue(path: "\(childPath(key))[\(index)]", expected: "a non-empty string")
            }
            strings.append(s)
        }
        return strings
    }

    /// One of an enumeration's raw values, matched ignoring case (`Cosine` or `cosine`), or `nil` when absent.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` naming the accepted values (and, for a name YAML
    ///   read as a boolean, such as an unquoted `No`, that it must be quoted).
    public mutating func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, of type: Choice.Type) throws(ConfigError) -> Choice?
    where Choice.RawValue == String {
        let expected = "one of " + Choice.allCases.map(\.rawValue).joined(separator: ", ")
        if raw(key) is Bool {
            throw .invalidValue(path: childPath(key), expected: expected + " (quoted: YAML reads a bare yes, no, on or off as a boolean)")
        }
        guard let value = try string(key) else { return nil }
        guard let choice = Choice.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) else {
            throw .invalidValue(path: childPath(key), expected: expected)
        }
        return choice
    }

    /// `true` or `false`, or `nil` when absent.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` for any other value.
    public mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard let b = value as? Bool else { throw .invalidValue(path: childPath(key), expected: "true or false") }
        return b
    }

    /// An integer within `range`, or `nil` when absent. Without a range any integer is read, for a caller
    /// that checks the bounds itself (an open bound, or one that depends on another key).
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` for a non-integer or an out-of-range value.
    public mutating func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let value = raw(key) else { return nil }
        guard !(value is Bool), let i = value as? Int else {
            throw .invalidValue(
                path: childPath(key), expected: range.map { "an integer in \($0.lowerBound)...\($0.upperBound)" } ?? "an integer")
        }
        guard let range else { return i }
        return try Self.checked(i, in: range, path: childPath(key))
    }

    /// `value` when it lies in `range`: the one range check for a setting, whether it comes from a
    /// config file (``int(_:in:)``) or from elsewhere (the hub's desired settings).
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` naming `path`.
    public static func checked(_ value: Int, in range: ClosedRange<Int>, path: String) throws(ConfigError) -> Int {
        guard range.contains(value) else {
            throw .invalidValue(path: path, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `value` when it is finite and lies in `range` (NaN lies in no range): the one range check for
    /// a setting, whether it comes from a config file (``double(_:in:)``) or from elsewhere.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` naming `path`.
    public static func checked(_ value: Double, in range: ClosedRange<Double>, path: String) throws(ConfigError) -> Double {
        guard value.isFinite, range.contains(value) else {
            throw .invalidValue(path: path, expected: "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A number (integer or decimal) within `range`, or `nil` when absent. Without a range any finite number
    /// is read, for a caller that checks the bounds itself (an open bound, or one that depends on another key).
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` for a non-number, a non-finite or an out-of-range value.
    public mutating func double(_ key: String, in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double? {
        guard let value = raw(key) else { return nil }
        guard let d = Self.number(value), range != nil || d.isFinite else {
            throw .invalidValue(
                path: childPath(key), expected: range.map { "a number in \($0.lowerBound)...\($0.upperBound)" } ?? "a finite number")
        }
        guard let range else { return d }
        return try Self.checked(d, in: range, path: childPath(key))
    }

    /// A list of finite numbers (integers or decimals), or `nil` when absent; the caller checks their count and bounds.
    ///
    /// - Throws: ``ConfigError/invalidValue(path:expected:)`` naming the key when the value is not a list, or the
    ///   element (`key[i]`) that is not a finite number.
    public mutating func doubleList(_ key: String) throws(ConfigError) -> [Double]? {
        guard let value = raw(key) else { return nil }
        guard let items = value as? [Any] else { throw .invalidValue(path: childPath(key), expected: "a list of numbers") }
        var numbers: [Double] = []
        for (index, item) in items.enumerated() {
            guard let number = Self.number(item), number.isFinite else {
                throw .invalidValue(path: "\(childPath(key))[\(index)]", expected: "a finite number")
            }
            numbers.append(number)
        }
        return numbers
    }

    /// A YAML integer or decimal as a `Double`; `nil` for anything else (`true` is not 1).
    private static func number(_ value: Any) -> Double? {
        guard !(value is Bool) else { return nil }
        return (value as? Double) ?? (value as? Int).map(Double.init)
    }

    /// `value`, which an accessor read from `key`: makes that key required, e.g.
    /// `try node.required(node.choice("backbone", of: Backbone.self), "backbone")`.
    ///
    /// - Throws: ``ConfigError/missingKey(path:)`` naming `key` when `value` is `nil`.
    public func required<Value>(_ value: Value?, _ key: String) throws(ConfigError) -> Value {
        guard let value else { throw .missingKey(path: childPath(key)) }
        return value
    }

    /// Throws for the first key (in sorted order) that no accessor asked for.
    ///
    /// - Throws: ``ConfigError/unknownKey(path:)``.
    public func finish() throws(ConfigError) {
        if let unknown = values.keys.sorted().first(where: { !consumed.contains($0) }) {
            throw .unknownKey(path: childPath(unknown))
        }
    }
}
