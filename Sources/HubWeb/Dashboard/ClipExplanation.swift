import AudioIO
import Spectral

/// What makes a clip sound different from its asset's normal sound: its log-mel spectrogram
/// (``ClipSpectrogram``'s bands, absolute dB, `power_to_db(ref=1)` without `top_db`) against the
/// normal reference (the mean over normal clips of each clip's time-mean log-mel), per band
/// (which frequencies) and per frame (when).
///
/// `Sendable`: a value type.
struct ClipExplanation: Sendable {
    /// One mel band's difference.
    struct Band: Sendable, Equatable {
        /// Band index, 0 = lowest.
        let index: Int
        /// Where the band's triangular filter starts, peaks and ends, Hz.
        let lowHz: Double, centreHz: Double, highHz: Double
        /// The clip's mean level in the band, dB.
        let clipDB: Float
        /// The normal reference's level, dB.
        let referenceDB: Float
        /// `clipDB − referenceDB`: positive is louder than normal.
        var differenceDB: Float { clipDB - referenceDB }
    }

    /// The clip's log-mel, (frames, ``ClipSpectrogram/melBands``), dB (ref = 1).
    let clip: FeatureMatrix
    /// The normal reference, (``ClipSpectrogram/melBands``,), dB (ref = 1).
    let reference: [Float]
    /// The clip's sample rate, Hz.
    let sampleRate: Int
    /// When the first frame is centred, seconds from the clip's start.
    let firstFrameSeconds: Double
    /// Seconds between frames (the analysis hop).
    let secondsPerFrame: Double

    /// The difference drawn at full colour, dB either way.
    static let differenceRangeDB: Float = 24

    /// The clip's log-mel in absolute dB, (frames, bands), with the time of its first frame and the
    /// hop, seconds. Only frames whose whole window lies inside the clip are kept (all of them when
    /// none does): a clip is a cut from continuous sound, and the padded frames at its ends would
    /// differ from normal (quieter, with a click) in every clip.
    /// - Throws: `SpectralError` when the clip is too short for one frame or holds non-finite samples.
    static func analyse(_ audio: AudioBuffer) throws -> Analysis {
        let samples = audio.mixedDown()
        let spec = ClipSpectrogram.analysis(sampleRate: audio.sampleRate, sampleCount: samples.count, reference: .one, topDB: nil)
        let features = try FeatureExtractor(spec: spec).extract(samples)
        // Centred frame t covers samples t·hop − nFFT/2 ..< t·hop + nFFT/2.
        let half = spec.nFFT / 2
        let first = (half + spec.hopLength - 1) / spec.hopLength
        let last = min((samples.count - half) / spec.hopLength, features.frames - 1)
        let secondsPerFrame = Double(spec.hopLength) / Double(audio.sampleRate)
        guard samples.count >= spec.nFFT, first <= last else {
            return Analysis(features: features, firstFrameSeconds: 0, secondsPerFrame: secondsPerFrame)
        }
        let inside = FeatureMatrix(
            frames: last - first + 1, width: features.width,
            values: Array(features.values[(first * features.width)..<((last + 1) * features.width)]))
        return Analysis(features: inside, firstFrameSeconds: Double(first) * secondsPerFrame, secondsPerFrame: secondsPerFrame)
    }

    /// A clip's log-mel as ``analyse(_:)`` returns it.
    struct Analysis: Sendable {
        /// (frames, bands), dB (ref = 1).
        let features: FeatureMatrix
        /// When the first frame is centred, seconds from the clip's start.
        let firstFrameSeconds: Double
        /// Seconds between frames.
        let secondsPerFrame: Double
    }

    /// The clip's time-mean level per band, (bands,), dB: what one reference clip contributes.
    static func profile(_ features: FeatureMatrix) -> [Float] { features.meanOverTime() }

    /// The mean of reference `profiles` of ``ClipSpectrogram/melBands`` bands each, (bands,), dB; `nil` without any.
    static func reference(_ profiles: [[Float]]) -> [Float]? {
        let profiles = profiles.filter { $0.count == ClipSpectrogram.melBands }
        guard !profiles.isEmpty else { return nil }
        var sums = [Double](repeating: 0, count: ClipSpectrogram.melBands)
        for profile in profiles {
            for band in profile.indices { sums[band] += Double(profile[band]) }
        }
        return sums.map { Float($0 / Double(profiles.count)) }
    }

    /// Per band, the clip's time-mean level, (bands,), dB.
    var clipProfile: [Float] { Self.profile(clip) }

    /// Per frame, the mean absolute difference from the reference over all bands, (frames,), dB:
    /// when the clip differs.
    var frameDeviations: [Float] {
        (0..<clip.frames).map { frame in
            var sum: Float = 0
            for (band, value) in clip.row(frame).enumerated() { sum += abs(value - reference[band]) }
            return sum / Float(max(reference.count, 1))
        }
    }

    /// The `count` bands whose mean level differs most from the reference (either way), largest first.
    func topBands(_ count: Int) -> [Band] {
        let fmax = Double(sampleRate) / 2
        let centres = MelFilterbank.centerFrequencies(melBins: reference.count, fmin: 0, fmax: fmax)
        let profile = clipProfile
        return reference.indices
            .sorted { abs(profile[$0] - reference[$0]) > abs(profile[$1] - reference[$1]) }
            .prefix(count)
            .map { band in
                Band(
                    index: band, lowHz: band == 0 ? 0 : centres[band - 1], centreHz: centres[band],
                    highHz: band == centres.count - 1 ? fmax : centres[band + 1], clipDB: profile[band], referenceDB: reference[band])
            }
    }

    /// The clip and the reference as two PNGs on one colour scale (``ClipSpectrogram/palette``, the
    /// loudest cell of either yellow, ``ClipSpectrogram/dynamicRangeDB`` below it dark violet): the
    /// clip (frames wide) and the reference as a `referenceWidth`-column strip, high bands at the top.
    func levelImages(referenceWidth: Int = 24) -> (clip: [UInt8], reference: [UInt8]) {
        let top = max(clip.values.max() ?? 0, reference.max() ?? 0)
        func index(_ db: Float) -> UInt8 {
            let level = (db - top + ClipSpectrogram.dynamicRangeDB) / ClipSpectrogram.dynamicRangeDB
            return UInt8(max(0, min(255, (level * 255).rounded())))
        }
        let bands = reference.count
        let clipImage = image(width: clip.frames, height: bands) { frame, band in index(clip.values[frame * bands + band]) }
        let referenceImage = image(width: referenceWidth, height: bands) { _, band in index(reference[band]) }
        return (
            IndexedPNG.encode(width: clip.frames, height: bands, indices: clipImage, palette: ClipSpectrogram.palette),
            IndexedPNG.encode(width: referenceWidth, height: bands, indices: referenceImage, palette: ClipSpectrogram.palette)
        )
    }

    /// The clip minus the reference per frame and band as a PNG (``differencePalette``: red louder,
    /// blue quieter than normal, white equal, full colour at ±``differenceRangeDB``), high bands at the top.
    func differenceImage() -> [UInt8] {
        let bands = reference.count
        let indices = image(width: clip.frames, height: bands) { frame, band in
            let level = (clip.values[frame * bands + band] - reference[band]) / Self.differenceRangeDB
            return UInt8(max(0, min(255, ((level + 1) * 127.5).rounded())))
        }
        return IndexedPNG.encode(width: clip.frames, height: bands, indices: indices, palette: Self.differencePalette)
    }

    /// Row-major palette indices, top row the highest band.
    private func image(width: Int, height: Int, _ value: (_ column: Int, _ band: Int) -> UInt8) -> [UInt8] {
        var indices = [UInt8](repeating: 0, count: width * height)
        for column in 0..<width {
            for band in 0..<height { indices[(height - 1 - band) * width + column] = value(column, band) }
        }
        return indices
    }

    /// 256 colours from blue (quieter than normal) through white (equal) to red (louder).
    static let differencePalette: [(UInt8, UInt8, UInt8)] = (0..<256).map { index in
        let t = Double(index) / 255 * 2 - 1  // −1…1
        let (cold, hot) = ((33.0, 102.0, 172.0), (178.0, 24.0, 43.0))
        let end = t < 0 ? cold : hot
        func mix(_ white: Double, _ colour: Double) -> UInt8 { UInt8((white + (colour - white) * abs(t)).rounded()) }
        return (mix(255, end.0), mix(255, end.1), mix(255, end.2))
    }
}
