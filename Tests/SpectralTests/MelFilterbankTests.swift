import Spectral
import Testing

@Suite struct MelFilterbankTests {
    @Test("weights equal librosa.filters.mel", arguments: Fixtures.manifest.mel_cases.keys.sorted())
    func weights(_ name: String) throws {
        let bank = try Fixtures.manifest.mel_cases[name]!.filterbank()
        let golden = try Fixtures.array("mel__\(name).npy")
        #expect(golden.shape == [bank.melBins, bank.frequencyBins])
        let (diff, _) = Fixtures.maxAbsDiff(bank.weights, golden.floats())
        print("[parity] mel weights \(name): max |diff| = \(diff)")
        #expect(diff <= 1e-6)
    }

    @Test("sparse spans cover exactly the nonzero weights", arguments: Fixtures.manifest.mel_cases.keys.sorted())
    func spans(_ name: String) throws {
        let bank = try Fixtures.manifest.mel_cases[name]!.filterbank()
        for m in 0..<bank.melBins {
            for k in 0..<bank.frequencyBins {
                let inside = (bank.starts[m]..<bank.ends[m]).contains(k)
                if !inside { #expect(bank.weights[m * bank.frequencyBins + k] == 0) }
            }
            #expect(bank.weights[m * bank.frequencyBins + bank.starts[m]] > 0)
            #expect(bank.weights[m * bank.frequencyBins + bank.ends[m] - 1] > 0)
        }
    }

    @Test("sparse apply equals the dense reference", arguments: Fixtures.manifest.mel_cases.keys.sorted())
    func sparseMatchesReference(_ name: String) throws {
        let bank = try Fixtures.manifest.mel_cases[name]!.filterbank()
        var generator = SplitMix64(seed: 7)
        let spectrum = (0..<bank.frequencyBins).map { _ in Float(generator.nextUnit()) * 10 }
        let reference = bank.applyReference(spectrum)
        var sparse = [Float](repeating: 0, count: bank.melBins)
        spectrum.withUnsafeBufferPointer { s in sparse.withUnsafeMutableBufferPointer { bank.apply(s.baseAddress!, into: $0.baseAddress!) } }
        var worst: Float = 0
        for m in 0..<bank.melBins { worst = max(worst, abs(sparse[m] - reference[m]) / max(abs(reference[m]), 1e-30)) }
        print("[reference] sparse vs dense mel \(name): max relative diff = \(worst)")
        #expect(worst <= 1e-5)
    }

    @Test("empty filters are an error exactly where librosa warns", arguments: [(256, 128, true), (512, 256, true), (2048, 1024, true),
                                                                               (512, 128, false), (1024, 256, false), (2048, 512, false)])
    func emptyFilters(_ nFFT: Int, _ melBins: Int, _ librosaWarns: Bool) {
        let result = Result { () throws(SpectralError) in try MelFilterbank(sampleRate: 16_000, nFFT: nFFT, melBins: melBins) }
        switch result {
        case .success: #expect(!librosaWarns)
        case .failure(let error):
            guard case .emptyMelFilters(let empty, melBins, nFFT) = error else { Issue.record("unexpected \(error)"); return }
            #expect(librosaWarns && empty > 0)
        }
    }

    @Test("fmax above Nyquist is an error")
    func fmax() {
        #expect(throws: SpectralError.fmaxAboveNyquist(fmax: 11_025, nyquist: 8000)) {
            try MelFilterbank(sampleRate: 16_000, nFFT: 2048, fmax: 11_025)
        }
    }
}

/// A tiny deterministic generator for test inputs.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
