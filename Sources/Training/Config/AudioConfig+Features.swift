import Spectral

extension AudioConfig {
    /// The `Spectral` computation behind `feature`, with librosa's defaults for everything the config does
    /// not set (Slaney mels and norm, power 2, centred STFT with zero padding, `ref` 1.0, `top_db` 80).
    /// `dcase-frames` is the DCASE baseline's `10 · log10(mel + ε)` frames stacked `frames` deep.
    public var featureSpec: FeatureSpec {
        let kind: Spectral.FeatureKind =
            switch feature {
            case .mfccMean: .mfcc
            case .logMel: .logMel
            case .dcaseFrames: .dcaseFrames
            }
        return FeatureSpec(
            kind: kind, sampleRate: sampleRate, nFFT: stftWindowSize, hopLength: hopSize, melBins: melFrequencyBins,
            fmin: minimumFrequency, fmax: maximumFrequency, nMFCC: mfccCount, stackedFrames: frames)
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
