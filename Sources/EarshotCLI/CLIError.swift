/// A one-line failure the CLI prints as `Error: <message>` before exiting with status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
