import AudioIO
import Dispatch
import Foundation
import NumPy
import Spectral
import Synchronization

/// Features of many clips into one float32 `.npy` (`earshot features`): every frame of every clip in input
/// order, or one row per clip (`mean`), with optional labels read from the MIMII/DCASE path layout
/// and an index of which rows came from which clip.
///
/// Clips are decoded and featurised on `jobs` threads and written in input order as they complete,
/// keeping only the clips not yet written in memory. The first clip's configuration is checked before
/// the scan starts, so a bad spec fails before thousands of clips are read.
public struct FeatureExport: Sendable {
    /// How labels are written.
    public enum LabelEncoding: String, CaseIterable, Sendable {
        /// float32 (N, 2), [abnormal, normal], as seed 000's `pd.get_dummies` → `to_categorical` produced.
        case onehot
        /// int64 (N,), abnormal 0, normal 1.
        case index
    }

    /// What was written.
    public struct Summary: Sendable, Equatable {
        /// Rows of the features file.
        public var rows: Int
        /// Its width.
        public var width: Int
        /// Clips written.
        public var clips: Int
        /// Unreadable clips skipped.
        public var skipped: Int
    }

    /// The clips: audio files, and directories scanned for `.wav` files (sorted).
    public var inputs: [String]
    /// The features; its sample rate is replaced by each clip's (or `sampleRate`'s).
    public var spec: FeatureSpec
    /// Resample every clip to this rate; nil keeps the native rate, which must then be the same for all.
    public var sampleRate: Int?
    /// One row per clip: the mean over time.
    public var mean = false
    /// The features file.
    public var output: String
    /// The labels file, if wanted (every clip must then have a label in its path).
    public var labelsOutput: String?
    /// How labels are written.
    public var labelEncoding = LabelEncoding.onehot
    /// The CSV index (`path,label,machine_type,machine_id,snr_db,split,first_row,rows`), if wanted.
    public var indexOutput: String?
    /// Clips processed in parallel.
    public var jobs = 1
    /// Leave unreadable audio files out (reported through `onSkipped`) instead of stopping.
    public var skipUnreadable = false

    /// An export of `inputs` with `spec` to `output`.
    public init(inputs: [String], spec: FeatureSpec, output: String) {
        self.inputs = inputs
        self.spec = spec
        self.output = output
    }

    /// Runs the export.
    /// - Parameters:
    ///   - onClips: told how many clips were found, before any is read.
    ///   - onClipDone: called once per clip, from the worker threads.
    ///   - onSkipped: the reason an unreadable clip was left out.
    /// - Throws: ``FeatureExportError`` naming the input, clip or file.
    public func run(
        onClips: (Int) -> Void = { _ in }, onClipDone: @Sendable () -> Void = {}, onSkipped: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(FeatureExportError) -> Summary {
        let clips = try LocatedClip.clips(in: inputs)
        guard !clips.isEmpty else { throw FeatureExportError("no .wav files found in \(inputs.joined(separator: ", "))") }
        if labelsOutput != nil, let unlabelled = clips.first(where: { $0.label == nil }) {
            throw FeatureExportError(
                "\(unlabelled.path): no normal/abnormal label in the path (expected a MIMII or DCASE layout); drop --labels-out")
        }
        // Fail fast on a bad configuration, before scanning thousands of clips.
        if let rate = sampleRate ?? (try? AudioFileReader(path: clips[0].path).info.sampleRate) {
            var first = spec
            first.sampleRate = rate
            do {
                _ = try FeatureExtractor(spec: first)
            } catch {
                throw FeatureExportError("\(error)")
            }
        }
        let writer: NumPyMatrixWriter
        do {
            writer = try NumPyMatrixWriter(path: output, width: spec.outputWidth)
        } catch {
            throw FeatureExportError(error.description)
        }
        onClips(clips.count)
        let sink = Mutex(
            OrderedClipSink(
                clips: clips, writer: writer, skipUnreadable: skipUnreadable, requireOneRate: sampleRate == nil, onSkipped: onSkipped))
        let workers = min(jobs, clips.count)
        let (template, targetRate, mean) = (spec, sampleRate, mean)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var extractor: FeatureExtractor?
            for index in stride(from: worker, to: clips.count, by: workers) {
                if sink.withLock({ $0.failure != nil }) { return }  // stop taking clips after the first fatal error
                let outcome = ClipOutcome.of(
                    clips[index].path, template: template, targetRate: targetRate, mean: mean, extractor: &extractor)
                sink.withLock { $0.deposit(outcome, at: index) }
                onClipDone()
            }
        }
        return try sink.withLock { sink throws(FeatureExportError) in try finish(sink) }
    }

    /// Checks the run, finalises the features file and writes labels and index.
    private func finish(_ sink: OrderedClipSink) throws(FeatureExportError) -> Summary {
        if let failure = sink.failure { throw FeatureExportError(failure) }
        guard sink.writer.rows > 0 else { throw FeatureExportError("no features computed (every clip was skipped)") }
        do {
            try sink.writer.finish()
            if let labelsOutput {
                let labels = sink.labels
                let array: NumPyArray
                switch labelEncoding {
                case .onehot: array = try NumPyArray(shape: [labels.count, 2], float32: labels.flatMap { $0 ? [0, 1] : [1, 0] })
                case .index: array = try NumPyArray(shape: [labels.count], elements: .int64(labels.map { $0 ? 1 : 0 }))
                }
                try array.write(to: labelsOutput)
            }
        } catch {
            throw FeatureExportError(error.description)
        }
        if let indexOutput {
            do {
                try sink.index.write(toFile: indexOutput, atomically: true, encoding: .utf8)
            } catch {
                throw FeatureExportError("\(indexOutput): cannot write index (\(error.localizedDescription))")
            }
        }
        return Summary(rows: sink.writer.rows, width: sink.writer.width, clips: sink.clips.count - sink.skipped, skipped: sink.skipped)
    }
}
