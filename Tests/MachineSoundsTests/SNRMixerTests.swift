import Foundation
import SeededRandom
import Testing

@testable import MachineSounds

@Suite struct SNRMixerTests {
    @Test(arguments: [6.0, 0.0, -6.0, 13.5])
    func noiseGainHitsTheRequestedSNR(snr: Double) {
        var g = SeededGenerator(seed: 2)
        let signal = (0..<4000).map { _ in g.noise() * 0.3 }, noise = (0..<4000).map { _ in g.noise() * 2 }
        let gain = Float(SNRMixer.noiseGain(signalPower: SNRMixer.power(signal), noisePower: SNRMixer.power(noise), snrDB: snr))
        #expect(abs(SNRMixer.snrDecibels(signal: signal, noise: noise.map { $0 * gain }) - snr) < 1e-3)
    }

    @Test func powerIsTheMeanSquare() {
        #expect(SNRMixer.power([1, -1, 1, -1]) == 1)
        #expect(SNRMixer.power(channels: [[2, 2], [0, 0]]) == 2)
        #expect(SNRMixer.power([]) == 0)
        #expect(SNRMixer.noiseGain(signalPower: 1, noisePower: 0, snrDB: 0) == 0)
    }
}
