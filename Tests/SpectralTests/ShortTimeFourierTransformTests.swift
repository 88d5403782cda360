import Foundation
import Spectral
import Testing

@Suite struct ShortTimeFourierTransformTests {
    @Test("frame counts follow librosa", arguments: [
        (2048, 512, true, 32_000, 63), (2048, 512, false, 32_000, 59), (1024, 512, true, 160_000, 313),
        (2048, 512, true, 160_000, 313), (512, 1000, true, 5000, 6), (2048, 512, false, 2048, 1),
    ])
    func frameCount(_ nFFT: Int, _ hop: Int, _ center: Bool, _ samples: Int, _ expected: Int) throws {
        let stft = try ShortTimeFourierTransform(nFFT: nFFT, hopLength: hop, center: center)
        #expect(stft.frameCount(sampleCount: samples) == expected)
    }

    @Test("periodic Hann window, centred when shorter than n_fft")
    func window() throws {
        let full = try ShortTimeFourierTransform(nFFT: 8, hopLength: 2).window
        let expected: [Float] = [0, 0.14644661, 0.5, 0.85355339, 1, 0.85355339, 0.5, 0.14644661]
        #expect(Fixtures.maxAbsDiff(full, expected).value < 1e-7)
        let short = try ShortTimeFourierTransform(nFFT: 8, hopLength: 2, winLength: 4).window
        #expect(Fixtures.maxAbsDiff(short, [0, 0, 0, 0.5, 1, 0.5, 0, 0]).value < 1e-7)
    }

    @Test("reflect and constant padding like np.pad")
    func padding() throws {
        let signal: [Float] = [1, 2, 3, 4, 5, 6]
        let reflect = try ShortTimeFourierTransform(nFFT: 4, hopLength: 1, padMode: .reflect)
        let constant = try ShortTimeFourierTransform(nFFT: 4, hopLength: 1)
        #expect(signal.withUnsafeBufferPointer { reflect.padded($0) } == [3, 2, 1, 2, 3, 4, 5, 6, 5, 4])
        #expect(signal.withUnsafeBufferPointer { constant.padded($0) } == [0, 0, 1, 2, 3, 4, 5, 6, 0, 0])
    }

    @Test("a pure tone at a bin centre peaks at that bin with energy (A·N/4)²")
    func tone() throws {
        let n = 1024
        let stft = try ShortTimeFourierTransform(nFFT: n, hopLength: n, center: false)
        let bin = 100
        let frame = (0..<n).map { Float(cos(2 * Double.pi * Double(bin * $0) / Double(n))) }
        var power = [Float](repeating: 0, count: stft.frequencyBins)
        frame.withUnsafeBufferPointer { f in power.withUnsafeMutableBufferPointer { stft.spectrum(frame: f.baseAddress!, into: $0.baseAddress!) } }
        #expect(power.indices.max { power[$0] < power[$1] } == bin)
        let expected = Float(n / 4) * Float(n / 4)
        #expect(abs(power[bin] - expected) / expected < 1e-5)
    }
}
