import Foundation
import Spectral
import Testing

@Suite struct ShortTimeFourierTransformTests {
    @Test(
        "frame counts follow librosa",
        arguments: [
            (2048, 512, true, 32_000, 63), (2048, 512, false, 32_000, 59), (1024, 512, true, 160_000, 313),
            (2048, 512, true, 160_000, 313), (512, 1000, true, 5000, 6), (2048, 512, false, 2048, 1),
        ])
    func frameCount(_ nFFT: Int, _ hop: Int, _ center: Bool, _ samples: Int, _ expected: Int) throws {
        let stft = try ShortTimeFourierTransform(nFFT: nFFT, hopLength: hop, center: center)
        #expect(stft.frameCount(sampleCount: samples) == expected)
    }

    @Test("uses the Hann window of win_length centred in n_fft")
    func window() throws {
        let stft = try ShortTimeFourierTransform(nFFT: 2048, hopLength: 512, winLength: 1600)
        #expect(stft.window == AnalysisWindow.hann(length: 1600, paddedLength: 2048))
    }

    @Test("reflect and constant padding like np.pad")
    func padding() throws {
        let signal: [Float] = [1, 2, 3, 4, 5, 6]
        let reflect = try ShortTimeFourierTransform(nFFT: 4, hopLength: 1, padMode: .reflect)
        let constant = try ShortTimeFourierTransform(nFFT: 4, hopLength: 1)
        #expect(signal.withUnsafeBufferPointer { reflect.padded($0) } == [3, 2, 1, 2, 3, 4, 5, 6, 5, 4])
        #expect(signal.withUnsafeBufferPointer { constant.padded($0) } == [0, 0, 1, 2, 3, 4, 5, 6, 0, 0])
    }

    @Test("centred extraction (edge frames assembled in place) equals uncentred extraction of padded()", arguments: PadMode.allCases)
    func centringEqualsExplicitPadding(_ mode: PadMode) throws {
        let signal = try Fixtures.clip("mimii")
        let centred = FeatureSpec(kind: .power, sampleRate: 16_000, nFFT: 1024, hopLength: 300, padMode: mode)
        var uncentred = centred
        uncentred.center = false
        let padded = try signal.withUnsafeBufferPointer {
            try ShortTimeFourierTransform(nFFT: 1024, hopLength: 300, padMode: mode).padded($0)
        }
        #expect(try FeatureExtractor(spec: centred).extract(signal) == FeatureExtractor(spec: uncentred).extract(padded))
    }

    @Test("a pure tone at a bin centre peaks at that bin with energy (A·N/4)²")
    func tone() throws {
        let n = 1024
        let stft = try ShortTimeFourierTransform(nFFT: n, hopLength: n, center: false)
        let bin = 100
        let frame = (0..<n).map { Float(cos(2 * Double.pi * Double(bin * $0) / Double(n))) }
        var power = [Float](repeating: 0, count: stft.frequencyBins)
        frame.withUnsafeBufferPointer { f in
            power.withUnsafeMutableBufferPointer { stft.spectrum(frame: f.baseAddress!, into: $0.baseAddress!) }
        }
        #expect(power.indices.max { power[$0] < power[$1] } == bin)
        let expected = Float(n / 4) * Float(n / 4)
        #expect(abs(power[bin] - expected) / expected < 1e-5)
    }
}
