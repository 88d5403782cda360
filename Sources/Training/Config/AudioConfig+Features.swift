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
        return spec
    }

    /// Model inputs from per-clip features (`ClipFeatureExtractor`), and the clip each row came from.
    ///
    /// `mfcc-mean`: one `(mfcc_count, 1)` row per clip. `dcase-frames`: every stacked vector of every clip.
    /// `logmel`: chunks of `frameCount(seconds: chunkSeconds)` frames as `(mel bins, frames, 1)` images
    /// (librosa's `(n_mels, t)` orientation): consecutive non-overlapping chunks, the last one aligned to the
    /// clip's end so no frame is dropped; a clip shorter than one chunk is padded with its own minimum (the
    /// quietest dB value), i.e. silence.
    /// - Parameter chunkSeconds: log-mel chunk length (default: `training_chunk_seconds`).
    public func modelInputs(_ clips: [FeatureMatrix], chunkSeconds: Double? = nil) -> (features: Tensor, clipOfRow: [Int]) {
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
            for (clip, matrix) in clips.enumerated() {
                let mels = matrix.width
                let total = matrix.frames
                let count = max(1, (total + chunk - 1) / chunk)
                let floor = matrix.values.min() ?? 0
                for k in 0..<count {
                    let start = total <= chunk ? 0 : min(k * chunk, total - chunk)
                    var image = [Float](repeating: floor, count: mels * chunk)
                    for f in 0..<min(chunk, total - start) {
                        for m in 0..<mels { image[m * chunk + f] = matrix.values[(start + f) * mels + m] }
                    }
                    values += image
                    clipOfRow.append(clip)
                }
            }
        }
        return (Tensor(shape: [clipOfRow.count] + shape, values: values), clipOfRow)
    }
}

extension AudioConfig {
    /// The octave bands a band-baseline model pools this config's mel bins into.
    public var octaveBands: OctaveBands {
        OctaveBands(melBins: melFrequencyBins, fmin: minimumFrequency, fmax: maximumFrequency)
    }
}
