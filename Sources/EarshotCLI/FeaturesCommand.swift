import ArgumentParser
import AudioIO
import Dispatch
import Foundation
import MachineDatasets
import NumPy
import Spectral
import Synchronization

/// `earshot features INPUT… --kind … --out X.npy`: librosa-compatible features of clips or a MIMII/DCASE folder to `.npy`.
///
/// Rows: every frame of every clip in input order, or one row per clip with `--mean`; DCASE frames give one row per
/// stacked vector. Labels come from the MIMII/DCASE path layout.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute power, mel, log-mel, MFCC or DCASE stacked-frame features (librosa 0.11 semantics) into a float32 .npy.",
        discussion: """
            Defaults are librosa's (n_fft 2048, hop 512, 128 Slaney mels with Slaney norm, power 2, centred with zero \
            padding, top_db 80, n_mfcc 20). Audio is mixed to mono by averaging channels, as librosa.load does.

            Directories are scanned for .wav files (sorted). Labels follow the path:
              MIMII  <snr>_dB_<type>/<type>/id_<NN>/<normal|abnormal>/*.wav
              DCASE  <type>/<train|test>/<normal|anomaly>_id_<NN>_<n>.wav
            --labels-out writes one-hot float32 (N, 2) in the order [abnormal, normal] (seed 000's encoding), or with \
            --label-encoding index int64 (N,) with abnormal = 0, normal = 1. --index-out writes a CSV with one line per \
            clip: path,label,machine_type,machine_id,snr_db,split,first_row,rows.

            Seed 000's X_variable.npy from a MIMII fan folder:
              earshot features MIMII/0_dB_fan --kind mfcc --n-mfcc 40 --mean --out X.npy --labels-out y.npy
            """)

    @Argument(help: "Audio files and/or MIMII or DCASE directories.")
    var inputs: [String]

    @Option(help: "Feature kind: power, mel, logmel, mfcc or dcase-frames.")
    var kind: FeatureKind = .mfcc

    @Option(name: .customLong("n-mfcc"), help: "MFCC coefficients (librosa default 20; seed 000 uses 40).")
    var nMFCC = 20

    @Option(name: .customLong("n-mels"), help: "Mel filters.")
    var nMels = 128

    @Option(name: .customLong("n-fft"), help: "FFT length in samples.")
    var nFFT = 2048

    @Option(help: "Hop length in samples.")
    var hop = 512

    @Option(name: .customLong("win-length"), help: "Hann window length in samples (default n_fft).")
    var winLength: Int?

    @Option(help: "Lowest mel filter edge, Hz.")
    var fmin: Double = 0

    @Option(help: "Highest mel filter edge, Hz (default sample rate / 2).")
    var fmax: Double?

    @Option(name: .customLong("sample-rate"), help: "native, or a rate in Hz to resample to (polyphase, not librosa's soxr).")
    var sampleRate = "native"

    @Option(help: "Centre frames by padding n_fft/2 at both ends: true or false.")
    var center = true

    @Option(name: .customLong("pad-mode"), help: "Padding when centred: constant or reflect.")
    var padMode: PadMode = .constant

    @Option(help: "Exponent of |STFT|: 2 for power, 1 for magnitude.")
    var power: Float = 2

    @Flag(help: "Use the HTK mel formula instead of Slaney's.")
    var htk = false

    @Option(name: .customLong("mel-norm"), help: "Mel filter normalisation: slaney or none.")
    var melNorm: MelNorm = .slaney

    @Option(name: .customLong("top-db"), help: "Clip log-mel more than this many dB below the clip's maximum, or none.")
    var topDB = "80"

    @Option(help: "0 dB reference for log-mel and MFCC: one (ref=1.0) or max (ref=np.max).")
    var ref: DecibelReference = .one

    @Option(help: "MFCC liftering coefficient (0: none).")
    var lifter: Double = 0

    @Option(help: "Consecutive log-mel frames per DCASE vector.")
    var frames = 5

    @Flag(help: "One row per clip: the mean over time (seed 000's clip vector).")
    var mean = false

    @Option(help: "Output .npy: float32 (rows, width), C order.")
    var out: String

    @Option(name: .customLong("labels-out"), help: "Write labels .npy (see --label-encoding).")
    var labelsOut: String?

    @Option(
        name: .customLong("label-encoding"), help: "onehot: float32 (N, 2) [abnormal, normal]; index: int64 (N,), abnormal 0, normal 1.")
    var labelEncoding: LabelEncoding = .onehot

    @Option(name: .customLong("index-out"), help: "Write a CSV describing each clip and its rows.")
    var indexOut: String?

    @Option(help: "Clips processed in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("skip-unreadable"), help: "Report and skip audio files that cannot be read instead of stopping.")
    var skipUnreadable = false

    mutating func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one audio file or directory") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard sampleRate == "native" || (Int(sampleRate) ?? 0) > 0 else {
            throw ValidationError("--sample-rate must be 'native' or a positive rate in Hz, got '\(sampleRate)'")
        }
        guard topDB == "none" || (Float(topDB).map { $0 >= 0 } ?? false) else {
            throw ValidationError("--top-db must be a non-negative number of dB or 'none', got '\(topDB)'")
        }
    }

    mutating func run() throws {
        let clips = try ClipLocator.clips(in: inputs)
        guard !clips.isEmpty else { throw CLIError("no .wav files found in \(inputs.joined(separator: ", "))") }
        if labelsOut != nil, let unlabelled = clips.first(where: { $0.label == nil }) {
            throw CLIError("\(unlabelled.path): no normal/abnormal label in the path (expected a MIMII or DCASE layout); drop --labels-out")
        }
        let targetRate = Int(sampleRate)
        let template = makeSpec(sampleRate: 1)
        // Fail fast on a bad configuration, before scanning thousands of clips.
        if let rate = targetRate ?? (try? AudioFileReader(path: clips[0].path).info.sampleRate) {
            var spec = template
            spec.sampleRate = rate
            do {
                _ = try FeatureExtractor(spec: spec)
            } catch {
                throw CLIError("\(error)")
            }
        }
        let writer: NumPyMatrixWriter
        do {
            writer = try NumPyMatrixWriter(path: out, width: template.outputWidth)
        } catch {
            throw CLIError(error.description)
        }
        let progress = ProgressBar(total: clips.count, label: "features")
        let sink = Mutex(
            OrderedSink(clips: clips, writer: writer, skipUnreadable: skipUnreadable, requireOneRate: targetRate == nil))
        let workers = min(jobs, clips.count)
        let takeMean = mean
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var extractor: FeatureExtractor?
            for index in stride(from: worker, to: clips.count, by: workers) {
                if sink.withLock({ $0.failure != nil }) { return }  // stop taking clips after the first fatal error
                let outcome = Self.process(
                    clips[index].path, template: template, targetRate: targetRate, mean: takeMean, extractor: &extractor)
                sink.withLock { $0.deposit(outcome, at: index) }
                progress.advance()
            }
        }
        progress.finish()
        try sink.withLock { sink throws in try finish(sink) }
    }

    /// Checks the run, finalises the features file and writes labels and index.
    private func finish(_ sink: OrderedSink) throws {
        if let failure = sink.failure { throw CLIError(failure) }
        guard sink.writer.rows > 0 else { throw CLIError("no features computed (every clip was skipped)") }
        do {
            try sink.writer.finish()
            if let labelsOut {
                let labels = sink.labels
                let array: NumPyArray
                switch labelEncoding {
                case .onehot: array = try NumPyArray(shape: [labels.count, 2], float32: labels.flatMap { $0 ? [0, 1] : [1, 0] })
                case .index: array = try NumPyArray(shape: [labels.count], elements: .int64(labels.map { $0 ? 1 : 0 }))
                }
                try array.write(to: labelsOut)
            }
        } catch {
            throw CLIError(error.description)
        }
        if let indexOut {
            do {
                try sink.index.write(toFile: indexOut, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("\(indexOut): cannot write index (\(error.localizedDescription))")
            }
        }
        let skippedNote = sink.skipped > 0 ? ", \(sink.skipped) unreadable skipped" : ""
        let clipCount = sink.clips.count - sink.skipped
        FileHandle.standardError.write(
            Data("wrote \(out): (\(sink.writer.rows), \(sink.writer.width)) float32 from \(clipCount) clips\(skippedNote)\n".utf8))
    }

    private func makeSpec(sampleRate: Int) -> FeatureSpec {
        FeatureSpec(
            kind: kind, sampleRate: sampleRate, nFFT: nFFT, hopLength: hop, winLength: winLength, center: center,
            padMode: padMode, power: power, melBins: nMels, fmin: fmin, fmax: fmax, melScale: htk ? .htk : .slaney,
            melNorm: melNorm, nMFCC: nMFCC, lifter: lifter, reference: ref, topDB: topDB == "none" ? nil : Float(topDB),
            stackedFrames: frames)
    }

    private static func process(
        _ path: String, template: FeatureSpec, targetRate: Int?, mean: Bool,
        extractor: inout FeatureExtractor?
    ) -> Outcome {
        let mono: AudioBuffer
        do {
            mono = try AudioFileReader.readMono(path: path, sampleRate: targetRate)
        } catch {
            return .unreadable("\(error)")
        }
        do {
            let rate = mono.sampleRate
            if extractor?.spec.sampleRate != rate {
                var spec = template
                spec.sampleRate = rate
                extractor = try FeatureExtractor(spec: spec)
            }
            let matrix = try extractor!.extract(mono.samples)
            if mean {
                let row = matrix.meanOverTime()
                return .features(FeatureMatrix(frames: 1, width: row.count, values: row), sampleRate: rate)
            }
            return .features(matrix, sampleRate: rate)
        } catch {
            return .failed("\(path): \(error)")
        }
    }

}

extension FeatureKind: ExpressibleByArgument {}
extension PadMode: ExpressibleByArgument {}
extension MelNorm: ExpressibleByArgument {}
extension DecibelReference: ExpressibleByArgument {}

/// What happened to one clip.
private enum Outcome {
    case features(FeatureMatrix, sampleRate: Int)
    case unreadable(String)
    case failed(String)
}

/// Takes clip outcomes in any order and writes them to the features file in input order, keeping only the
/// clips not yet written in memory; collects labels and index lines on the way.
///
/// Not `Sendable`: it lives inside a `Mutex` and is only touched under it.
private final class OrderedSink {
    let clips: [LocatedClip]
    let writer: NumPyMatrixWriter
    let skipUnreadable: Bool
    let requireOneRate: Bool
    private var pending: [Int: Outcome] = [:]
    private var next = 0
    private var rate: Int?
    /// One per row, true for normal.
    private(set) var labels: [Bool] = []
    private(set) var index = "path,label,machine_type,machine_id,snr_db,split,first_row,rows\n"
    private(set) var skipped = 0
    /// The error that ends the run, if any.
    private(set) var failure: String?

    init(clips: [LocatedClip], writer: NumPyMatrixWriter, skipUnreadable: Bool, requireOneRate: Bool) {
        self.clips = clips
        self.writer = writer
        self.skipUnreadable = skipUnreadable
        self.requireOneRate = requireOneRate
    }

    func deposit(_ outcome: Outcome, at position: Int) {
        pending[position] = outcome
        while failure == nil, let ready = pending.removeValue(forKey: next) {
            take(ready, clip: clips[next])
            next += 1
        }
    }

    private func take(_ outcome: Outcome, clip: LocatedClip) {
        switch outcome {
        case .failed(let message):
            failure = message
        case .unreadable(let message):
            guard skipUnreadable else {
                failure = "\(message) (use --skip-unreadable to leave such files out)"
                return
            }
            FileHandle.standardError.write(Data("\nskipped: \(message)\n".utf8))
            skipped += 1
        case .features(let matrix, let sampleRate):
            if requireOneRate, let rate, rate != sampleRate {
                failure =
                    "\(clip.path): \(sampleRate) Hz differs from the earlier clips' \(rate) Hz; pass --sample-rate HZ to resample all to one rate"
                return
            }
            rate = sampleRate
            index += clip.csvLine(firstRow: writer.rows, rows: matrix.frames)
            do {
                try writer.append(matrix.values)
            } catch {
                failure = error.description
                return
            }
            if let label = clip.label { labels += repeatElement(label == .normal, count: matrix.frames) }
        }
    }
}

/// How `--labels-out` encodes normal/abnormal.
enum LabelEncoding: String, ExpressibleByArgument, CaseIterable {
    /// float32 (N, 2), [abnormal, normal], as seed 000's `pd.get_dummies` → `to_categorical` produced.
    case onehot
    /// int64 (N,), abnormal 0, normal 1.
    case index
}

/// One clip found on the command line, with what its MIMII or DCASE path says about it.
private struct LocatedClip {
    let path: String
    var label: ClipCondition?
    var machineType = ""
    var machineID = ""
    var snrDB = ""
    var split = ""

    func csvLine(firstRow: Int, rows: Int) -> String {
        let quotedPath =
            path.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + path.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : path
        return [quotedPath, label?.rawValue ?? "", machineType, machineID, snrDB, split, "\(firstRow)", "\(rows)"]
            .joined(separator: ",") + "\n"
    }
}

/// Expands inputs to `.wav` files and reads labels from MIMII/DCASE paths.
private enum ClipLocator {
    static func clips(in inputs: [String]) throws -> [LocatedClip] {
        var paths: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw CLIError("\(input): no such file or directory")
            }
            if isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: input)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.lowercased().hasSuffix(".wav") }.sorted()
                paths += found.map { input.hasSuffix("/") ? input + $0 : input + "/" + $0 }
            } else {
                paths.append(input)
            }
        }
        return paths.map(locate)
    }

    static func locate(_ path: String) -> LocatedClip {
        var clip = LocatedClip(path: path)
        guard let parsed = DatasetClipPath.parse(path) else { return clip }
        clip.machineType = parsed.machineType
        clip.machineID = parsed.machineName
        clip.label = parsed.condition
        clip.snrDB = parsed.snrDB ?? ""
        clip.split = parsed.split?.rawValue ?? ""
        return clip
    }
}
