import Inference
import Testing

@Suite struct QuantizedMultiplierTests {
    @Test(arguments: [0.5, 0.1, 0.003_921_568_6, 1.0, 7.25, 0x1p-31])
    func representsTheRealMultiplier(real: Double) {
        let q = QuantizedMultiplier(real)
        let value = Double(q.multiplier) * Double(sign: .plus, exponent: q.shift - 31, significand: 1)
        #expect(abs(value - real) <= real * 0x1p-30)
        #expect(q.multiplier >= 1 << 30)
    }

    @Test func applyIsMultiplyByQuantizedMultiplier() {
        let q = QuantizedMultiplier(multiplier: 1_717_986_918, shift: -3)
        #expect(q.apply(123_456) == 12_346)
        #expect(q.apply(-123_456) == -12_346)
        #expect(QuantizedMultiplier(0.5).apply(3) == 2)
    }
}
