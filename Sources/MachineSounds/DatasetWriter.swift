import AudioIO
import Dispatch
import Foundation
import MachineDatasets
import SeededRandom
import Synchronization

/// Synthesises a whole dataset for one machine type and writes it as 16-bit PCM WAV files in
/// the MIMII or DCASE layout, rendering clips in parallel on all cores.
///
/// Each clip's content depends only on (seed, machine, id, normal/anomalous, index) and the
/// settings, never on the layout, the thread count or the order of work. Anomalous clips get
/// a random fault and severity (`MachineCondition.random`). Value type; `Sendable`.
public struct DatasetWriter: Sendable {
    /// The machine type.
    public var machine: MachineType
    /// Machine ids to synthesise (`[0, 2, 4, 6]` is MIMII's set).
    public var ids: [Int]
    /// Normal clips per id (≥ 0).
    public var normalPerID: Int
    /// Anomalous clips per id (≥ 0).
    public var abnormalPerID: Int
    /// The directory scheme.
    public var layout: DatasetLayout
    /// Rate, length, channels and SNR of every clip.
    public var settings: SynthesisSettings
    /// The dataset seed.
    public var seed: UInt64

    /// Describes a dataset; nothing is rendered until `write(to:progress:)`.
    ///
    /// `ids` must be distinct and non-negative and the counts non-negative (the CLI validates them).
    public init(
        machine: MachineType, ids: [Int], normalPerID: Int, abnormalPerID: Int, layout: DatasetLayout,
        settings: SynthesisSettings, seed: UInt64
    ) {
        precondition(Set(ids).count == ids.count && ids.allSatisfy { $0 >= 0 }, "ids must be distinct and non-negative")
        precondition(normalPerID >= 0 && abnormalPerID >= 0, "clip counts must be non-negative")
        self.machine = machine
        self.ids = ids
        self.normalPerID = normalPerID
        self.abnormalPerID = abnormalPerID
        self.layout = layout
        self.settings = settings
        self.seed = seed
    }

    /// Every file the dataset will hold, in a stable order.
    public var clips: [DatasetClip] {
        layout.clips(machine: machine, ids: ids, normalPerID: normalPerID, abnormalPerID: abnormalPerID, snrDB: settings.snrDB)
    }

    /// The seed that fixes one clip's content.
    public func seed(for clip: DatasetClip) -> UInt64 {
        SeededGenerator.combine(
            seed, machine.seedTag, UInt64(bitPattern: Int64(clip.machineID)),
            clip.anomalous ? 1 : 0, UInt64(clip.index))
    }

    /// The condition a clip is rendered in: normal, or a random fault and severity for an anomaly.
    public func condition(for clip: DatasetClip) -> MachineCondition {
        var g = SeededGenerator(seed: SeededGenerator.combine(seed(for: clip), 0xFA_0175))
        return .random(anomalous: clip.anomalous, machine: machine, using: &g)
    }

    /// Renders one clip of the dataset.
    public func render(_ clip: DatasetClip) -> SynthesizedClip {
        ClipSynthesizer(machine: machine, id: clip.machineID, settings: settings)
            .render(condition: condition(for: clip), seed: seed(for: clip))
    }

    /// Writes every clip under `directory` (created as needed), overwriting existing files.
    ///
    /// - Parameter progress: called after each file with the number written so far (1…count),
    ///   in increasing order, from worker threads.
    /// - Returns: the clips written, as `clips`.
    /// - Throws: the first `AudioError` from writing a file, or a Foundation error from creating
    ///   a directory; clips not yet started are then skipped.
    @discardableResult
    public func write(to directory: String, progress: @Sendable (Int) -> Void = { _ in }) throws -> [DatasetClip] {
        let clips = self.clips
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let folders = Set(clips.map { root.appendingPathComponent($0.relativePath).deletingLastPathComponent().path })
        for folder in folders.sorted() {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }

        let state = Mutex<(done: Int, error: (any Error)?)>((0, nil))
        DispatchQueue.concurrentPerform(iterations: clips.count) { i in
            guard state.withLock({ $0.error == nil }) else { return }
            let clip = clips[i]
            do {
                let rendered = render(clip)
                try AudioFileWriter.write(
                    rendered.mixture, to: root.appendingPathComponent(clip.relativePath).path,
                    container: .wavExtensible, encoding: .pcm16)  // MIMII's own header: WAVE_FORMAT_EXTENSIBLE
                state.withLock {
                    $0.done += 1
                    progress($0.done)
                }
            } catch {
                state.withLock { if $0.error == nil { $0.error = error } }
            }
        }
        if let error = state.withLock({ $0.error }) { throw error }
        return clips
    }
}
