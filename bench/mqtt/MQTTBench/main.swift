// Publisher half of bench/mqtt/run.sh: publishes N messages through the MQTT wrapper as
// fast as its bounded pipeline allows, then waits until all are acknowledged (QoS 1) or
// written (QoS 0). Delivery is counted by `mosquitto_sub -C N` in the script.
//
// Usage: MQTTBench --port P --qos 0|1 --count N --size BYTES --topic T
import Foundation
import Logging
import MQTT

func argument(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
    return args[i + 1]
}

let port = Int32(argument("--port", "1883"))!
let qos: QoS = argument("--qos", "1") == "0" ? .atMostOnce : .atLeastOnce
let count = Int(argument("--count", "100000"))!
let size = Int(argument("--size", "128"))!
let topic = argument("--topic", "bench/mqtt")

var logger = Logger(label: "mqtt-bench")
logger.logLevel = .warning
// Nagle stays on, as in mosquitto_pub (MOSQ_OPT_TCP_NODELAY defaults to off there); the
// wrapper's default (on) favours PUBACK latency over throughput.
let noDelay = argument("--nodelay", "0") == "1"
let client = try MQTTClient(
    configuration: MQTTConfiguration(
        host: "127.0.0.1", port: port, clientID: "mqtt-bench-\(getpid())", tcpNoDelay: noDelay),
    logger: logger)
try await client.connect()
let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)

/// The publishing loop, off the main actor: top-level code is MainActor-isolated and
/// would hop executors on every `await`.
@concurrent func publishAll(_ client: MQTTClient) async throws -> (Double, Bool) {
    let start = Date()
    for _ in 0..<count {
        try await client.enqueue(topic, payload: payload, qos: qos)
    }
    let flushed = await client.flush(timeout: 120)
    return (Date().timeIntervalSince(start), flushed)
}
let (elapsed, flushed) = try await publishAll(client)
await client.close()
print(
    String(
        format: "wrapper published %d messages (qos %d, %d bytes) in %.3f s: %.0f msg/s%@",
        count, qos.rawValue, size, elapsed, Double(count) / elapsed, flushed ? "" : " (flush timed out)"))
