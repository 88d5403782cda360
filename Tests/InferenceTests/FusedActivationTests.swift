import Inference
import Testing

@Suite struct FusedActivationTests {
    @Test func clampsInTheQuantizedDomain() throws {
        let p = try QuantizationParameters(scale: 0.05, zeroPoint: -100)
        #expect(FusedActivation.none.range(for: p) == -128...127)
        #expect(FusedActivation.relu.range(for: p) == -100...127)
        #expect(FusedActivation.relu6.range(for: p) == -100...20)  // 6 / 0.05 = 120 steps
        let wide = try QuantizationParameters(scale: 0.01, zeroPoint: 0)
        #expect(FusedActivation.relu6.range(for: wide) == 0...127)  // 6 is beyond the range
        let negative = try QuantizationParameters(scale: 0.01, zeroPoint: -128)
        #expect(FusedActivation.relu.range(for: negative) == -128...127)
    }
}
