import AudioIO

/// The checks a clip must pass before a machine's baseline learns from it: a baseline learned from the
/// wrong audio would ship a threshold that means nothing. `Sendable`.
///
/// A clip is refused, naming the machine and the clip, when it
/// - cannot be read;
/// - is recorded at another sample rate than the model's features (resampling would hide a wrong recorder);
/// - is shorter than one window;
/// - is silent: RMS below `silenceRMS` (−80 dBFS), a disconnected microphone;
/// - is clipped: more than `clippedShare` of its samples at full scale (|x| ≥ 0.999), an overdriven input
///   whose spectrum is distortion, not the machine.
public struct NormalClipCheck: Sendable {
    /// The model's sample rate, Hz.
    public var sampleRate: Int
    /// One window, seconds.
    public var windowSeconds: Double
    /// RMS below this is silence (full scale 1).
    public var silenceRMS: Double = 1e-4
    /// Share of full-scale samples above which a clip is clipped.
    public var clippedShare: Double = 0.001

    /// Checks against a model's sample rate and window.
    public init(sampleRate: Int, windowSeconds: Double) {
        self.sampleRate = sampleRate
        self.windowSeconds = windowSeconds
    }

    /// Checks one normal clip of `machine`.
    /// - Throws: `TrainingError.invalidDataset` saying what is wrong with it.
    public func check(path: String, machine: String) throws {
        func refuse(_ reason: String) -> TrainingError {
            .invalidDataset("\(machine): normal clip \(path) \(reason); remove it or record it again")
        }
        let audio: AudioBuffer
        do {
            audio = try AudioFileReader.read(path: path)
        } catch {
            throw refuse("cannot be read (\(error))")
        }
        guard audio.sampleRate == sampleRate else {
            throw refuse("is \(audio.sampleRate) Hz; the model's features are \(sampleRate) Hz")
        }
        guard audio.duration >= windowSeconds else {
            throw refuse("is \(audio.duration) s long, shorter than one \(windowSeconds) s window")
        }
        var energy = 0.0
        var fullScale = 0
        for sample in audio.samples {
            guard sample.isFinite else { throw refuse("holds non-finite samples") }
            energy += Double(sample) * Double(sample)
            if abs(sample) >= 0.999 { fullScale += 1 }
        }
        let rms = (energy / Double(max(1, audio.samples.count))).squareRoot()
        guard rms >= silenceRMS else { throw refuse("is silent (RMS \(rms))") }
        let share = Double(fullScale) / Double(max(1, audio.samples.count))
        guard share <= clippedShare else {
            throw refuse("is clipped (\(String(format: "%.2f", share * 100)) % of samples at full scale)")
        }
    }
}
