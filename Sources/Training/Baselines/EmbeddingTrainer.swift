import Foundation
import SeededRandom

/// Trains the embedding of a `resnet-arcface` model: a ResNet that maps a log-mel window to a short vector,
/// learned by telling the machines apart with an additive angular margin (`AngularMarginHead`) on their
/// normal windows only. No anomaly is ever shown to it. Each machine's baseline is then the spread of its
/// own embeddings (`BandBaselineTrainer(experiment:embedding:)`). Not `Sendable`: drives a mutable network.
///
/// The other machines are the outliers: a machine's embedding only needs to hold what sets its sound apart
/// from theirs, so a fault that changes exactly that moves it out of its normal cone. A single machine's
/// outliers are frequency-shifted copies of itself (`pseudoOutlierShifts`).
public final class EmbeddingTrainer {
    /// The experiment config (`resnet-arcface`).
    public let experiment: ExperimentConfig

    /// A trainer for `experiment`.
    /// - Throws: `TrainingError.invalidConfig` when the backbone is not resnet-arcface.
    public init(experiment: ExperimentConfig) throws {
        guard experiment.architecture.backbone == .resnetArcFace else {
            throw TrainingError.invalidConfig(keyPath: "architecture.backbone", reason: "EmbeddingTrainer trains resnet-arcface models")
        }
        self.experiment = experiment
    }

    /// Mel-bin shifts of the frequency-shifted copies that stand in for other machines when only one
    /// machine is learned.
    public static let pseudoOutlierShifts = [-6, -3, 3, 6]

    /// Learns the embedding from every machine's normal clips.
    ///
    /// With a single machine there is nothing to tell it apart from, so copies of its clips shifted by
    /// `pseudoOutlierShifts` mel bins become the other classes (`<machine>@shift<k>`): the embedding learns
    /// what a change in the machine's spectrum looks like, the kind of change a fault in a rotation or
    /// resonance frequency makes. Other machines' normal clips, when present, are better outliers.
    /// - Parameters:
    ///   - clips: normal clips of one or more machines (`NormalClip.machine` tells them apart).
    ///   - epochs, seed: override `training.epochs` and `training.seed`.
    ///   - blasThreads: OpenBLAS threads (results repeat for a fixed count).
    ///   - progress: called after every step and every epoch (epochs carry no validation).
    /// - Returns: the trained network, its output the embedding.
    /// - Throws: `TrainingError.invalidDataset` for no clips or a clip shorter than one window (naming it);
    ///   `.nonFiniteLoss` naming the epoch and step.
    public func train(
        _ clips: [BandBaselineTrainer.NormalClip], epochs: Int? = nil, seed: UInt64? = nil, blasThreads: Int = 1,
        progress: (TrainingProgress) -> Void = { _ in }
    ) throws -> Network {
        guard let only = clips.first?.machine else { throw TrainingError.invalidDataset("no normal clips to learn an embedding from") }
        var clips = clips
        if clips.allSatisfy({ $0.machine == only }) {
            clips += Self.pseudoOutlierShifts.flatMap { shift in
                clips.map { .init(machine: "\(only)@shift\(shift)", path: $0.path, features: $0.features.shiftingBins(by: shift)) }
            }
        }
        let machines = Array(Set(clips.map(\.machine))).sorted()
        let window = experiment.audio.inputShape()[1]
        if let short = clips.first(where: { $0.features.frames < window }) {
            throw TrainingError.invalidDataset(
                "\(short.machine): \(short.path) has \(short.features.frames) frames, shorter than one \(experiment.audio.trainingChunkSeconds) s window"
            )
        }
        let options = experiment.trainingOptions(epochs: epochs, seed: seed, blasThreads: blasThreads)
        BLASThreading.setThreadCount(options.blasThreads)
        let index = Dictionary(uniqueKeysWithValues: machines.enumerated().map { ($1, $0) })
        let oneHot = clips.map { clip in (0..<machines.count).map { Float($0 == index[clip.machine]! ? 1 : 0) } }
        let (rows, clipOfRow) = experiment.audio.modelInputs(clips.map(\.features))
        let fixed = try LabeledData(
            features: rows, targets: Tensor(shape: [rows.batch, machines.count], values: clipOfRow.flatMap { oneHot[$0] }))
        let augmenter =
            experiment.augmentation.isEnabled
            ? ChunkAugmenter(
                audio: experiment.audio, augmentation: experiment.augmentation, clips: clips.map(\.features), targets: oneHot,
                seed: options.seed) : nil
        let network = try Network(graph: try experiment.modelGraph(trainingRows: rows), seed: options.seed)
        var generator = SeededGenerator(seed: SeededGenerator.derive(options.seed, 7))
        let architecture = experiment.architecture
        let head = AngularMarginHead(
            embeddingUnits: architecture.embeddingUnits, classes: machines.count, scale: Float(architecture.arcFaceScale),
            margin: Float(architecture.arcFaceMargin), generator: &generator)

        let batch = options.batchSize
        let sampleCount = augmenter?.count ?? fixed.count
        let steps = options.dropLastBatch ? sampleCount / batch : (sampleCount + batch - 1) / batch
        guard steps > 0 else {
            throw TrainingError.invalidDataset("\(sampleCount) windows give no batch of \(batch) with drop_last_batch")
        }
        let optimizer = ScheduledOptimizer(options, parameters: network.parameters + [head.weights], stepsPerEpoch: steps)
        var shuffle = SeededGenerator(seed: options.seed)
        for epoch in 1...options.epochs {
            let data = augmenter?.data(epoch: epoch) ?? fixed
            let labels = data.classIndices
            var order = Array(0..<data.count)
            order.shuffle(using: &shuffle)
            var lossSum = 0.0
            var rate = optimizer.nextRate
            for step in 0..<steps {
                let indices = Array(order[(step * batch)..<min((step + 1) * batch, order.count)])
                let embeddings = network.forward(data.features.slice(rows: indices), training: true)
                let (loss, gradient) = head.loss(embeddings: embeddings, labels: indices.map { labels[$0] })
                guard loss.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: step + 1) }
                network.backward(gradient)
                rate = optimizer.step()
                lossSum += loss
                progress(
                    .step(
                        StepReport(
                            epoch: epoch, epochs: options.epochs, step: step + 1, stepsPerEpoch: steps,
                            runningLoss: lossSum / Double(step + 1), learningRate: rate)))
            }
            progress(
                .epoch(
                    EpochReport(
                        epoch: epoch, trainingLoss: lossSum / Double(steps), validation: nil, learningRate: rate, earlyStopping: nil)))
        }
        return network
    }
}
