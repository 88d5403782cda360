import Foundation
import Spectral
import Testing

@Suite struct DecibelsTests {
    @Test("fast powerToDB equals the log10f reference within 1e-4 dB over 1e-12 … 1e6")
    func fastMatchesReference() {
        var generator = SplitMix64(seed: 3)
        var values = (0..<100_000).map { _ in Float(pow(10, generator.nextUnit() * 18 - 12)) }
        values += [0, 1e-10, 1, 2, 0.5, 1.4142135, 1.4142137, .leastNormalMagnitude, 3.4e38]
        var fast = values, reference = values
        fast.withUnsafeMutableBufferPointer { Decibels.powerToDB($0, amin: 1e-10) }
        reference.withUnsafeMutableBufferPointer { Decibels.powerToDBReference($0, amin: 1e-10) }
        let (diff, index) = Fixtures.maxAbsDiff(fast, reference)
        print("[reference] fast vs log10f powerToDB: max |diff| = \(diff) dB at input \(values[index])")
        #expect(diff <= 1e-4)
        #expect(fast[values.count - 8] == -100)  // amin floor
        #expect(fast[values.count - 7] == 0)  // exactly 0 dB at 1
    }

    @Test("ref=max subtracts the maximum; top_db floors relative to the whole input's maximum")
    func clipLevel() {
        var db: [Float] = [-10, -50, -95, -20, 3]
        db.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: .one, topDB: 80) }
        #expect(db == [-10, -50, -77, -20, 3])
        var relative: [Float] = [-10, -50, -95, -20, 3]
        relative.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: .max, topDB: 80) }
        #expect(relative == [-13, -53, -80, -23, 0])
        var untouched: [Float] = [-10, -500]
        untouched.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: .one, topDB: nil) }
        #expect(untouched == [-10, -500])
    }
}
