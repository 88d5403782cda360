import ArgumentParser
import FeatureExport
import Foundation
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
    var labelEncoding: FeatureExport.LabelEncoding = .onehot

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
        var export = FeatureExport(inputs: inputs, spec: makeSpec(sampleRate: 1), output: out)
        export.sampleRate = Int(sampleRate)
        export.mean = mean
        export.labelsOutput = labelsOut
        export.labelEncoding = labelEncoding
        export.indexOutput = indexOut
        export.jobs = jobs
        export.skipUnreadable = skipUnreadable
        let progress = Mutex<ProgressBar?>(nil)
        let summary: FeatureExport.Summary
        do {
            summary = try export.run(
                onClips: { count in progress.withLock { $0 = ProgressBar(total: count, label: "features") } },
                onClipDone: { progress.withLock { $0?.advance() } },
                onSkipped: { message in FileHandle.standardError.write(Data("\nskipped: \(message)\n".utf8)) })
        } catch {
            progress.withLock { $0?.finish() }
            throw CLIError(error.description)
        }
        progress.withLock { $0?.finish() }
        let skippedNote = summary.skipped > 0 ? ", \(summary.skipped) unreadable skipped" : ""
        FileHandle.standardError.write(
            Data("wrote \(out): (\(summary.rows), \(summary.width)) float32 from \(summary.clips) clips\(skippedNote)\n".utf8))
    }

    private func makeSpec(sampleRate: Int) -> FeatureSpec {
        FeatureSpec(
            kind: kind, sampleRate: sampleRate, nFFT: nFFT, hopLength: hop, winLength: winLength, center: center,
            padMode: padMode, power: power, melBins: nMels, fmin: fmin, fmax: fmax, melScale: htk ? .htk : .slaney,
            melNorm: melNorm, nMFCC: nMFCC, lifter: lifter, reference: ref, topDB: topDB == "none" ? nil : Float(topDB),
            stackedFrames: frames)
    }
}

extension FeatureKind: ExpressibleByArgument {}
extension PadMode: ExpressibleByArgument {}
extension MelNorm: ExpressibleByArgument {}
extension DecibelReference: ExpressibleByArgument {}

extension FeatureExport.LabelEncoding: ExpressibleByArgument {}
