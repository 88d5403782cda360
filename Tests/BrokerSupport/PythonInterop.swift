import Foundation

/// Python clients nobody here wrote: paho-mqtt plus Google's protobuf runtime, using modules that
/// `scripts/generate-protos --python` makes from the same .proto files. Scripts live in Tests/Interop.
public enum PythonInterop {
    /// Why interop tests are skipped.
    public static let skipMessage =
        "Interop tests need python3 with paho-mqtt and protobuf (pip install paho-mqtt protobuf) and protoc"

    /// Whether python3 can import paho-mqtt and protobuf and protoc exists.
    public static let available: Bool = {
        let probe = try? TestFiles.run("/usr/bin/env", ["python3", "-c", "import paho.mqtt.client, google.protobuf"])
        let protoc = try? TestFiles.run("/usr/bin/env", ["protoc", "--version"])
        if probe == nil || protoc == nil { print("SKIP interop: \(skipMessage)") }
        return probe != nil && protoc != nil
    }()

    /// Python modules generated from proto/ once per test process (gitignored temp dir).
    static let pythonPath: String? = {
        guard let dir = try? TestFiles.makeTempDirectory(prefix: "pyproto") else { return nil }
        let script = TestFiles.repositoryRoot.appendingPathComponent("scripts/generate-protos").path
        guard (try? TestFiles.run(script, ["--python", dir.path])) != nil else { return nil }
        return dir.path
    }()

    /// Starts `Tests/Interop/<script>` with the generated modules on PYTHONPATH.
    public static func python(_ script: String, _ arguments: [String]) throws -> Process {
        guard let pythonPath else { throw TestFiles.Failure("could not generate Python protobuf modules") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let path = TestFiles.repositoryRoot.appendingPathComponent("Tests/Interop/\(script)").path
        p.arguments = ["python3", path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = pythonPath
        p.environment = environment
        try p.run()
        return p
    }
}
