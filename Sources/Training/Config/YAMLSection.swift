import Yams

/// A strict view of one YAML mapping: typed getters that record which keys were read, and `finish()`
/// that rejects every key nobody asked for, naming its full path (e.g. `training.learnig_rate`).
struct YAMLSection {
    let path: String
    private let entries: [(key: String, value: Node)]
    private var used: Set<String> = []

    init(_ node: Node?, path: String) throws {
        self.path = path
        guard let node else {
            entries = []
            return
        }
        guard let mapping = node.mapping else {
            throw TrainingError.invalidConfig(keyPath: path, reason: "expected a mapping of keys to values")
        }
        var entries: [(String, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw TrainingError.invalidConfig(keyPath: path, reason: "keys must be plain strings")
            }
            guard !entries.contains(where: { $0.0 == name }) else {
                throw TrainingError.invalidConfig(keyPath: path.isEmpty ? name : "\(path).\(name)", reason: "duplicate key")
            }
            entries.append((name, value))
        }
        self.entries = entries
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func node(_ key: String) -> Node? {
        used.insert(key)
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        if let scalar = node.scalar, scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return node
    }

    private func typeError(_ key: String, _ expected: String, _ node: Node) -> TrainingError {
        .invalidConfig(
            keyPath: keyPath(key),
            reason: "expected \(expected), got '\(node.scalar?.string ?? "a \(node.mapping != nil ? "mapping" : "list")")'")
    }

    mutating func section(_ key: String) throws -> YAMLSection { try YAMLSection(node(key), path: keyPath(key)) }

    mutating func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard let scalar = node.scalar else { throw typeError(key, "a string", node) }
        return scalar.string
    }

    mutating func int(_ key: String) throws -> Int? {
        guard let node = node(key) else { return nil }
        guard let value = node.int else { throw typeError(key, "an integer", node) }
        return value
    }

    mutating func double(_ key: String) throws -> Double? {
        guard let node = node(key) else { return nil }
        guard let value = node.float, node.scalar?.style == .plain else { throw typeError(key, "a number", node) }
        return value
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let node = node(key) else { return nil }
        guard let value = node.bool, node.scalar?.style == .plain else { throw typeError(key, "true or false", node) }
        return value
    }

    mutating func strings(_ key: String) throws -> [String]? {
        guard let node = node(key) else { return nil }
        guard let sequence = node.sequence else { throw typeError(key, "a list of strings", node) }
        return try sequence.map { item in
            guard let scalar = item.scalar else { throw typeError(key, "a list of strings", item) }
            return scalar.string
        }
    }

    mutating func doubles(_ key: String) throws -> [Double]? {
        guard let node = node(key) else { return nil }
        guard let sequence = node.sequence else { throw typeError(key, "a list of numbers", node) }
        return try sequence.map { item in
            guard let value = item.float, item.scalar?.style == .plain else { throw typeError(key, "a list of numbers", item) }
            return value
        }
    }

    /// A string that must be one of `T`'s raw values (compared case-insensitively).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = try string(key) else { return nil }
        guard let value = T.allCases.first(where: { $0.rawValue.lowercased() == raw.lowercased() }) else {
            throw TrainingError.invalidConfig(
                keyPath: keyPath(key), reason: "'\(raw)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// A required value.
    func required<T>(_ value: T?, _ key: String) throws -> T {
        guard let value else { throw TrainingError.invalidConfig(keyPath: keyPath(key), reason: "missing required key") }
        return value
    }

    /// Checks `condition`, else an error for `key`.
    func check(_ condition: Bool, _ key: String, _ reason: String) throws {
        if !condition { throw TrainingError.invalidConfig(keyPath: keyPath(key), reason: reason) }
    }

    /// Throws for the first key that no getter asked for.
    func finish() throws {
        if let unknown = entries.first(where: { !used.contains($0.key) }) {
            throw TrainingError.invalidConfig(keyPath: keyPath(unknown.key), reason: "unknown key")
        }
    }
}
