import ArgumentParser
import Foundation
import HubCore
import Retraining

/// `--config hub.yaml`, shared by every subcommand.
struct HubConfigOption: ParsableArguments {
    @Option(help: "Path of the hub's YAML configuration (see deploy/hub.yaml).")
    var config: String

    /// The validated configuration: the hub's core sections and `retraining:`.
    func load() throws -> (hub: HubConfiguration, retraining: RetrainingConfiguration) {
        do {
            return try HubConfiguration.load(path: config, with: RetrainingConfiguration.self)
        } catch {
            throw ValidationError("hub config \(config): \(error.description)")
        }
    }

    /// The hub's store (the same SQLite file a running hub uses; SQLite locks between the processes).
    func store() throws -> (HubStore, HubConfiguration) {
        let configuration = try load().hub
        return (try Self.store(configuration), configuration)
    }

    /// The store of `configuration`'s database.
    static func store(_ configuration: HubConfiguration) throws -> HubStore {
        try HubStore(
            path: configuration.storage.databasePath, clipDirectory: configuration.storage.clipDirectory,
            modelDirectory: configuration.storage.modelDirectory)
    }

    /// Prints `value` as sorted, pretty JSON.
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
