import Foundation
import TestSupport

/// Runs the built `earshot` executable (it sits beside the test bundle in the build directory).
enum EarshotBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// Non-empty lines of standard error.
        var errorLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
    }

    static var url: URL {
        var directory = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("earshot").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("earshot")
    }

    /// Runs `earshot` with `arguments` to completion, on a thread of its own (``DedicatedThread``):
    /// a training run must not hold one of the test pool's threads.
    static func run(_ arguments: [String]) async throws -> Result {
        let executable = url
        return try await DedicatedThread.run {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr, as: UTF8.self))
        }
    }
}
