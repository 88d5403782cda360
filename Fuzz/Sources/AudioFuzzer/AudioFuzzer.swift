import AudioIO
import Foundation
import FuzzDriver
import HubCore

/// Audio decoding on fuzzed files: the bytes are written to one temporary file and read with
/// `AudioFileReader` within `HubStore.clipDecodeLimits`, as the hub reads a stored clip, then
/// mixed down. Refusals (thrown `AudioError`s) are expected; a trap or an allocation failure is a
/// crash.
enum AudioFuzzer {
    static let path: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-fuzz-audio-\(getpid())")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("clip.flac").path
    }()

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        guard let buffer = try? AudioFileReader.read(path: path, limits: HubStore.clipDecodeLimits) else { return }
        _ = buffer.mixedDown()
    }
}

/// The executable's entry point (see ``FuzzDriver``): libFuzzer with ``fuzzAudio(_:_:)`` as the target.
@_cdecl("fuzz_audio_main")
public func fuzzAudioMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv) { data, count in
        guard let data else { return 0 }
        return fuzzAudio(UnsafeRawPointer(data), count)
    }
}

/// One input: libFuzzer's `LLVMFuzzerTestOneInput` (its driver links against that name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudio(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    AudioFuzzer.run(UnsafeRawBufferPointer(start: data, count: count))
    return 0
}
