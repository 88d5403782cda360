import AgentRuntime
import AudioIO
import Foundation
import MachineSounds
import TestSupport
import Testing

@Suite struct AudioInputTests {
    /// Everything an input produced until `.end` (or `limit` samples): samples, per-read stream starts, problems.
    private struct Drained {
        var samples: [Float] = []
        var streamStarts: [Int] = []
        var sampleRates: Set<Int> = []
        var problems: [InputProblem] = []
    }

    /// Problems collected by `onProblem`, which runs on the reading thread.
    private final class ProblemLog {
        var problems: [InputProblem] = []
    }

    private func drain(
        _ source: InputSource, channel: ChannelSelection = .mean, pacing: InputPacing = .asFastAsPossible, chunk: Int = 1_000,
        limit: Int = .max
    ) -> Drained {
        let log = ProblemLog()
        let input = AudioInput(source: source, channel: channel, pacing: pacing) { log.problems.append($0) }
        var result = Drained()
        var buffer = [Float](repeating: .nan, count: chunk)
        while result.samples.count < limit {
            let read = buffer.withUnsafeMutableBufferPointer { input.read(into: $0) }
            guard case .samples(let count, let rate, let startsNewStream) = read else { break }
            #expect(count > 0 && count <= chunk)
            if startsNewStream { result.streamStarts.append(result.samples.count) }
            result.sampleRates.insert(rate)
            result.samples.append(contentsOf: buffer[0..<count])
        }
        result.problems = log.problems
        return result
    }

    private func clip(seconds: Double, channels: Int, seed: UInt64) -> AudioBuffer {
        ClipSynthesizer(
            machine: .fan, id: 0, settings: SynthesisSettings(sampleRate: 16_000, seconds: seconds, channels: channels, snrDB: 6)
        ).render(condition: .normal, seed: seed).mixture
    }

    /// Writes a clip and returns it as read back (so comparisons include 16-bit quantization).
    @discardableResult
    private func writeClip(_ path: String, seconds: Double = 0.1, channels: Int = 1, seed: UInt64 = 1) throws -> AudioBuffer {
        try AudioFileWriter.write(clip(seconds: seconds, channels: channels, seed: seed), to: path, container: .wav)
        return try AudioFileReader.read(path: path)
    }

    @Test func fileReadEqualsTheFileSamplesForEachChannelChoice() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("four.wav")
        let expected = try writeClip(path, seconds: 0.25, channels: 4)
        for selection in [ChannelSelection.mean, .channel(0), .channel(3)] {
            let drained = drain(.file(path), channel: selection, chunk: 999)
            #expect(drained.samples == expected.mono(selection))
            #expect(drained.streamStarts == [0])
            #expect(drained.sampleRates == [16_000])
            #expect(drained.problems.isEmpty)
        }
        #expect(expected.mono(.channel(0)) != expected.mono(.mean))
    }

    @Test func aChannelTheFileLacksIsAFormatMismatch() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mono.wav")
        try writeClip(path)
        let drained = drain(.file(path), channel: .channel(2))
        #expect(drained.samples.isEmpty)
        #expect(drained.problems.map(\.kind) == [.formatMismatch])
    }

    @Test func aMissingFileIsReportedAndEnds() {
        let drained = drain(.file("/nonexistent/earshot/clip.wav"))
        #expect(drained.samples.isEmpty)
        #expect(
            drained.problems == [
                InputProblem(path: "/nonexistent/earshot/clip.wav", kind: .openFailed, detail: drained.problems.first?.detail ?? "")
            ])
    }

    @Test func aDirectoryPlaysInSortedOrderOnceOrInALoop() throws {
        let directory = try TemporaryDirectory()
        let b = try writeClip(directory.path("b.wav"), seconds: 0.15, seed: 2).samples
        let a = try writeClip(directory.path("a.wav"), seconds: 0.1, seed: 1).samples
        try "not audio".write(toFile: directory.path(".hidden.wav"), atomically: true, encoding: .utf8)

        let once = drain(.directory(directory.url.path, loop: false))
        #expect(once.samples == a + b)
        #expect(once.streamStarts == [0, a.count])
        #expect(once.problems.isEmpty)

        let looped = drain(.directory(directory.url.path, loop: true), limit: 3 * (a.count + b.count))
        #expect(looped.samples == a + b + a + b + a + b)
        #expect(
            looped.streamStarts == [
                0, a.count, a.count + b.count, 2 * a.count + b.count, 2 * (a.count + b.count), 3 * a.count + 2 * b.count,
            ])
    }

    @Test func badFilesAreSkippedOnceWithTheirKindAndGoodFilesStillPlay() throws {
        let directory = try TemporaryDirectory()
        let good = try writeClip(directory.path("c-good.wav"), seed: 3).samples
        // Empty: zero bytes.
        #expect(FileManager.default.createFile(atPath: directory.path("a-empty.wav"), contents: Data()))
        // Corrupt: a real WAV cut off inside its header.
        let whole = try Data(contentsOf: URL(fileURLWithPath: directory.path("c-good.wav")))
        try whole.prefix(30).write(to: URL(fileURLWithPath: directory.path("b-truncated.wav")))
        // Wrong format: not audio at all.
        try "timestamp,value\n1,2\n".write(toFile: directory.path("d-notes.csv"), atomically: true, encoding: .utf8)
        // A valid header with no frames.
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: []), to: directory.path("e-silent.wav"), container: .wav)

        let drained = drain(.directory(directory.url.path, loop: true), limit: 2 * good.count)
        #expect(drained.samples == good + good)
        let kinds = Dictionary(uniqueKeysWithValues: drained.problems.map { (($0.path as NSString).lastPathComponent, $0.kind) })
        #expect(drained.problems.count == 4, "each bad file is reported once even though the loop passes it twice")
        #expect(kinds["a-empty.wav"] == .corruptAudio)
        #expect(kinds["b-truncated.wav"] == .corruptAudio)
        #expect(kinds["d-notes.csv"] == .formatMismatch)
        #expect(kinds["e-silent.wav"] == .corruptAudio)
    }

    @Test func aDirectoryOfOnlyBadFilesEndsWhenNotLooping() throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.path("empty.wav"), contents: Data()))
        try "x".write(toFile: directory.path("junk.wav"), atomically: true, encoding: .utf8)
        let drained = drain(.directory(directory.url.path, loop: false))
        #expect(drained.samples.isEmpty)
        #expect(drained.problems.count == 2)
        let empty = try TemporaryDirectory()
        #expect(drain(.directory(empty.url.path, loop: false)).problems.map(\.kind) == [.openFailed])
    }

    @Test func aLoopingDirectoryOfOnlyBadFilesBacksOffInsteadOfSpinning() throws {
        let directory = try TemporaryDirectory()
        try "x".write(toFile: directory.path("junk.wav"), atomically: true, encoding: .utf8)
        let log = ProblemLog()
        let input = AudioInput(source: .directory(directory.url.path, loop: true), channel: .mean, pacing: .asFastAsPossible) {
            log.problems.append($0)
        }
        // Once a good file appears the input recovers; until then each pass sleeps, so this read takes a while.
        let writer = Thread {
            // Written hidden, then renamed, so the input never sees a half-written file.
            try? AudioFileWriter.write(
                AudioBuffer(sampleRate: 8_000, mono: [0.5, 0.25]), to: directory.path(".later.wav"), container: .wav)
            try? FileManager.default.moveItem(atPath: directory.path(".later.wav"), toPath: directory.path("later.wav"))
        }
        let start = ContinuousClock.now
        writer.start()
        var buffer = [Float](repeating: 0, count: 16)
        let read = buffer.withUnsafeMutableBufferPointer { input.read(into: $0) }
        #expect(read == .samples(count: 2, sampleRate: 8_000, startsNewStream: true))
        #expect(log.problems.count == 1)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func realTimePacingTakesAsLongAsTheAudioAndFastDoesNot() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("half-second.wav")
        try writeClip(path, seconds: 0.5)
        let clock = ContinuousClock()
        let paced = clock.measure { _ = drain(.file(path), pacing: .realTime, chunk: 1_600) }
        let fast = clock.measure { _ = drain(.file(path), pacing: .asFastAsPossible, chunk: 1_600) }
        #expect(paced >= .milliseconds(400), "paced read of 0.5 s took \(paced)")
        #expect(fast < .milliseconds(400), "fast read of 0.5 s took \(fast)")
    }

    @Test func rawS16LEThroughANamedPipe() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("capture.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let values: [Int16] = (0..<4_000).map { Int16(truncatingIfNeeded: ($0 * 37) % 20_000 - 10_000) }
        let bytes = values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        let writer = Thread {
            // Opening a FIFO for writing blocks until the reader opens it; write in pieces like a live capture.
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            for start in stride(from: 0, to: bytes.count, by: 1_000) {
                handle.write(Data(bytes[start..<min(start + 1_000, bytes.count)]))
            }
            try? handle.close()
        }
        writer.start()
        let format = RawPCMFormat(sampleRate: 16_000, channels: 1, encoding: .pcm16)
        let drained = drain(.pipe(fifo, raw: format), chunk: 512)
        #expect(drained.samples == values.map { Float($0) / 32_768 })
        #expect(drained.streamStarts == [0])
        #expect(drained.sampleRates == [16_000])
        #expect(drained.problems.isEmpty)
    }

    /// With `reopen` (`input.loop: true`), a pipe whose writer closed it is opened again for the next writer: a
    /// capture process that restarts (a re-plugged microphone) goes on feeding the same asset. Without it the
    /// input ends at the first writer's close and the second writer's audio is never read.
    @Test func aLoopingNamedPipeIsOpenedAgainForItsNextWriter() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("capture.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let first: [Int16] = (0..<4_000).map { Int16(truncatingIfNeeded: ($0 * 37) % 20_000 - 10_000) }
        let second: [Int16] = (0..<4_000).map { Int16(truncatingIfNeeded: ($0 * 53) % 16_000 - 8_000) }
        let writers = Thread {
            for (n, values) in [first, second].enumerated() {
                // Gives the reader time to see the first writer's close (were it still open, the second writer
                // would join the same stream, and the read below would pass either way, never fail).
                if n > 0 { Thread.sleep(forTimeInterval: 0.3) }
                guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
                handle.write(Data(values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }))
                try? handle.close()
            }
        }
        writers.start()
        let format = RawPCMFormat(sampleRate: 16_000, channels: 1, encoding: .pcm16)
        let drained = drain(.pipe(fifo, raw: format, reopen: true), chunk: 512, limit: 8_000)
        let bothWriters = drained.samples == (first + second).map { Float($0) / 32_768 }
        #expect(bothWriters, "\(drained.samples.count) samples read of 8,000")
        #expect(drained.streamStarts.first == 0)
    }
}
