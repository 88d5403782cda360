import Foundation

/// The installed artifacts on disk, so a restart keeps the running model and the one before it:
/// `<directory>/<family>.current.earshot` and `<family>.previous.earshot`, the signed bytes exactly as
/// received (they are verified again on load). Writes are atomic (temporary file, then rename).
///
/// `Sendable`: stateless apart from the directory path; the agent serialises installs per family.
public struct ModelStore: ModelStoring {
    /// Which of a family's two slots.
    public enum Slot: String, Sendable {
        /// The model to run.
        case current
        /// The model before it, kept for rollback.
        case previous
    }

    /// The directory holding the artifacts.
    public let directory: String

    /// A store in `directory`, created if missing.
    /// - Throws: Foundation's error when the directory cannot be created.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// The path of a family's slot.
    public func path(family: String, slot: Slot) -> String { directory + "/" + family + "." + slot.rawValue + ".earshot" }

    /// The path of a family's slot.
    public func location(family: String, slot: Slot) -> String { path(family: family, slot: slot) }

    /// The bytes in a slot, or nil when empty.
    public func load(family: String, slot: Slot) -> [UInt8]? {
        FileManager.default.contents(atPath: path(family: family, slot: slot)).map { [UInt8]($0) }
    }

    /// Makes `bytes` the family's current model; the old current one becomes `previous`.
    /// - Throws: Foundation's error when a file cannot be written.
    public func promote(_ bytes: [UInt8], family: String) throws {
        let current = path(family: family, slot: .current)
        if let old = load(family: family, slot: .current), old != bytes {
            try write(old, to: path(family: family, slot: .previous))
        }
        try write(bytes, to: current)
    }

    /// Swaps `current` and `previous` (rollback).
    /// - Throws: Foundation's error when a file cannot be written.
    public func swapCurrentAndPrevious(family: String) throws {
        guard let previous = load(family: family, slot: .previous) else { return }
        let current = load(family: family, slot: .current)
        try write(previous, to: path(family: family, slot: .current))
        if let current { try write(current, to: path(family: family, slot: .previous)) }
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
