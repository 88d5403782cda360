import AudioIO
import Foundation
import NumPy
import Spectral
import Testing

@Suite struct FeatureExtractorTests {
    /// Allowed max |ours − librosa|: dB-valued kinds absolute; linear power kinds relative to the largest value.
    static func tolerance(for spec: FeatureSpec) -> (limit: Float, relative: Bool) {
        switch spec.kind {
        case .logMel, .dcaseFrames: (1e-3, false)
        case .mfcc: (2e-3, false)
        case .power, .mel: (2e-5, true)
        }
    }

    @Test("parity with librosa 0.11", arguments: Fixtures.featureCases)
    func parity(_ name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        let (clip, caseName) = (parts[0], parts[1])
        let spec = Fixtures.manifest.cases[caseName]!.spec(sampleRate: Fixtures.manifest.sample_rate)
        let golden = try Fixtures.array("\(clip)__\(caseName).npy")
        let ours = try FeatureExtractor(spec: spec).extract(try Fixtures.clip(clip))
        #expect([ours.frames, ours.width] == golden.shape)
        guard [ours.frames, ours.width] == golden.shape else { return }
        let expected = golden.floats()
        let (diff, index) = Fixtures.maxAbsDiff(ours.values, expected)
        let (limit, relative) = Self.tolerance(for: spec)
        let scale = relative ? expected.map(abs).max()! : 1
        print("[parity] \(name): max |diff| = \(diff) at row \(index / ours.width) col \(index % ours.width)"
              + (relative ? " (relative \(diff / scale))" : "") + ", limit \(limit)\(relative ? " relative" : "")")
        #expect(diff <= limit * scale)
    }

    @Test("seed 000 clip vector: mean of 40 MFCCs", arguments: ["synthetic", "mimii"])
    func clipMean(_ clip: String) throws {
        let extractor = try FeatureExtractor(spec: FeatureSpec(kind: .mfcc, sampleRate: 16_000, nMFCC: 40))
        let mean = try extractor.extract(try Fixtures.clip(clip)).meanOverTime()
        let golden = try Fixtures.array("\(clip)__mfcc40_mean.npy")
        #expect(golden.shape == [40])
        let (diff, _) = Fixtures.maxAbsDiff(mean, golden.floats())
        print("[parity] \(clip) mfcc40 mean: max |diff| = \(diff)")
        #expect(diff <= 2e-3)
    }

    @Test("seed 000 vector of whole 10 s 8-channel MIMII clips (real data)")
    func wholeRealClips() throws {
        guard RealData.isAvailable else {
            print("[skip] real MIMII data not found at \(RealData.directory.path); set EARSHOT_REAL_DATA")
            return
        }
        let extractor = try FeatureExtractor(spec: FeatureSpec(kind: .mfcc, sampleRate: 16_000, nMFCC: 40))
        for (relative, fixture) in Fixtures.manifest.full_clips.sorted(by: { $0.key < $1.key }) {
            let path = RealData.directory.appendingPathComponent("mimii").appendingPathComponent(relative).path
            let audio = try AudioFileReader.read(path: path).mixedDown()
            let mean = try extractor.extract(audio).meanOverTime()
            let (diff, _) = Fixtures.maxAbsDiff(mean, try Fixtures.array(fixture).floats())
            print("[parity] whole \(relative) mfcc40 mean: max |diff| = \(diff)")
            #expect(diff <= 2e-3)
        }
    }

    @Test("fmax above Nyquist is rejected")
    func fmaxAboveNyquist() {
        #expect(throws: SpectralError.fmaxAboveNyquist(fmax: 9000, nyquist: 8000)) {
            try FeatureExtractor(spec: FeatureSpec(kind: .logMel, sampleRate: 16_000, fmax: 9000))
        }
    }

    @Test("too many mel bins for n_fft is rejected, not warned")
    func emptyFilters() {
        #expect {
            try FeatureExtractor(spec: FeatureSpec(kind: .logMel, sampleRate: 16_000, nFFT: 256, melBins: 128))
        } throws: { error in
            guard case SpectralError.emptyMelFilters(let empty, 128, 256) = error else { return false }
            return empty > 0
        }
    }

    @Test("hop 0, n_fft 1, win_length > n_fft, n_mfcc > n_mels are rejected", arguments: [
        FeatureSpec(kind: .logMel, sampleRate: 16_000, hopLength: 0),
        FeatureSpec(kind: .power, sampleRate: 16_000, nFFT: 1),
        FeatureSpec(kind: .power, sampleRate: 16_000, nFFT: 512, winLength: 513),
        FeatureSpec(kind: .mfcc, sampleRate: 16_000, melBins: 20, nMFCC: 40),
        FeatureSpec(kind: .logMel, sampleRate: 16_000, fmin: 5000, fmax: 4000),
        FeatureSpec(kind: .logMel, sampleRate: 16_000, topDB: -1),
    ])
    func invalidParameters(_ spec: FeatureSpec) {
        #expect {
            try FeatureExtractor(spec: spec)
        } throws: { error in
            guard case SpectralError.invalidParameter = error else { return false }
            return true
        }
    }

    @Test("a clip shorter than one frame with center=false is rejected")
    func tooShortUncentred() throws {
        let extractor = try FeatureExtractor(spec: FeatureSpec(kind: .logMel, sampleRate: 16_000, center: false))
        #expect(throws: SpectralError.signalTooShort(samples: 2047, needed: 2048)) {
            try extractor.extract([Float](repeating: 0.1, count: 2047))
        }
        #expect(try extractor.extract([Float](repeating: 0.1, count: 2048)).frames == 1)
    }

    @Test("too short for DCASE stacking, or for reflect padding, is rejected")
    func tooShortOther() throws {
        let dcase = try FeatureExtractor(spec: FeatureSpec(kind: .dcaseFrames, sampleRate: 16_000, nFFT: 1024))
        #expect(throws: SpectralError.self) { try dcase.extract([Float](repeating: 0.1, count: 1000)) }
        let reflect = try FeatureExtractor(spec: FeatureSpec(kind: .logMel, sampleRate: 16_000, padMode: .reflect))
        #expect(throws: SpectralError.signalTooShort(samples: 1024, needed: 1025)) {
            try reflect.extract([Float](repeating: 0.1, count: 1024))
        }
        #expect(throws: SpectralError.signalTooShort(samples: 0, needed: 1)) {
            try FeatureExtractor(spec: FeatureSpec(kind: .mfcc, sampleRate: 16_000)).extract([])
        }
    }

    @Test("NaN or infinity in the input is rejected with its index", arguments: [Float.nan, .infinity, -.infinity])
    func nonFinite(_ bad: Float) throws {
        var signal = [Float](repeating: 0.1, count: 16_000)
        signal[12_345] = bad
        #expect(throws: SpectralError.nonFiniteInput(index: 12_345)) {
            try FeatureExtractor(spec: FeatureSpec(kind: .mfcc, sampleRate: 16_000)).extract(signal)
        }
    }

    @Test("errors describe themselves in one line")
    func descriptions() {
        let errors: [SpectralError] = [
            .invalidParameter("hop"), .fmaxAboveNyquist(fmax: 9000, nyquist: 8000), .emptyMelFilters(empty: 3, melBins: 128, nFFT: 256),
            .signalTooShort(samples: 1, needed: 2), .nonFiniteInput(index: 3), .fftSetupFailed(size: 5), .unsupportedInStreaming("x"),
        ]
        for error in errors { #expect(!error.description.isEmpty && !error.description.contains("\n")) }
    }
}
