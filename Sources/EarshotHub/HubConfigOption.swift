import ArgumentParser
import Foundation
import HubCore

/// `--config hub.yaml`, shared by every subcommand.
struct HubConfigOption: ParsableArguments {
    @Option(help: "Path of the hub's YAML configuration (see deploy/hub.yaml).")
    var config: String

    /// The validated configuration.
    func load() throws -> HubConfiguration {
        do {
            return try HubConfiguration.load(path: config)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The hub's store (the same SQLite file a running hub uses; SQLite locks between the processes).
    func store() throws -> (HubStore, HubConfiguration) {
        let configuration = try load()
        let store = try HubStore(
            path: configuration.storage.databasePath, clipDirectory: configuration.storage.clipDirectory,
            modelDirectory: configuration.storage.modelDirectory)
        return (store, configuration)
    }

    /// Prints `value` as sorted, pretty JSON.
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
