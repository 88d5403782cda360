import Foundation
import Testing

@testable import MachineSounds

@Suite struct PumpModelTests {
    @Test func idsGetDistinctDeterministicParameters() {
        let parameters = [0, 2, 4, 6].map { PumpModel(id: $0).parameters }
        #expect(Set(parameters.map(\.vanePassHz)).count == 4)
        #expect(Set(parameters.map(\.cavitationBandHz)).count == 4)
        #expect(PumpModel(id: 2).parameters == PumpModel(id: 2).parameters)
        for id in 0..<40 {
            let p = PumpModel(id: id).parameters
            #expect((23.5...59.1).contains(p.shaftHz))
            #expect((5...8).contains(p.vaneCount))
        }
    }

    @Test(arguments: [0, 2, 4, 6])
    func vanePassPeakIsWhereTheParametersPutIt(id: Int) {
        let model = PumpModel(id: id)
        let vpf = model.parameters.vanePassHz
        let peak = SignalProbe.peak(SignalProbe.render(model), from: vpf * 0.97, to: vpf * 1.03)
        #expect(abs(peak.frequency / vpf - 1) < 0.015, "peak at \(peak.frequency) Hz, vane pass \(vpf) Hz")
    }

    @Test func cavitationAddsImpulsiveHighFrequencyCrackle() {
        let model = PumpModel(id: 0)
        let normal = SignalProbe.render(model)
        let cavitating = SignalProbe.render(model, .faulty(.cavitation, severity: 0.7))
        let band = model.parameters.cavitationBandHz
        let rise =
            SignalProbe.bandLevel(cavitating, from: band * 0.8, to: band * 1.2)
            - SignalProbe.bandLevel(normal, from: band * 0.8, to: band * 1.2)
        #expect(rise > 6, "cavitation band +\(rise) dB")
        #expect(SignalProbe.differenceKurtosis(cavitating) > SignalProbe.differenceKurtosis(normal) + 2)
    }

    @Test func leakageAddsSteadyHiss() {
        let model = PumpModel(id: 4)
        let normal = SignalProbe.render(model)
        let leaking = SignalProbe.render(model, .faulty(.leakage, severity: 0.5))
        for half in [0..<16_000, 16_000..<32_000] {
            let rise =
                SignalProbe.bandLevel(Array(leaking[half]), from: 3000, to: 7000)
                - SignalProbe.bandLevel(Array(normal[half]), from: 3000, to: 7000)
            #expect(rise > 6, "hiss band +\(rise) dB in \(half)")
        }
    }

    @Test func cloggingStrengthensVanePassAndQuietensFlow() {
        let model = PumpModel(id: 2)
        let vpf = model.parameters.vanePassHz
        let normal = SignalProbe.render(model)
        let clogged = SignalProbe.render(model, .faulty(.clogging, severity: 1))
        let tone =
            SignalProbe.peak(clogged, from: vpf * 0.97, to: vpf * 1.05).amplitude
            / SignalProbe.peak(normal, from: vpf * 0.97, to: vpf * 1.05).amplitude
        #expect(20 * log10(tone) > 3, "vane pass ×\(tone)")
        let flow = SignalProbe.bandLevel(clogged, from: 1200, to: 2500) - SignalProbe.bandLevel(normal, from: 1200, to: 2500)
        #expect(flow < -2, "flow band \(flow) dB")
    }
}
