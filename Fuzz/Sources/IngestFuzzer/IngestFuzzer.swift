import Foundation
import FuzzDriver
import HubCore
import HubIngest
import Wire

/// The hub's decode → validate → store path on fuzzed MQTT messages.
///
/// Input: up to 8 records `[kind][agent][length: UInt16 LE][payload]`; `kind % 4` picks status,
/// verdicts, clips or events, `agent % 3` one of three agent ids. Each record is decoded by the
/// hub's `WireDecoder` from its topic and payload, the decoded ones go into one `IngestRound`, and
/// the round is stored by `HubStore.ingest` into one SQLite file that lives for the whole run (so
/// inputs also meet the state earlier ones left). Refused payloads are expected; a round of decoded
/// messages that cannot be stored is a crash, like a trap: the hub retries a failed round until it
/// commits, so one such message would stop ingest for every agent.
enum IngestFuzzer {
    static let kinds: [TopicKind] = [.status, .verdicts, .clips, .events]
    static let agents = ["fz-a", "fz-b", "fz-c"]
    static let scheme = try! TopicScheme()
    static let decoder = WireDecoder(scheme: scheme)
    static let store: HubStore = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-fuzz-ingest-\(getpid())")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try! HubStore(
            path: directory.appendingPathComponent("hub.sqlite").path, clipDirectory: directory.appendingPathComponent("clips").path)
    }()

    /// The hub clock every input is judged at (2027-01-15), so the time window is the same for every run.
    static let nowMs: Int64 = 1_800_000_000_000

    static func run(_ bytes: UnsafeRawBufferPointer) {
        var round = IngestRound()
        var offset = 0
        var records = 0
        while records < 8, offset + 4 <= bytes.count {
            let kind = kinds[Int(bytes[offset]) % kinds.count]
            let agent = agents[Int(bytes[offset + 1]) % agents.count]
            let length = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
            offset += 4
            let payload = Array(bytes[offset..<min(bytes.count, offset + length)])
            offset += payload.count
            records += 1
            guard let topic = try? scheme.topic(kind, site: "fuzz-site", agentID: agent),
                case let (.agent(site, agentID, _), decoded)? = try? decoder.decode(topic: topic, payload: payload)
            else { continue }
            round.add(decoded, site: site, agentID: agentID, nowMs: nowMs)
        }
        guard !round.isEmpty else { return }
        do {
            _ = try store.ingest(round.messages, nowMs: nowMs)
        } catch {
            // The hub retries a failed round until it commits: a round that always fails stops every agent's ingest.
            fatalError("a decoded round could not be stored: \(error)")
        }
    }
}

/// The executable's entry point (see ``FuzzDriver``): libFuzzer with ``fuzzIngest(_:_:)`` as the target.
@_cdecl("fuzz_ingest_main")
public func fuzzIngestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv) { data, count in
        guard let data else { return 0 }
        return fuzzIngest(UnsafeRawPointer(data), count)
    }
}

/// One input: libFuzzer's `LLVMFuzzerTestOneInput` (its driver links against that name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    IngestFuzzer.run(UnsafeRawBufferPointer(start: data, count: count))
    return 0
}
