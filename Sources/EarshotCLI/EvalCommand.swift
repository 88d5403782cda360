import ArgumentParser
import Foundation
import ModelWorkbench
import Training

/// `earshot eval --model MODEL (--data DIR | --features X.npy --labels y.npy) [--json]`: metrics of a trained float
/// model or of an int8 artifact (signed or not) on the same data.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Evaluate a float model from `earshot train` or an int8 artifact from `earshot quantize`/`sign` on audio (MIMII, DCASE, CSV manifest) or .npy features and labels.",
        discussion: """
            Reports accuracy, per-class precision/recall/F1, macro-F1, the confusion matrix, ROC AUC and pAUC at max \
            FPR 0.1 (DCASE's A/0.1 and the McClish-standardised value scikit-learn gives). Two classes: the first \
            label (e.g. `abnormal`) is positive; more: macro one-vs-rest. Anomaly models: the score is the mean \
            reconstruction MSE, abnormal is positive, and the class comes from the model's threshold.
            --data scores whole clips the way the model is deployed (log-mel: prediction.inference_chunk_seconds \
            chunks, probabilities averaged per clip) and breaks the metrics down per machine type, machine id, SNR, \
            recording source (mimii, dcase, or a manifest's source column) and source with machine id, where the layout or \
            manifest says them: a classifier that learned the recording setup instead of the machine shows up there. If the data names a test set (DCASE test/, a manifest's split \
            column) only those clips are scored. Features are cached as in `earshot train`.
            --json prints one JSON object: accuracy, f1 (macro), auc, pauc (DCASE), pauc_mcclish, confusion, n, \
            labels, per_class, per_group ({dimension: {value: {same keys}}}).
            .npy input: labels as written by `earshot features --labels-out`; anomaly models score per window, or per \
            clip with --index (the CSV from `earshot features --index-out`).
            int8 artifacts with --data are scored the way agents run them: each clip in windows of the artifact's \
            window_seconds through its own feature spec and the int8 engine (Scoring.WindowScorer), probabilities or \
            scores averaged per clip, the same decision rules as the float model. Signatures are not checked here \
            (`earshot info MODEL --public-key K` does).
            """)

    @Option(help: "Model file from `earshot train`, or an int8 artifact from `earshot quantize` or `earshot sign`.")
    var model: String

    @Option(help: "Audio dataset: a MIMII or DCASE directory, or a CSV manifest.")
    var data: String?

    @Option(help: "Features .npy.")
    var features: String?

    @Option(help: "Labels .npy.")
    var labels: String?

    @Option(help: "Anomaly models with .npy: clip index CSV from `earshot features --index-out`, to score per clip.")
    var index: String?

    @OptionGroup var featureComputation: FeatureCacheOptions

    @Option(
        help: """
            Write one CSV line per clip (path, label, predicted, one score per class); with --features, per row \
            (path `<features>#<row>`; classifiers only).
            """)
    var predictions: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    mutating func validate() throws {
        guard (data == nil) != (features == nil) else { throw ValidationError("give either --data or --features with --labels") }
        if features != nil, labels == nil { throw ValidationError("--features needs --labels") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    mutating func run() throws {
        let input: EvaluationInput =
            if let data {
                .audio(data: data, cache: featureComputation.choice, jobs: featureComputation.jobs)
            } else {
                .arrays(features: features!, labels: labels!, index: index)
            }
        let workflow = EvaluationWorkflow(modelPath: model, input: input, predictions: predictions != nil, threads: threads)
        let outcome = try workflow.run(observer: TerminalObserver())
        if let predictions, let table = outcome.predictions { try table.write(to: predictions) }
        if json {
            print(try outcome.report.json())
        } else {
            printReport(outcome.report, threshold: outcome.threshold)
        }
    }
}
