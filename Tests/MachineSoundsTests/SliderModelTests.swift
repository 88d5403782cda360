import Foundation
import Testing

@testable import MachineSounds

@Suite struct SliderModelTests {
    @Test func idsGetDistinctDeterministicParameters() {
        let parameters = [0, 2, 4, 6].map { SliderModel(id: $0).parameters }
        #expect(Set(parameters.map(\.strokePeriodS)).count == 4)
        #expect(Set(parameters.map(\.motorToneHz)).count == 4)
        #expect(SliderModel(id: 0).parameters == SliderModel(id: 0).parameters)
    }

    @Test(arguments: [0, 2, 4, 6])
    func travelRepeatsEveryHalfStroke(id: Int) {
        let model = SliderModel(id: id)
        let x = SignalProbe.render(model, seconds: 7)
        // Envelope in 10 ms blocks; its autocorrelation peaks at the half-stroke period.
        let block = 160
        let envelope = stride(from: 0, to: x.count - block, by: block).map { start in
            Float(SignalProbe.rms(Array(x[start..<start + block])))
        }
        let mean = envelope.reduce(0, +) / Float(envelope.count)
        let centred = envelope.map { $0 - mean }
        let half = model.parameters.strokePeriodS / 2 / 0.01
        var best = (lag: 0, value: -Double.infinity)
        for lag in Int(half * 0.7)...Int(half * 1.3) {
            let value = (0..<(centred.count - lag)).reduce(0.0) { $0 + Double(centred[$1] * centred[$1 + lag]) }
            if value > best.value { best = (lag, value) }
        }
        #expect(abs(Double(best.lag) / half - 1) < 0.05, "period \(best.lag) blocks, expected \(half)")
    }

    @Test func railDamageAddsImpacts() {
        let model = SliderModel(id: 2)
        let normal = SignalProbe.render(model, seconds: 4)
        let damaged = SignalProbe.render(model, .faulty(.railDamage, severity: 1), seconds: 4)
        let peakNormal = normal.map { abs($0) }.max()!, peakDamaged = damaged.map { abs($0) }.max()!
        #expect(peakDamaged > 1.3 * peakNormal, "peak \(peakNormal) → \(peakDamaged)")
    }

    @Test func lackOfLubricationSqueals() {
        let model = SliderModel(id: 4)
        let normal = SignalProbe.render(model, seconds: 3)
        let dry = SignalProbe.render(model, .faulty(.lackOfLubrication, severity: 0.8), seconds: 3)
        let spectrumNormal = SignalProbe.averageSpectrum(normal), spectrumDry = SignalProbe.averageSpectrum(dry)
        // The squeal is a narrow line somewhere in 2–5 kHz: the band's strongest bin jumps.
        let band = 128...320  // 2–5 kHz at 15.6 Hz per bin
        let strongestNormal = band.map { spectrumNormal[$0] }.max()!, strongestDry = band.map { spectrumDry[$0] }.max()!
        #expect(10 * log10(strongestDry / strongestNormal) > 6)
    }

    @Test func looseBeltSlapsAtStartsAndWobblesTheMotor() {
        let model = SliderModel(id: 6)
        let normal = SignalProbe.render(model, seconds: 4)
        let loose = SignalProbe.render(model, .faulty(.looseBelt, severity: 1), seconds: 4)
        let thump = SignalProbe.bandLevel(loose, from: 70, to: 210) - SignalProbe.bandLevel(normal, from: 70, to: 210)
        #expect(thump > 3, "80–200 Hz band +\(thump) dB")
    }
}
