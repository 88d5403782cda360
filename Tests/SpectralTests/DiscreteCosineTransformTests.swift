import Spectral
import Testing

@Suite struct DiscreteCosineTransformTests {
    @Test("vectorised DCT-II equals the double-precision textbook sum", arguments: [(128, 40, 0.0), (128, 20, 22.0), (40, 13, 0.0), (64, 64, 10.0)])
    func matchesReference(_ inputs: Int, _ outputs: Int, _ lifter: Double) throws {
        let dct = try DiscreteCosineTransform(inputCount: inputs, outputCount: outputs, lifter: lifter)
        var generator = SplitMix64(seed: 11)
        let frame = (0..<inputs).map { _ in Float(generator.nextUnit() * 100 - 80) }
        var ours = [Float](repeating: 0, count: outputs)
        frame.withUnsafeBufferPointer { f in ours.withUnsafeMutableBufferPointer { dct.apply(f.baseAddress!, into: $0.baseAddress!) } }
        let (diff, _) = Fixtures.maxAbsDiff(ours, dct.applyReference(frame))
        print("[reference] DCT \(inputs)→\(outputs) lifter \(lifter): max |diff| = \(diff)")
        #expect(diff <= 1e-3)
    }

    @Test("orthonormal: a constant input has only a DC coefficient, √N·c")
    func constant() throws {
        let dct = try DiscreteCosineTransform(inputCount: 16, outputCount: 16)
        let out = dct.applyReference([Float](repeating: 2, count: 16))
        #expect(abs(out[0] - 8) < 1e-5)
        #expect(out.dropFirst().allSatisfy { abs($0) < 1e-5 })
    }

    @Test("n_mfcc outside 1...n_mels and negative lifter are rejected", arguments: [(128, 0, 0.0), (20, 40, 0.0), (128, 40, -1.0)])
    func invalid(_ inputs: Int, _ outputs: Int, _ lifter: Double) {
        #expect(throws: SpectralError.self) { try DiscreteCosineTransform(inputCount: inputs, outputCount: outputs, lifter: lifter) }
    }
}
