import HubCore
import Inference
import Scoring

/// The promotion gates on what operators said: the labelled clips are a regression suite, and each
/// asset's clean normal audio bounds its false-alarm rate.
///
/// Every clip is scored by `Scoring.ClipScorer` (as an agent scores audio, at the model's own
/// threshold) and judged through the agents' alarm policy (`ClipScore.flagged(by:)`), for the
/// candidate and for production alike. Not `Sendable`: run on the retraining worker.
struct LabelGates {
    /// The family's gate settings.
    let gates: RetrainingConfiguration.Gates

    /// What the gates found.
    struct Outcome {
        var assets: [RetrainingReport.AssetCheck] = []
        var failingClips: [String] = []
        var gates: [RetrainingReport.Gate] = []
    }

    private struct Judgement {
        var flagged: Bool
        var score: Float
        var threshold: Float
        var anomalousWindows: Int
        var windows: Int
    }

    /// Judges `candidate` (and `production`, when there is one) on `data`'s labelled clips and clean normal audio.
    func evaluate(candidate: Model, production: Model?, data: RetrainingDataset) throws -> Outcome {
        var outcome = Outcome()
        var candidateScorers: [String: ClipScorer] = [:]
        var productionScorers: [String: ClipScorer] = [:]
        // Each asset is judged at its own threshold (`thresholds.per_asset`) when the model has one.
        func scorer(_ model: Model, _ asset: String, _ cache: inout [String: ClipScorer]) throws -> ClipScorer {
            if let existing = cache[asset] { return existing }
            let made = try ClipScorer(model: model, asset: asset)
            cache[asset] = made
            return made
        }
        var checks: [String: RetrainingReport.AssetCheck] = [:]
        func check(_ clip: RetrainingClip) -> String { "\(clip.site)/\(clip.assetID)" }

        var lost = 0
        var newFalseAlarms = 0
        for clip in data.labelledClips {
            let asset = check(clip)
            var entry = checks[asset] ?? .init(asset: asset)
            let candidateScorer = try scorer(candidate, asset, &candidateScorers)
            let productionScorer = try production.map { try scorer($0, asset, &productionScorers) }
            entry.threshold = Double(candidateScorer.windowScorer.threshold)
            guard let mine = judge(clip, with: candidateScorer, outcome: &outcome) else {
                // Unscorable audio proves nothing: a confirmed anomaly counts as missed.
                if clip.label == ClipLabel.confirmedAnomaly.rawValue { entry.confirmedClips += 1 }
                checks[asset] = entry
                continue
            }
            let theirs = productionScorer.flatMap { judge(clip, with: $0, outcome: &outcome) }
            let name = "\(clip.agentID)/\(clip.seq) (\(asset))"
            let scores = String(format: "score %.4g, threshold %.4g", mine.score, mine.threshold)
            if clip.label == ClipLabel.confirmedAnomaly.rawValue {
                entry.confirmedClips += 1
                if mine.flagged { entry.candidateFlaggedConfirmed += 1 }
                if let theirs { entry.productionFlaggedConfirmed = (entry.productionFlaggedConfirmed ?? 0) + (theirs.flagged ? 1 : 0) }
                if !mine.flagged {
                    let byProduction = theirs?.flagged == true
                    if byProduction { lost += 1 }
                    outcome.failingClips.append(
                        "\(name) confirmed_anomaly: not flagged by the candidate (\(scores))"
                            + (byProduction ? "; production flags it" : ""))
                }
            } else {
                entry.falseAlarmClips += 1
                if mine.flagged { entry.candidateFlaggedFalseAlarms += 1 }
                if let theirs {
                    entry.productionFlaggedFalseAlarms = (entry.productionFlaggedFalseAlarms ?? 0) + (theirs.flagged ? 1 : 0)
                }
                if mine.flagged {
                    let byProduction = theirs.map(\.flagged) ?? true
                    if !byProduction { newFalseAlarms += 1 }
                    outcome.failingClips.append(
                        "\(name) false_alarm: flagged by the candidate (\(scores))" + (byProduction ? "" : "; production does not flag it"))
                }
            }
            checks[asset] = entry
        }

        var noisyAssets: [String] = []
        var worstRate: Double?
        for (asset, clips) in data.cleanNormalClips {
            var entry = checks[asset] ?? .init(asset: asset)
            let candidateScorer = try scorer(candidate, asset, &candidateScorers)
            let productionScorer = try production.map { try scorer($0, asset, &productionScorers) }
            entry.threshold = Double(candidateScorer.windowScorer.threshold)
            entry.cleanNormalClips = clips.count
            entry.candidateFalseAlarmRate = rate(clips, with: candidateScorer, outcome: &outcome)
            entry.productionFalseAlarmRate = productionScorer.flatMap { rate(clips, with: $0, outcome: &outcome) }
            if clips.count >= gates.minAssetClips, let rate = entry.candidateFalseAlarmRate {
                worstRate = max(worstRate ?? 0, rate)
                if rate > gates.maxAssetFalseAlarmRate { noisyAssets.append(String(format: "%@ %.3f", asset, rate)) }
            }
            checks[asset] = entry
        }
        outcome.assets = checks.keys.sorted().map { checks[$0]! }
        outcome.gates = labelGates(assets: outcome.assets, lost: lost, newFalseAlarms: newFalseAlarms, production: production != nil)
        outcome.gates.append(
            .init(
                name: "max_asset_false_alarm_rate", limit: gates.maxAssetFalseAlarmRate, value: worstRate, passed: noisyAssets.isEmpty,
                detail: noisyAssets.isEmpty
                    ? worstRate.map { String(format: "at most %.3f of any asset's clean normal windows flagged", $0) }
                        ?? "no asset has \(gates.minAssetClips) clean normal clips to judge"
                    : "clean normal windows flagged above \(gates.maxAssetFalseAlarmRate) on "
                        + noisyAssets.sorted().joined(separator: ", ")))
        return outcome
    }

    private func labelGates(
        assets: [RetrainingReport.AssetCheck], lost: Int, newFalseAlarms: Int, production: Bool
    )
        -> [RetrainingReport.Gate]
    {
        let confirmed = assets.reduce(0) { $0 + $1.confirmedClips }
        let flagged = assets.reduce(0) { $0 + $1.candidateFlaggedConfirmed }
        let falseAlarms = assets.reduce(0) { $0 + $1.falseAlarmClips }
        let flaggedFalse = assets.reduce(0) { $0 + $1.candidateFlaggedFalseAlarms }
        let recall = confirmed > 0 ? Double(flagged) / Double(confirmed) : nil
        let falseRate = falseAlarms > 0 ? Double(flaggedFalse) / Double(falseAlarms) : nil
        let fewerFlagged = assets.filter { ($0.productionFlaggedConfirmed ?? 0) > $0.candidateFlaggedConfirmed }.map(\.asset)
        let moreFalse = assets.filter { $0.candidateFlaggedFalseAlarms > ($0.productionFlaggedFalseAlarms ?? Int.max) }.map(\.asset)
        var result: [RetrainingReport.Gate] = [
            .init(
                name: "min_confirmed_recall", limit: gates.minConfirmedRecall, value: recall,
                passed: (recall ?? 1) >= gates.minConfirmedRecall,
                detail: recall.map {
                    String(
                        format: "the candidate flags %d of %d confirmed anomalies (%.3f; min_confirmed_recall %.3f)", flagged, confirmed,
                        $0,
                        gates.minConfirmedRecall)
                } ?? "no confirmed anomalies to check"),
            .init(
                name: "max_false_alarm_rate", limit: gates.maxFalseAlarmRate, value: falseRate,
                passed: (falseRate ?? 0) <= gates.maxFalseAlarmRate,
                detail: falseRate.map {
                    String(
                        format: "the candidate flags %d of %d clips labelled false_alarm (%.3f; max_false_alarm_rate %.3f)", flaggedFalse,
                        falseAlarms, $0, gates.maxFalseAlarmRate)
                } ?? "no clips labelled false_alarm to check"),
        ]
        guard production else { return result }
        result.append(
            comparedWithProduction(
                "max_lost_confirmed", count: lost, limit: gates.maxLostConfirmed, worseAssets: fewerFlagged,
                held: "the candidate flags every confirmed anomaly production flags, on every asset",
                broken: "the candidate misses \(lost) confirmed anomalies production flags", worse: "fewer flagged than production on "))
        result.append(
            comparedWithProduction(
                "max_new_false_alarms", count: newFalseAlarms, limit: gates.maxNewFalseAlarms, worseAssets: moreFalse,
                held: "the candidate raises no false alarm production does not, on any asset",
                broken: "the candidate flags \(newFalseAlarms) false alarms production does not", worse: "more than production on "))
        return result
    }

    /// A gate on how many clips the candidate judges worse than production (`count`, at most `limit`).
    /// With a limit of 0 it also fails when any asset's counts are worse than production's (`worseAssets`).
    private func comparedWithProduction(
        _ name: String, count: Int, limit: Int, worseAssets: [String], held: String, broken: String, worse: String
    ) -> RetrainingReport.Gate {
        .init(
            name: name, limit: Double(limit), value: Double(count),
            passed: count <= limit && (limit > 0 || worseAssets.isEmpty),
            detail: count == 0 && worseAssets.isEmpty
                ? held
                : "\(broken) (\(name) \(limit))" + (worseAssets.isEmpty ? "" : "; " + worse + worseAssets.joined(separator: ", ")))
    }

    /// The fraction of `clips`' windows `scorer` calls anomalous; nil when none could be scored.
    private func rate(_ clips: [RetrainingClip], with scorer: ClipScorer, outcome: inout Outcome) -> Double? {
        var anomalous = 0
        var windows = 0
        for clip in clips {
            guard let judgement = judge(clip, with: scorer, outcome: &outcome) else { continue }
            anomalous += judgement.anomalousWindows
            windows += judgement.windows
        }
        return windows > 0 ? Double(anomalous) / Double(windows) : nil
    }

    /// One clip's judgement; nil (and a failing-clip line) when its audio cannot be scored.
    private func judge(_ clip: RetrainingClip, with scorer: ClipScorer, outcome: inout Outcome) -> Judgement? {
        do {
            let score = try scorer.score(path: clip.path, limits: HubStore.clipDecodeLimits)
            return Judgement(
                flagged: score.flagged(by: gates.alarmPolicy), score: score.meanScore, threshold: scorer.windowScorer.threshold,
                anomalousWindows: score.windows.filter(\.anomalous).count, windows: score.windows.count)
        } catch {
            let line = "\(clip.agentID)/\(clip.seq) (\(clip.site)/\(clip.assetID)): cannot be scored: \(error)"
            if !outcome.failingClips.contains(line) { outcome.failingClips.append(line) }
            return nil
        }
    }
}
