import AudioIO
import Foundation

/// One monitored machine (`assets[i]`): what it is, where its audio comes from, and which model family scores it.
///
/// `Sendable`: a value type.
public struct AssetConfiguration: Sendable, Equatable {
    /// The machine types Earshot models (`assets[i].machine_type`).
    public enum MachineType: String, Sendable, Equatable, CaseIterable {
        case fan, pump, valve, slider
    }

    /// Where the asset's audio comes from (`assets[i].input`).
    public struct Input: Sendable, Equatable {
        /// `path`: an audio file, a directory of audio files, a named pipe, or `-` for standard input.
        public var path: String
        /// `loop`: replay a directory forever; for a named pipe, open it again for the next writer when one closes it
        /// (a capture process that restarts); ignored for files and stdin.
        public var loop = false
        /// `pace`: `realtime` (a 10 s clip takes 10 s) or `fast` (as fast as the pipeline runs).
        public var pacing = InputPacing.realTime
        /// `raw`: the layout of headerless PCM on stdin or a pipe; `nil` for WAV/FLAC and other self-describing input.
        public var raw: RawPCMFormat?

        /// Creates an input reading `path` with real-time pacing and no raw format.
        public init(path: String) { self.path = path }

        /// The input source `path` denotes now: `-` is stdin, a FIFO is a pipe, a directory is a
        /// directory, anything else (including a missing path, reported when opened) a file.
        public func source() -> InputSource {
            if path == "-" { return .standardInput(raw: raw) }
            var status = stat()
            guard stat(path, &status) == 0 else { return .file(path) }
            switch status.st_mode & S_IFMT {
            case S_IFIFO: return .pipe(path, raw: raw, reopen: loop)
            case S_IFDIR: return .directory(path, loop: loop)
            default: return .file(path)
            }
        }
    }

    /// `id`: the asset's name in verdicts, topics and the dashboard; a topic identifier.
    public var id: String
    /// `machine_type`.
    public var machineType: MachineType
    /// `model_family`: the artifact family (e.g. `fan-ae`) whose current version scores this asset.
    public var modelFamily: String
    /// `input`.
    public var input: Input
    /// `channel`: `mean` (default) or a zero-based channel index.
    public var channel = ChannelSelection.mean
    /// `learning`: a learning period, or nil for none.
    public var learning: Learning?

    /// A learning period (`assets[i].learning`): commissioning a machine, or relearning it after a
    /// repair. For `seconds` after the asset's first window, its normal windows are sent as clips with
    /// `normal_sample_probability` instead of the agent's `clips.normal_sample_probability`, still
    /// within `clips.max_per_asset_per_hour`, so the hub gets the healthy sound it learns the asset's
    /// baseline from (a band-baseline family's retraining).
    public struct Learning: Sendable, Equatable {
        /// `seconds`: how long the period lasts, 1…604,800 (a week).
        public var seconds: Double
        /// `normal_sample_probability`: chance that a normal window's clip is sent meanwhile (default 1).
        public var normalSampleProbability: Double

        /// A learning period.
        public init(seconds: Double, normalSampleProbability: Double = 1) {
            self.seconds = seconds
            self.normalSampleProbability = normalSampleProbability
        }
    }

    /// Creates an asset with the mean of all channels.
    public init(id: String, machineType: MachineType, modelFamily: String, input: Input) {
        self.id = id
        self.machineType = machineType
        self.modelFamily = modelFamily
        self.input = input
    }
}
