import Scoring
import Spectral
import Wire

extension AudioConfig {
    /// The `Spectral` computation behind `feature`: exactly the one ``artifactFeatureSpec`` describes, so
    /// training extracts what an agent running the model will (`Scoring.FeatureSpec(artifact:)`).
    /// `dcase-frames` is the DCASE baseline's `10 · log10(mel + ε)` frames stacked `frames` deep.
    public var featureSpec: FeatureSpec { FeatureSpec(artifact: artifactFeatureSpec) }

    /// The feature spec a model trained on this config carries in its artifact, with librosa's defaults for what the YAML does not set (Hann window,
    /// centred STFT with constant padding, power 2, Slaney mel scale and norm, `power_to_db` with ref 1,
    /// amin 1e-10, top_db 80, orthonormal DCT-II). The one place a config's features are derived:
    /// training computes ``featureSpec`` from it, and agents compute the artifact's.
    public var artifactFeatureSpec: Earshot_V1_FeatureSpec {
        var spec = Earshot_V1_FeatureSpec()
        spec.kind =
            switch feature {
            case .mfccMean: .mfcc
            case .logMel: .logMel
            case .dcaseFrames: .dcaseFrames
            }
        spec.sampleRateHz = UInt32(sampleRate)
        spec.nFft = UInt32(stftWindowSize)
        spec.hopLength = UInt32(hopSize)
        spec.winLength = UInt32(stftWindowSize)
        spec.window = .hann
        spec.nMels = UInt32(melFrequencyBins)
        spec.nMfcc = feature == .mfccMean ? UInt32(mfccCount) : 0
        spec.fminHz = Float(minimumFrequency)
        spec.fmaxHz = Float(maximumFrequency)
        spec.htk = false
        spec.melNorm = .slaney
        spec.center = true
        spec.padMode = .constant
        spec.power = 2
        spec.dbScaling = .powerToDb
        spec.amin = 1e-10
        spec.ref = 1
        spec.topDb = 80
        spec.frames = feature == .dcaseFrames ? UInt32(frames) : 0
        spec.windowSeconds = Float(trainingChunkSeconds)
        spec.meanOverTime = feature == .mfccMean
        spec.channelMode = .mixdown
        spec.dctType = 2
        spec.dctOrtho = true
        if feature == .logMel { spec.timeFrames = UInt32(frameCount(seconds: trainingChunkSeconds)) }
        spec.subtractWindowMean = spectrogramNormalization == .chunkMean
        spec.subtractBinMeans = spectrogramNormalization == .binMeans
        return spec
    }

    /// Model inputs from per-clip features (`ClipFeatureExtractor`), and the clip each row came from.
    ///
    /// `mfcc-mean`: one `(mfcc_count, 1)` row per clip. `dcase-frames`: every stacked vector of every clip.
    /// `logmel`: chunks of `frameCount(seconds: chunkSeconds)` frames as `(mel bins, frames, 1)` images
    /// (librosa's `(n_mels, t)` orientation), starting every `hopSeconds` with the last one aligned to the
    /// clip's end so no frame is dropped; a clip shorter than one chunk is padded with its own minimum (the
    /// quietest dB value), i.e. silence. Each image then gets `spectrogram_normalization`.
    /// - Parameters:
    ///   - chunkSeconds: log-mel chunk length (default: `training_chunk_seconds`).
    ///   - hopSeconds: log-mel step between chunk starts (default: the chunk length, non-overlapping).
    public func modelInputs(
        _ clips: [FeatureMatrix], chunkSeconds: Double? = nil, hopSeconds: Double? = nil
    ) -> (features: Tensor, clipOfRow: [Int]) {
        let shape = inputShape(seconds: chunkSeconds)
        var values: [Float] = []
        var clipOfRow: [Int] = []
        switch feature {
        case .mfccMean, .dcaseFrames:
            for (clip, matrix) in clips.enumerated() {
                values += matrix.values
                clipOfRow += repeatElement(clip, count: matrix.frames)
            }
        case .logMel:
            let chunk = shape[1]
            let hop = hopFrames(hopSeconds, chunkSeconds: chunkSeconds ?? trainingChunkSeconds)
            for (clip, matrix) in clips.enumerated() {
                for start in chunkStarts(frames: matrix.frames, chunk: chunk, hop: hop) {
                    var image = chunkImage(matrix, start: start, frames: chunk)
                    normalizeLevels(&image)
                    values += image
                    clipOfRow.append(clip)
                }
            }
        }
        return (Tensor(shape: [clipOfRow.count] + shape, values: values), clipOfRow)
    }

    /// Frames between chunk starts for a hop of `hopSeconds` (nil, or at least the chunk: the chunk's own frames).
    func hopFrames(_ hopSeconds: Double?, chunkSeconds: Double) -> Int {
        let chunk = frameCount(seconds: chunkSeconds)
        guard let hopSeconds, hopSeconds < chunkSeconds else { return chunk }
        return min(chunk, max(1, Int((hopSeconds * Double(sampleRate) / Double(hopSize)).rounded())))
    }

    /// Where a clip of `frames` frames is cut into chunks of `chunk` frames every `hop` frames: from frame 0,
    /// the last start aligned to the clip's end so no frame is dropped; one chunk at 0 for a shorter clip.
    func chunkStarts(frames total: Int, chunk: Int, hop: Int) -> [Int] {
        guard total > chunk else { return [0] }
        let count = 1 + (total - chunk + hop - 1) / hop
        return (0..<count).map { min($0 * hop, total - chunk) }
    }

    /// `frames` log-mel frames of `matrix` from `start` as a `(mel bins, frames)` image, padded past the
    /// clip's end with its quietest value (before any normalisation).
    func chunkImage(_ matrix: FeatureMatrix, start: Int, frames: Int) -> [Float] {
        let mels = matrix.width
        var image = [Float](repeating: matrix.values.min() ?? 0, count: mels * frames)
        for f in 0..<max(0, min(frames, matrix.frames - start)) {
            for m in 0..<mels { image[m * frames + f] = matrix.values[(start + f) * mels + m] }
        }
        return image
    }

    /// `spectrogram_normalization` on one `(mel bins, frames)` image: `Chunk mean` subtracts its mean,
    /// `Bin means` each mel bin's mean over the frames (both accumulated in double precision, as
    /// `Scoring.WindowScorer` does per window); `No` leaves it.
    func normalizeLevels(_ image: inout [Float]) {
        guard !image.isEmpty else { return }
        switch spectrogramNormalization {
        case .none:
            return
        case .chunkMean:
            let mean = Float(image.reduce(0.0) { $0 + Double($1) } / Double(image.count))
            for i in image.indices { image[i] -= mean }
        case .binMeans:
            let frames = image.count / melFrequencyBins
            for bin in 0..<melFrequencyBins {
                let row = (bin * frames)..<((bin + 1) * frames)
                let mean = Float(image[row].reduce(0.0) { $0 + Double($1) } / Double(frames))
                for i in row { image[i] -= mean }
            }
        }
    }
}

extension AudioConfig {
    /// The octave bands a band-baseline model pools this config's mel bins into.
    public var octaveBands: OctaveBands {
        OctaveBands(melBins: melFrequencyBins, fmin: minimumFrequency, fmax: maximumFrequency)
    }
}
