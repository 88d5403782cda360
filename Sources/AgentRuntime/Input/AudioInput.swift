import AudioIO
import Foundation

/// Reads one asset's audio as mono float samples from a file, a directory (optionally looped),
/// standard input or a named pipe, optionally paced to real time.
///
/// Bad inputs never stop the agent: a file that cannot be opened, is empty, corrupt, of an
/// unsupported format or lacks the selected channel is reported once through `onProblem` and
/// skipped. A looping directory in which no file yields audio backs off (0.5 s doubling to 30 s)
/// instead of spinning.
///
/// Steady state does not allocate: multichannel audio is read into one interleaved scratch
/// buffer that only grows when a caller passes a larger buffer than before.
///
/// Not `Sendable`: it owns a libsndfile reader; one input belongs to one task (or thread), and
/// `read(into:)` blocks.
public final class AudioInput {
    private let source: InputSource
    private let channel: ChannelSelection
    private let pacing: InputPacing
    private let onProblem: (InputProblem) -> Void

    private var reader: AudioFileReader?
    /// The descriptor of an opened named pipe; closed when its reader is done.
    private var pipeDescriptor: Int32 = -1
    private var readerPath = ""
    private var readerFrames = 0
    private var scratch: [Float] = []
    private var finished = false

    /// Directory state: the current pass's files, the next index, problems already reported.
    private var files: [String] = []
    private var nextFile = 0
    private var passDeliveredAudio = false
    private var reported: Set<String> = []
    private var backoffSeconds = 0.0
    private var singleSourceOpened = false

    /// Real-time pacing: when the first sample was handed out, and how much audio since, in seconds.
    private var pacingStart: ContinuousClock.Instant?
    private var pacedSeconds = 0.0

    /// Creates an input; nothing is opened until the first ``read(into:)``.
    ///
    /// - Parameters:
    ///   - source: where the audio comes from.
    ///   - channel: which channel of multichannel audio to use, or the mean of all.
    ///   - pacing: real time or as fast as possible.
    ///   - onProblem: called (on the reading thread) once per unusable file or stream.
    public init(source: InputSource, channel: ChannelSelection, pacing: InputPacing, onProblem: @escaping (InputProblem) -> Void) {
        self.source = source
        self.channel = channel
        self.pacing = pacing
        self.onProblem = onProblem
    }

    deinit {
        closeReader()
    }

    /// Fills the front of `buffer` (which must not be empty) with up to `buffer.count` mono samples
    /// (the selected channel or the mean of all channels).
    ///
    /// Blocks when paced to real time, and while a pipe or stdin has no data. Never throws: bad
    /// files are reported and skipped. Returns ``AudioRead/end`` at the end of a file, stdin, pipe
    /// or non-looping directory, and from then on.
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) -> AudioRead {
        precondition(buffer.count > 0, "AudioInput.read needs a non-empty buffer")
        while !finished {
            guard let reader = reader ?? openNext() else { continue }
            let isNewStream = readerFrames == 0
            let frames: Int
            do {
                frames = try readMono(from: reader, into: buffer)
            } catch {
                report(readerPath, .readFailed, String(describing: error))
                closeReader()
                continue
            }
            guard frames > 0 else {
                if isNewStream { report(readerPath, .corruptAudio, "the file holds no audio frames") }
                closeReader()
                continue
            }
            readerFrames += frames
            passDeliveredAudio = true
            let rate = reader.info.sampleRate
            pace(seconds: Double(frames) / Double(rate))
            return .samples(count: frames, sampleRate: rate, startsNewStream: isNewStream)
        }
        return .end
    }

    // MARK: - Reading

    /// Reads up to `buffer.count` frames and reduces them to mono in `buffer`; 0 at end of stream.
    private func readMono(from reader: AudioFileReader, into buffer: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let channels = reader.info.channels
        if channels == 1 { return try reader.read(into: buffer) }
        let needed = buffer.count * channels
        if scratch.count < needed { scratch = [Float](repeating: 0, count: needed) }
        return try scratch.withUnsafeMutableBufferPointer { interleaved in
            let frames = try reader.read(into: UnsafeMutableBufferPointer(rebasing: interleaved[0..<needed]))
            switch channel {
            case .channel(let index):
                for frame in 0..<frames { buffer[frame] = interleaved[frame * channels + index] }
            case .mean:
                // Summed in channel order then divided, exactly as AudioBuffer.mixedDown (librosa's to_mono).
                let scale = Float(channels)
                for frame in 0..<frames {
                    var sum: Float = 0
                    let base = frame * channels
                    for c in 0..<channels { sum += interleaved[base + c] }
                    buffer[frame] = sum / scale
                }
            }
            return frames
        }
    }

    /// Sleeps until `seconds` more of audio would have been captured in real time.
    private func pace(seconds: Double) {
        guard pacing == .realTime else { return }
        let clock = ContinuousClock()
        let start = pacingStart ?? clock.now
        pacingStart = start
        pacedSeconds += seconds
        let due = start.advanced(by: .nanoseconds(Int64(pacedSeconds * 1e9)))
        let wait = clock.now.duration(to: due)
        if wait > .zero {
            let (whole, attoseconds) = wait.components
            Thread.sleep(forTimeInterval: Double(whole) + Double(attoseconds) * 1e-18)
        }
    }

    // MARK: - Opening

    /// Opens the next file or stream; `nil` when it could not be opened (or the input just ended).
    private func openNext() -> AudioFileReader? {
        switch source {
        case .file(let path):
            return openOnce { try self.openFile(path: path, raw: nil) }
        case .standardInput(let raw):
            return openOnce { try self.openFile(path: "-", raw: raw) }
        case .pipe(let path, let raw, reopen: false):
            return openOnce { try self.openPipe(path: path, raw: raw) }
        case .pipe(let path, let raw, reopen: true):
            return reopenPipe(path: path, raw: raw)
        case .directory(let path, let loop):
            return openNextInDirectory(path, loop: loop)
        }
    }

    /// A file, stdin or pipe is opened once; after it (or its failure) the input ends.
    private func openOnce(_ opener: () throws -> AudioFileReader?) -> AudioFileReader? {
        guard !singleSourceOpened else {
            finished = true
            return nil
        }
        singleSourceOpened = true
        do {
            return try opener()
        } catch {
            finished = true
            return nil
        }
    }

    /// Opens the pipe again after its writer closed it (blocking until the next one connects); a writer that
    /// delivered nothing, or a pipe that cannot be opened, backs off first so neither spins.
    private func reopenPipe(path: String, raw: RawPCMFormat?) -> AudioFileReader? {
        if singleSourceOpened { backOffIfNothingPlayed() }
        singleSourceOpened = true
        passDeliveredAudio = false
        return try? openPipe(path: path, raw: raw)
    }

    private func openNextInDirectory(_ directory: String, loop: Bool) -> AudioFileReader? {
        if nextFile >= files.count {
            if !files.isEmpty || reported.contains(directory) {
                // A pass just ended (or the directory was empty or unlistable).
                guard loop else {
                    finished = true
                    return nil
                }
                backOffIfNothingPlayed()
            }
            files = listAudioFiles(directory)
            nextFile = 0
            passDeliveredAudio = false
            if files.isEmpty {
                if !loop { finished = true }
                return nil
            }
        }
        let path = files[nextFile]
        nextFile += 1
        return try? openFile(path: path, raw: nil)
    }

    /// Sleeps after a whole pass that produced no audio, so a directory of bad files does not spin.
    private func backOffIfNothingPlayed() {
        guard !passDeliveredAudio else {
            backoffSeconds = 0
            return
        }
        backoffSeconds = min(max(backoffSeconds * 2, 0.5), 30)
        Thread.sleep(forTimeInterval: backoffSeconds)
    }

    /// Regular, non-hidden files of `directory` in sorted order; reports an unlistable or empty directory once.
    private func listAudioFiles(_ directory: String) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            report(directory, .openFailed, "cannot list the directory: \(error.localizedDescription)")
            return []
        }
        let paths = names.filter { !$0.hasPrefix(".") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        let regular = paths.filter { path in
            var status = stat()
            return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        }
        if regular.isEmpty { report(directory, .openFailed, "the directory holds no files") }
        return regular
    }

    /// Opens a file (or `-`), checking the selected channel exists; reports and rethrows failures.
    private func openFile(path: String, raw: RawPCMFormat?) throws -> AudioFileReader {
        let reader: AudioFileReader
        do {
            reader = try AudioFileReader(path: path, raw: raw)
        } catch let error as AudioError {
            report(path, Self.kind(of: error), error.description)
            throw error
        }
        try adopt(reader, path: path)
        return reader
    }

    /// Opens a named pipe (blocking until a writer connects) and reads it through its descriptor.
    private func openPipe(path: String, raw: RawPCMFormat?) throws -> AudioFileReader {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let error = AudioError(kind: .system, path: path, call: "open", code: errno, detail: String(cString: strerror(errno)))
            report(path, .openFailed, error.description)
            throw error
        }
        let reader: AudioFileReader
        do {
            reader = try AudioFileReader(fileDescriptor: descriptor, name: path, raw: raw)
        } catch let error as AudioError {
            close(descriptor)
            report(path, Self.kind(of: error), error.description)
            throw error
        }
        pipeDescriptor = descriptor
        try adopt(reader, path: path)
        return reader
    }

    private func adopt(_ reader: AudioFileReader, path: String) throws {
        if case .channel(let index) = channel, index >= reader.info.channels {
            let detail = "channel \(index) selected but the audio has \(reader.info.channels) channel(s)"
            report(path, .formatMismatch, detail)
            if pipeDescriptor >= 0 {
                close(pipeDescriptor)
                pipeDescriptor = -1
            }
            throw AudioError.invalidArgument(detail, path: path)
        }
        self.reader = reader
        readerPath = path
        readerFrames = 0
    }

    private func closeReader() {
        reader = nil
        if pipeDescriptor >= 0 {
            close(pipeDescriptor)
            pipeDescriptor = -1
        }
    }

    /// Reports a problem once per path for the lifetime of this input.
    private func report(_ path: String, _ kind: InputProblem.Kind, _ detail: String) {
        guard reported.insert(path).inserted else { return }
        onProblem(InputProblem(path: path, kind: kind, detail: detail))
    }

    private static func kind(of error: AudioError) -> InputProblem.Kind {
        switch error.kind {
        case .fileNotFound, .system, .invalidArgument: return .openFailed
        case .emptyFile, .malformed, .exceedsLimits: return .corruptAudio
        case .unrecognisedFormat, .unsupportedEncoding: return .formatMismatch
        case .readFailed, .writeFailed: return .readFailed
        }
    }
}
