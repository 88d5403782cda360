import Inference
import SeededRandom
import Testing

/// Hand-computed cases for the gemmlowp primitives; see `FixedPoint` for the rounding rules they pin.
@Suite struct FixedPointTests {
    static let highMulCases: [(Int32, Int32, Int32)] = [
        // (a, b, expected): a·b / 2³¹ rounded to nearest, ties toward +∞.
        (100, 1 << 30, 50),  // 100 × 0.5
        (3, 1 << 30, 2),  // +1.5 → 2
        (-3, 1 << 30, -1),  // −1.5 → −1 (tie toward +∞, i.e. toward zero for negatives)
        (1, 1 << 30, 1),  // +0.5 → 1
        (-1, 1 << 30, 0),  // −0.5 → 0
        (-5, 1 << 30, -2),  // −2.5 → −2
        (Int32.min, Int32.min, Int32.max),  // the one overflow saturates
        (Int32.min, Int32.max, -2_147_483_647),
        (Int32.max, Int32.max, 2_147_483_646),
        (0, Int32.min, 0),
    ]

    static let divideCases: [(Int32, Int32, Int32)] = [
        // (x, exponent, expected): x / 2ⁿ rounded to nearest, ties away from zero.
        (3, 1, 2),  // 1.5 → 2
        (-3, 1, -2),  // −1.5 → −2
        (-1, 1, -1),  // −0.5 → −1
        (1, 1, 1),  // 0.5 → 1
        (-5, 2, -1),  // −1.25 → −1
        (5, 2, 1),  // 1.25 → 1
        (6, 2, 2),  // 1.5 → 2
        (-6, 2, -2),  // −1.5 → −2
        (12_345, 0, 12_345),  // exponent 0 is the identity
        (-12_345, 0, -12_345),
        (Int32.max, 31, 1),  // ≈ 1.0
        (Int32.min, 31, -1),  // exactly −1
        (1 << 30, 31, 1),  // exactly 0.5 → 1
        (-(1 << 30), 31, -1),  // exactly −0.5 → −1
        ((1 << 30) - 1, 31, 0),
    ]

    static let multiplyCases: [(Int32, Int32, Int, Int32)] = [
        // (x, multiplier, shift, expected)
        (100, 1 << 30, 0, 50),  // × 0.5
        (1_000, 1 << 30, 2, 2_000),  // × 0.5 × 4: a positive shift shifts left first
        (5, 1 << 30, -1, 2),  // 5 × 0.25 = 1.25, but double rounding gives 2.5 → 3, 3 / 2 → 2
        (-5, 1 << 30, -1, -1),  // −2.5 → −2 (toward +∞), −2 / 2 → −1
        (Int32.max, 1 << 30, -31, 1),  // (2³¹ − 1) × 0.5 × 2⁻³¹ ≈ 0.5 → 1
        (Int32.min, Int32.min, 0, Int32.max),  // saturation passes through
        (-7, 0, 0, 0),  // a flushed multiplier gives 0
        (123_456, 1_717_986_918, -3, 12_346),  // × 0.1: 12 345.6 → 12 346
        (-123_456, 1_717_986_918, -3, -12_346),
    ]

    static let quantizeCases: [(Double, Int32, Int)] = [
        // (real, multiplier, shift): real ≈ multiplier × 2^(shift − 31)
        (0.5, 1 << 30, 0),
        (1.0, 1 << 30, 1),
        (0.75, 1_610_612_736, 0),
        (0.1, 1_717_986_918, -3),  // frexp(0.1) = 0.8 × 2⁻³; 0.8 × 2³¹ = 1 717 986 918.4
        (3.0, 1_610_612_736, 2),
        (-0.5, -(1 << 30), 0),
        (0x1p-32, 1 << 30, -31),  // the smallest shift kept
        (0x1p-33, 0, 0),  // below 2⁻³² flushes to zero
        (1 - 0x1p-33, 1 << 30, 1),  // q × 2³¹ rounds to 2³¹: halved, shift + 1
        (0.0, 0, 0),
    ]

    @Test(arguments: Self.highMulCases)
    func saturatingRoundingDoublingHighMul(a: Int32, b: Int32, expected: Int32) {
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(a, b) == expected)
    }

    @Test(arguments: Self.divideCases)
    func roundingDivideByPOT(x: Int32, exponent: Int32, expected: Int32) {
        #expect(FixedPoint.roundingDivideByPOT(x, exponent) == expected)
    }

    @Test(arguments: Self.multiplyCases)
    func multiplyByQuantizedMultiplier(x: Int32, multiplier: Int32, shift: Int, expected: Int32) {
        #expect(FixedPoint.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: shift) == expected)
    }

    @Test(arguments: Self.quantizeCases)
    func quantizeMultiplier(real: Double, multiplier: Int32, shift: Int) {
        let result = FixedPoint.quantizeMultiplier(real)
        #expect(result.multiplier == multiplier)
        #expect(result.shift == shift)
    }

    /// Over random accumulators and multipliers the double-rounded result stays within 1 of the exact product.
    @Test(arguments: 0..<8)
    func multiplyIsWithinOneOfTheExactProduct(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var worst = 0.0
        for _ in 0..<5_000 {
            let real = Double.random(in: 0x1p-20...0.99, using: &rng)
            let x = Int32.random(in: -(1 << 24)...(1 << 24), using: &rng)
            let (m, shift) = FixedPoint.quantizeMultiplier(real)
            let exact = Double(x) * Double(m) * Double(sign: .plus, exponent: shift - 31, significand: 1)
            let got = FixedPoint.multiplyByQuantizedMultiplier(x, multiplier: m, shift: shift)
            worst = max(worst, abs(Double(got) - exact))
        }
        print("multiplyByQuantizedMultiplier seed \(seed): max |result − exact| = \(worst)")
        #expect(worst <= 1.0)
    }
}
