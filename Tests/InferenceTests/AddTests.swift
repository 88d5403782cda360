import Inference
import SeededRandom
import Testing

@Suite struct AddTests {
    static func run2(
        _ a: [Int8], _ b: [Int8], _ body: (UnsafeBufferPointer<Int8>, UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void
    ) -> [Int8] {
        var out = [Int8](repeating: 0x55, count: a.count)
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in out.withUnsafeMutableBufferPointer { body(x, y, $0) } } }
        return out
    }

    @Test(arguments: 0..<40)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 6_000 + seed)
        let count = Int.random(in: 1...500, using: &rng)
        let add = try Add(
            count: count, input1: rng.activationParameters(), input2: rng.activationParameters(),
            output: rng.activationParameters(), activation: FusedActivation.allCases.randomElement(using: &rng)!)
        let a = rng.int8s(count)
        let b = rng.int8s(count)
        let reference = Self.run2(a, b) { add.runReference(input1: $0, input2: $1, output: $2) }
        #expect(Self.run2(a, b) { add.run(input1: $0, input2: $1, output: $2) } == reference)
    }

    /// Every pair of int8 codes (65 536 elements: the whole lookup table) for random scales, zero points
    /// and clamps; then once more in place (output aliasing the first input).
    @Test(arguments: 0..<8)
    func everyCodePairMatchesReference(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 6_500 + seed)
        let count = 256 * 256
        let add = try Add(
            count: count, input1: rng.activationParameters(), input2: rng.activationParameters(),
            output: rng.activationParameters(), activation: FusedActivation.allCases.randomElement(using: &rng)!)
        let a = (0..<count).map { Int8(truncatingIfNeeded: $0 >> 8) }
        let b = (0..<count).map { Int8(truncatingIfNeeded: $0) }
        let reference = Self.run2(a, b) { add.runReference(input1: $0, input2: $1, output: $2) }
        #expect(Self.run2(a, b) { add.run(input1: $0, input2: $1, output: $2) } == reference)
        var inPlace = a
        b.withUnsafeBufferPointer { y in
            inPlace.withUnsafeMutableBufferPointer { x in add.run(input1: UnsafeBufferPointer(x), input2: y, output: x) }
        }
        #expect(inPlace == reference)
    }

    /// Equal scales everywhere: each input's rescale is an exact halving and the output multiplier an
    /// exact 2⁻¹⁹, so the result must equal the quantized real sum bit for bit.
    @Test(arguments: FusedActivation.allCases)
    func matchesQuantizedGoldenExactly(activation: FusedActivation) throws {
        var rng = SeededGenerator(seed: 61)
        let s: Float = 0.03125
        let p1 = try QuantizationParameters(scale: s, zeroPoint: -20)
        let p2 = try QuantizationParameters(scale: s, zeroPoint: 15)
        let out = try QuantizationParameters(scale: s, zeroPoint: -3)
        let add = try Add(count: 300, input1: p1, input2: p2, output: out, activation: activation)
        let a = rng.int8s(300, in: -80...40)
        let b = rng.int8s(300, in: -30...60)
        let real1 = FloatReference.dequantize(a, p1)
        let real2 = FloatReference.dequantize(b, p2)
        let expected = (0..<300).map { FloatReference.quantize(FloatReference.activate(real1[$0] + real2[$0], activation), out) }
        let got = Self.run2(a, b) { add.run(input1: $0, input2: $1, output: $2) }
        print("Add exact golden \(activation): max diff \(maxDifference(got, expected)) LSB")
        #expect(got == expected)
    }

    /// Unrelated scales: within 1 LSB of the quantized real sum (three roundings in TFLite's scheme).
    @Test(arguments: 0..<5)
    func matchesQuantizedGoldenWithinOneLSB(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 600 + seed)
        let p1 = try rng.activationParameters()
        let p2 = try rng.activationParameters()
        let a = rng.int8s(1_000)
        let b = rng.int8s(1_000)
        let real1 = FloatReference.dequantize(a, p1)
        let real2 = FloatReference.dequantize(b, p2)
        let sums = (0..<1_000).map { real1[$0] + real2[$0] }
        let out = try QuantizationParameters.covering(min: Float(sums.min()!), max: Float(sums.max()!))
        let add = try Add(count: 1_000, input1: p1, input2: p2, output: out)
        let expected = sums.map { FloatReference.quantize($0, out) }
        let got = Self.run2(a, b) { add.run(input1: $0, input2: $1, output: $2) }
        print("Add random golden seed \(seed): max diff \(maxDifference(got, expected)) LSB")
        #expect(maxDifference(got, expected) <= 1)
    }

    @Test func rejectsAnEmptyTensor() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        #expect(throws: InferenceError.invalidShape("count 0 must be > 0")) {
            _ = try Add(count: 0, input1: p, input2: p, output: p)
        }
    }
}
