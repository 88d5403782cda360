import Foundation
import Testing

@testable import MachineSounds

@Suite struct FanModelTests {
    @Test func idsGetDistinctDeterministicParameters() {
        let parameters = [0, 2, 4, 6].map { FanModel(id: $0).parameters }
        for i in parameters.indices {
            for j in parameters.indices where j > i {
                #expect(parameters[i].bladePassHz != parameters[j].bladePassHz)
                #expect(parameters[i].housingResonancesHz != parameters[j].housingResonancesHz)
            }
        }
        #expect(FanModel(id: 4).parameters == FanModel(id: 4).parameters)
        for id in 0..<40 {
            let p = FanModel(id: id).parameters
            #expect((13...24).contains(p.rotationHz))
            #expect((3...11).contains(p.bladeCount))
            #expect(p.mainsHz == 50 || p.mainsHz == 60)
        }
    }

    @Test(arguments: [0, 2, 4, 6, 17])
    func bladePassPeakIsWhereTheParametersPutIt(id: Int) {
        let model = FanModel(id: id)
        let bpf = model.parameters.bladePassHz
        let x = SignalProbe.render(model)
        let peak = SignalProbe.peak(x, from: bpf * 0.95, to: bpf * 1.05)
        #expect(abs(peak.frequency / bpf - 1) < 0.02, "peak at \(peak.frequency) Hz, blade pass \(bpf) Hz")
        // The tone stands well above the broadband floor beside it.
        let floor = SignalProbe.toneAmplitude(x, frequency: bpf * 1.5 + 3)
        #expect(peak.amplitude > 4 * floor)
    }

    @Test(arguments: [1.0, 0.3, 0.1])
    func imbalanceRaisesTheOncePerRevolutionComponent(severity: Double) {
        let model = FanModel(id: 2)
        let f = model.parameters.rotationHz
        let normal = SignalProbe.peak(SignalProbe.render(model), from: f * 0.96, to: f * 1.04).amplitude
        let faulty = SignalProbe.peak(
            SignalProbe.render(model, .faulty(.imbalance, severity: severity)),
            from: f * 0.96, to: f * 1.04
        ).amplitude
        #expect(faulty > 2.5 * normal, "1× amplitude \(normal) → \(faulty)")
    }

    @Test func voltageChangeShiftsTheBladePassFrequency() {
        let model = FanModel(id: 0)
        let bpf = model.parameters.bladePassHz
        let normal = SignalProbe.peak(SignalProbe.render(model), from: bpf * 0.85, to: bpf * 1.15).frequency
        let shifted = SignalProbe.peak(
            SignalProbe.render(model, .faulty(.voltageChange, severity: 0.8)),
            from: bpf * 0.85, to: bpf * 1.15
        ).frequency
        #expect(abs(shifted / normal - 1) > 0.04, "blade pass \(normal) → \(shifted) Hz")
    }

    @Test func blockageRaisesAndTiltsTheAerodynamicNoise() {
        let model = FanModel(id: 6)
        let normal = SignalProbe.render(model)
        let blocked = SignalProbe.render(model, .faulty(.blockage, severity: 1))
        let low = SignalProbe.bandLevel(blocked, from: 150, to: 400) - SignalProbe.bandLevel(normal, from: 150, to: 400)
        let high = SignalProbe.bandLevel(blocked, from: 2000, to: 6000) - SignalProbe.bandLevel(normal, from: 2000, to: 6000)
        #expect(low > 2, "low band +\(low) dB")
        #expect(low - high > 1.5, "tilt: low +\(low) dB, high +\(high) dB")
    }

    @Test func bearingWearPutsImpactsAtTheDefectFrequency() {
        let model = FanModel(id: 4)
        let p = model.parameters
        // Envelope analysis: square the high-passed signal, look for the defect rate.
        func envelopeLine(_ x: [Float]) -> Double {
            let envelope = (1..<x.count).map { i -> Float in
                let d = x[i] - x[i - 1]; return d * d
            }
            let bpfo = p.bearingDefectOrder * p.rotationHz
            return SignalProbe.peak(envelope, from: bpfo * 0.95, to: bpfo * 1.05).amplitude
        }
        let normal = envelopeLine(SignalProbe.render(model))
        let worn = envelopeLine(SignalProbe.render(model, .faulty(.bearingWear, severity: 0.6)))
        #expect(worn > 3 * normal, "envelope line \(normal) → \(worn)")
        let ring = p.bearingResonanceHz
        let rise =
            SignalProbe.bandLevel(SignalProbe.render(model, .faulty(.bearingWear, severity: 0.6)), from: ring * 0.9, to: ring * 1.1)
            - SignalProbe.bandLevel(SignalProbe.render(model), from: ring * 0.9, to: ring * 1.1)
        #expect(rise > 3, "resonance band +\(rise) dB")
    }

    @Test func normalClipsVaryInSpeedAndLevel() {
        let model = FanModel(id: 0)
        let bpf = model.parameters.bladePassHz
        let clips = (1...5).map { SignalProbe.render(model, seconds: 2, seed: UInt64($0)) }
        let peaks = clips.map { SignalProbe.peak($0, from: bpf * 0.95, to: bpf * 1.05).frequency }
        let levels = clips.map { 20 * log10(SignalProbe.rms($0)) }
        #expect(Set(peaks).count > 1, "blade pass per clip: \(peaks)")
        #expect((levels.max()! - levels.min()!) > 0.2, "levels per clip: \(levels)")
    }
}
