import Foundation

/// The package's executables run as child processes by end-to-end tests.
public enum ChildProcess {
    /// The build products directory (the executables sit beside the test bundle).
    public static var products: URL {
        var directory = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("earshot-hub").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory
    }

    /// Starts the built `executable` with `arguments`, stdout and stderr going to `log`, and SIGTERM
    /// and SIGINT unblocked: the test process's threads block them and a spawned child inherits
    /// that mask, so a plain spawn would never see SIGTERM.
    public static func launch(_ executable: String, _ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", "-c",
                "import os, signal, sys; signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT]); os.execv(sys.argv[1], sys.argv[1:])",
                products.appendingPathComponent(executable).path,
            ] + arguments
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}
