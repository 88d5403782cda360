import AudioIO
import Spectral

/// The picture of a clip the asset page draws beside its audio player: a log-mel spectrogram
/// (librosa's `power_to_db(melspectrogram(y), ref=np.max, top_db=80)` of the channel mean) as a PNG,
/// time left to right, low frequencies at the bottom, 0 dB (the clip's loudest cell) yellow and
/// −80 dB dark violet.
///
/// The analysis: 128 Slaney mel bands from 0 Hz to Nyquist, a Hann window of 1,024 samples
/// (2,048 above 24 kHz), and a hop of a quarter window, longer when needed to keep any clip within
/// ``maximumColumns`` columns (a 10 s clip at 16 kHz is 626 columns).
struct ClipSpectrogram {
    /// The widest image, columns (frames).
    static let maximumColumns = 640
    /// Mel bands, image rows.
    static let melBands = 128
    /// The dB range drawn below the loudest cell.
    static let dynamicRangeDB: Float = 80

    /// Image width (frames).
    let width: Int
    /// Image height (mel bands).
    let height: Int
    /// Palette indices, row-major, top (highest band) row first.
    let indices: [UInt8]

    /// Analyses `audio`.
    /// - Throws: `SpectralError` when the clip is too short for one frame or holds non-finite samples.
    init(_ audio: AudioBuffer) throws {
        let samples = audio.mixedDown()
        let spec = Self.analysis(sampleRate: audio.sampleRate, sampleCount: samples.count, reference: .max, topDB: Self.dynamicRangeDB)
        let features = try FeatureExtractor(spec: spec).extract(samples)
        width = features.frames
        height = Self.melBands
        var indices = [UInt8](repeating: 0, count: width * height)
        for frame in 0..<width {
            for band in 0..<height {
                let db = features.values[frame * height + band]  // −80…0 after ref=max and top_db
                let level = (db + Self.dynamicRangeDB) / Self.dynamicRangeDB
                indices[(height - 1 - band) * width + frame] = UInt8(max(0, min(255, (level * 255).rounded())))
            }
        }
        self.indices = indices
    }

    /// The analysis of a clip of `sampleCount` samples at `sampleRate` (see the type's summary), in dB
    /// relative to `reference`, clipped `topDB` below the loudest cell when set. The clip
    /// explanation (`ClipExplanation`) uses the same bands with absolute dB, so both show the same frequencies.
    static func analysis(sampleRate: Int, sampleCount: Int, reference: DecibelReference, topDB: Float?) -> FeatureSpec {
        let nFFT = sampleRate > 24_000 ? 2_048 : 1_024
        // Centred frames: 1 + samples / hop of them, so a hop of ⌈samples / (maximumColumns − 1)⌉ keeps within the width.
        let hop = max(nFFT / 4, (sampleCount + maximumColumns - 2) / (maximumColumns - 1))
        return FeatureSpec(
            kind: .logMel, sampleRate: sampleRate, nFFT: nFFT, hopLength: hop, melBins: melBands, reference: reference, topDB: topDB)
    }

    /// The image as a PNG.
    func png() -> [UInt8] {
        IndexedPNG.encode(width: width, height: height, indices: indices, palette: Self.palette)
    }

    /// 256 colours interpolated through five stops of matplotlib's viridis.
    static let palette: [(UInt8, UInt8, UInt8)] = {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        return (0..<256).map { index in
            let position = Double(index) / 255 * Double(stops.count - 1)
            let lower = min(Int(position), stops.count - 2)
            let t = position - Double(lower)
            let (a, b) = (stops[lower], stops[lower + 1])
            func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * t).rounded()) }
            return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
        }
    }()
}
