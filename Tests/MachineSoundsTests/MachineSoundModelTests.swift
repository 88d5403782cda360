import Foundation
import Testing

@testable import MachineSounds

@Suite struct MachineSoundModelTests {
    @Test(arguments: MachineType.allCases)
    func sameSeedRendersIdenticalSamplesAndAnotherSeedDiffers(type: MachineType) {
        let model = type.soundModel(id: 2)
        let a = SignalProbe.render(model, seconds: 0.5, seed: 11)
        #expect(a == SignalProbe.render(model, seconds: 0.5, seed: 11))
        #expect(a != SignalProbe.render(model, seconds: 0.5, seed: 12))
    }

    @Test(arguments: MachineFault.allCases)
    func everyFaultChangesTheSoundMeasurably(fault: MachineFault) {
        let model = fault.machineType.soundModel(id: 0)
        let normal = SignalProbe.render(model, seconds: 2, seed: 3)
        let faulty = SignalProbe.render(model, .faulty(fault, severity: 1), seconds: 2, seed: 3)
        #expect(SignalProbe.spectrogramDistance(normal, normal, topFraction: 0.1) == 0)
        // Many faults are transient (impacts, clicks), so look at the most-changed tenth of the frames.
        let distance = SignalProbe.spectrogramDistance(normal, faulty, topFraction: 0.1)
        #expect(distance > 2, "\(fault): mean |Δ| of the log spectrogram's most-changed frames \(distance) dB")
    }

    @Test(arguments: MachineType.allCases)
    func idsSoundDifferent(type: MachineType) {
        let spectra = [0, 2, 4, 6].map { SignalProbe.averageSpectrum(SignalProbe.render(type.soundModel(id: $0), seconds: 1)) }
        for i in spectra.indices {
            for j in spectra.indices where j > i {
                let distance = SignalProbe.spectrumDistance(spectra[i], spectra[j])
                #expect(distance > 1, "\(type) ids \(i * 2) and \(j * 2): \(distance) dB")
            }
        }
    }

    @Test(arguments: MachineType.allCases)
    func normalLevelIsAboutMinus30dBFS(type: MachineType) {
        let level = 20 * log10(SignalProbe.rms(SignalProbe.render(type.soundModel(id: 0), seconds: 2)))
        #expect((-40 ... -24).contains(level), "\(type): \(level) dBFS")
    }
}
