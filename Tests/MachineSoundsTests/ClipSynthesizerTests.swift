import AudioIO
import Foundation
import Testing

@testable import MachineSounds

@Suite struct ClipSynthesizerTests {
    private func synthesizer(
        _ type: MachineType = .fan, id: Int = 0, snr: Double = 0, channels: Int = 8, seconds: Double = 1
    ) -> ClipSynthesizer {
        ClipSynthesizer(
            machine: type, id: id, settings: SynthesisSettings(sampleRate: 16_000, seconds: seconds, channels: channels, snrDB: snr))
    }

    @Test(arguments: [6.0, 0.0, -6.0])
    func mixMeasuresTheRequestedSNR(snr: Double) {
        for type in MachineType.allCases {
            let clip = synthesizer(type, id: 2, snr: snr).render(condition: .normal, seed: 4)
            // Measured from the mixture itself: mixture − background is the machine.
            let machine = zip(clip.mixture.samples, clip.background.samples).map { $0 - $1 }
            let measured = SNRMixer.snrDecibels(signal: machine, noise: clip.background.samples)
            #expect(abs(measured - snr) <= 0.5, "\(type): \(measured) dB for \(snr) dB")
            #expect(abs(clip.snrDecibels - snr) <= 0.5)
        }
    }

    @Test func sameSeedIdenticalOtherSeedDifferent() {
        let s = synthesizer(.pump)
        let a = s.render(condition: .normal, seed: 10).mixture
        #expect(a == s.render(condition: .normal, seed: 10).mixture)
        #expect(a != s.render(condition: .normal, seed: 11).mixture)
    }

    @Test(arguments: MachineType.allCases)
    func eightChannelsAreCorrelatedDelayedCopiesNotClones(type: MachineType) {
        let clip = synthesizer(type, id: 4, snr: 6).render(condition: .normal, seed: 1)
        #expect(clip.mixture.channels == 8)
        let maxLag = Int((2 * MicrophoneArray.mimiiRadius / MicrophoneArray.speedOfSound * 16_000).rounded(.up))
        let machine0 = clip.machine.channel(0), background0 = clip.background.channel(0)
        var lags: Set<Int> = []
        for c in 1..<8 {
            #expect(clip.mixture.channel(c) != clip.mixture.channel(0))
            let m = SignalProbe.crossCorrelation(machine0, clip.machine.channel(c), maxLag: maxLag + 2)
            #expect(m.coefficient > 0.9, "machine ch0–ch\(c): \(m.coefficient)")
            #expect(abs(m.lag) <= maxLag)
            lags.insert(m.lag)
            let b = SignalProbe.crossCorrelation(background0, clip.background.channel(c), maxLag: maxLag + 2)
            #expect(b.coefficient < m.coefficient, "background ch0–ch\(c) \(b.coefficient) vs machine \(m.coefficient)")
        }
        #expect(lags.count > 1, "inter-channel lags \(lags)")
    }

    @Test func levelsKeepHeadroom() {
        for type in MachineType.allCases {
            let clip = synthesizer(type, snr: -6).render(condition: .faulty(MachineFault.faults(of: type)[0], severity: 1), seed: 2)
            let peak = clip.mixture.samples.map { abs($0) }.max()!
            #expect(peak <= ClipSynthesizer.peakCeiling)
            #expect(peak > 0.01)
        }
    }

    @Test func monoAndOtherRatesWork() {
        let clip = ClipSynthesizer(
            machine: .valve, id: 6, settings: SynthesisSettings(sampleRate: 8000, seconds: 0.5, channels: 1, snrDB: 6)
        )
        .render(condition: .faulty(.chatter, severity: 0.5), seed: 3)
        #expect(clip.mixture.channels == 1 && clip.mixture.frames == 4000 && clip.mixture.sampleRate == 8000)
        #expect(abs(clip.snrDecibels - 6) <= 0.5)
    }

    @Test func machineIDsSitAtDifferentPlaces() {
        let positions = [0, 2, 4, 6].map { synthesizer(id: $0).machinePosition }
        #expect(Set(positions.map { "\($0)" }).count == 4)
        for p in positions { #expect((0.45...0.86).contains((p * p).sum().squareRoot())) }
    }
}
