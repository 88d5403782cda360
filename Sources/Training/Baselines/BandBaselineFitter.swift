import Foundation
import Scoring

/// Learns a machine's `BandBaseline` from its normal clips and chooses its alarm threshold on normal
/// audio the baseline did not learn from. `Sendable`.
///
/// **Threshold.** A threshold set on the windows a baseline learned from sits inside the normal range of
/// the next day's recordings: those windows are, by construction, close to their own mean. So the normal
/// audio is cut into folds — each clip is a fold when there are at least three clips, otherwise the
/// windows in order are cut into three contiguous folds — and every fold is scored by a baseline learned
/// from the other folds. The threshold is `thresholdPercentile` of these out-of-fold window scores:
/// the share of normal windows expected above it is `1 − percentile/100`, measured on audio the baseline
/// never saw. A few dozen windows cannot show a 1 % tail, though: the percentile of ten scores sits just
/// below their maximum. So the threshold is never below the **Gaussian bound**, the score a window would
/// exceed with probability `1 − percentile/100` if every band's level were normally distributed with the
/// learned mean and spread (`gaussianBound`; 3.23 for 8 bands at 99 %). The baseline that ships is
/// learned from all folds. The expected false-alarm rates reported with it are those of the out-of-fold
/// windows, and of the folds an agent's alarm policy would flag.
public struct BandBaselineFitter: Sendable {
    /// Smallest spread of a band or embedding value: dB for band levels (`prediction.spread_floor_db`), embedding
    /// units for an embedding (`prediction.embedding_spread_floor`).
    public var spreadFloor: Float
    /// Percentile of out-of-fold normal window scores that becomes the threshold (`prediction.threshold_percentile`).
    public var thresholdPercentile: Double
    /// Fewest normal windows a machine must have (`prediction.minimum_normal_seconds` ÷ window length).
    public var minimumWindows: Int
    /// The agent's k-of-n alarm policy, to report how often a fold of normal audio would raise a warning.
    public var alarmPolicy: AlarmPolicy

    /// A fitter.
    public init(spreadFloor: Float, thresholdPercentile: Double, minimumWindows: Int, alarmPolicy: AlarmPolicy = AlarmPolicy()) {
        self.spreadFloor = spreadFloor
        self.thresholdPercentile = thresholdPercentile
        self.minimumWindows = max(3, minimumWindows)
        self.alarmPolicy = alarmPolicy
    }

    /// The band levels (or embeddings) of one normal clip, one row per window in time order.
    public struct ClipLevels: Sendable, Equatable {
        /// The clip's path, for error messages.
        public var path: String
        /// Band levels (dB) or embedding values per window.
        public var levels: [[Float]]

        /// Levels of a clip.
        public init(path: String, levels: [[Float]]) {
            self.path = path
            self.levels = levels
        }
    }

    /// A learned baseline with its threshold and the evidence behind it. `Sendable`.
    public struct Fit: Sendable, Equatable {
        /// The baseline learned from all the normal windows.
        public var baseline: BandBaseline
        /// Window scores above it are anomalous.
        public var threshold: Float
        /// Folds the threshold was validated on.
        public var folds: Int
        /// Whether the folds are separate recordings. With fewer than three clips they are pieces of the
        /// same recordings, which say nothing about how another day's recording differs: the threshold
        /// is then likely too tight.
        public var foldsAreRecordings: Bool
        /// Out-of-fold score of every normal window.
        public var validationScores: [Float]
        /// Share of out-of-fold normal windows at or above the threshold (the agent's anomalous rule).
        public var windowFalseAlarmRate: Double
        /// Share of folds whose windows, played through the alarm policy, raise a warning or an alarm.
        public var foldFalseAlarmRate: Double
    }

    /// Learns `machine`'s baseline from its normal clips.
    /// - Throws: `TrainingError.invalidDataset` naming the machine (and the clip) when there is too little
    ///   normal audio, a clip holds non-finite levels, or the clips disagree in band count.
    public func fit(machine: String, clips: [ClipLevels]) throws -> Fit {
        let windows = clips.reduce(0) { $0 + $1.levels.count }
        guard windows >= minimumWindows else {
            throw TrainingError.invalidDataset(
                "\(machine): \(windows) normal window(s) in \(clips.count) clip(s); a baseline needs at least \(minimumWindows) "
                    + "(prediction.minimum_normal_seconds) — record more of the machine's healthy sound")
        }
        let bands = clips.first { !$0.levels.isEmpty }?.levels[0].count ?? 0
        for clip in clips {
            for row in clip.levels {
                guard row.count == bands, bands > 0 else {
                    throw TrainingError.invalidDataset("\(machine): \(clip.path) has \(row.count) bands, expected \(bands)")
                }
                guard row.allSatisfy(\.isFinite) else {
                    throw TrainingError.invalidDataset("\(machine): \(clip.path) gives non-finite band levels")
                }
            }
        }
        let folds = Self.folds(clips)
        var scores: [Float] = []
        var flaggedFolds = 0
        for (index, fold) in folds.enumerated() {
            let others = folds.enumerated().filter { $0.offset != index }.flatMap(\.element)
            let baseline = BandBaseline(levels: others, spreadFloor: spreadFloor)
            scores += fold.map { baseline.score($0) }
        }
        let threshold = max(
            AnomalyScoring.threshold(normalScores: scores, percentile: thresholdPercentile),
            Self.gaussianBound(bands: bands, windowFalseAlarmRate: 1 - thresholdPercentile / 100))
        var offset = 0
        for fold in folds {
            var tracker = AlarmTracker(policy: alarmPolicy)
            if scores[offset..<(offset + fold.count)].contains(where: { tracker.record(anomalous: $0 >= threshold) != .normal }) {
                flaggedFolds += 1
            }
            offset += fold.count
        }
        return Fit(
            baseline: BandBaseline(levels: clips.flatMap(\.levels), spreadFloor: spreadFloor), threshold: threshold,
            folds: folds.count, foldsAreRecordings: clips.filter { !$0.levels.isEmpty }.count >= 3, validationScores: scores,
            windowFalseAlarmRate: Double(scores.filter { $0 >= threshold }.count) / Double(scores.count),
            foldFalseAlarmRate: Double(flaggedFolds) / Double(folds.count))
    }

    /// The score `t` that a window exceeds with probability `windowFalseAlarmRate` when each of `bands`
    /// independent band levels is normal with the baseline's mean and spread:
    /// `P(max_b |z_b| > t) = 1 − (1 − erfc(t/√2))^bands`, solved for `t` by bisection. 0 for a rate ≥ 1.
    public static func gaussianBound(bands: Int, windowFalseAlarmRate: Double) -> Float {
        guard bands > 0, windowFalseAlarmRate > 0, windowFalseAlarmRate < 1 else { return windowFalseAlarmRate <= 0 ? .infinity : 0 }
        let perBand = 1 - pow(1 - windowFalseAlarmRate, 1 / Double(bands))
        var low = 0.0
        var high = 40.0
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if erfc(middle / 2.0.squareRoot()) > perBand { low = middle } else { high = middle }
        }
        return Float((low + high) / 2)
    }

    /// Each clip a fold (three or more clips), else the windows in order in three contiguous folds.
    static func folds(_ clips: [ClipLevels]) -> [[[Float]]] {
        let nonEmpty = clips.map(\.levels).filter { !$0.isEmpty }
        if nonEmpty.count >= 3 { return nonEmpty }
        let all = nonEmpty.flatMap { $0 }
        return (0..<3).map { k in Array(all[(k * all.count / 3)..<((k + 1) * all.count / 3)]) }
    }
}
