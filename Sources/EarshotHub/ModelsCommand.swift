import ArgumentParser
import Foundation
import HubCore

/// `earshot-hub models add|list`: the model registry.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "Register and list signed model artifacts.", subcommands: [Add.self, List.self])

    /// `earshot-hub models add --config hub.yaml FILE`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a signed artifact (written by `earshot sign`).")

        @OptionGroup var hub: HubConfigOption

        @Argument(help: "The signed artifact file.")
        var file: String

        @Option(help: "The version it was trained from (0 = none).")
        var parentVersion: UInt64 = 0

        @Option(help: "Fingerprint of the training data set.")
        var datasetFingerprint: String = ""

        func run() throws {
            let (store, _) = try hub.store()
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            do {
                try HubConfigOption.print(
                    try store.registerModel(
                        signedBytes: [UInt8](data), parentVersion: parentVersion, datasetFingerprint: datasetFingerprint))
            } catch let error as ModelRegistryError {
                throw ValidationError(error.description)
            }
        }
    }

    /// `earshot-hub models list --config hub.yaml [--family F]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered models as JSON.")

        @OptionGroup var hub: HubConfigOption

        @Option(help: "Only this family.")
        var family: String?

        func run() throws {
            let (store, _) = try hub.store()
            try HubConfigOption.print(try store.models(family: family))
        }
    }
}
