import Foundation
import Testing

@testable import MachineSounds

@Suite struct MicrophoneArrayTests {
    @Test func eightMicrophonesOnAMIMIISizedCircle() {
        let array = MicrophoneArray(circular: 8)
        #expect(array.count == 8)
        for p in array.positions { #expect(abs((p * p).sum().squareRoot() - 0.068) < 1e-12) }
        #expect(array.sensitivities.allSatisfy { abs(20 * log10($0)) <= 0.3 + 1e-9 })
        #expect(MicrophoneArray(circular: 1).positions == [SIMD3(0, 0, 0)])
    }

    @Test func nearFieldSourceGivesGeometricDelaysAndLevels() {
        let array = MicrophoneArray(circular: 8)
        let paths = array.propagation(from: SIMD3(0.5, 0, 0), sampleRate: 16_000)
        // Microphone 0 faces the source, microphone 4 is opposite: 2r/c further and farther.
        let expected = ((0.5 + 0.068) - (0.5 - 0.068)) / MicrophoneArray.speedOfSound * 16_000
        #expect(paths[0].delay == 0)
        #expect(abs(paths[4].delay - expected) < 1e-9)
        #expect(abs(paths[2].delay - paths[6].delay) < 1e-9)
        #expect(paths[0].gain / array.sensitivities[0] > paths[4].gain / array.sensitivities[4])
    }

    @Test func fractionalDelayShiftsThePhaseOfATone() {
        let array = MicrophoneArray(circular: 8)
        let fs = 16_000.0, frequency = 500.0, frames = 8000
        let lead = array.leadFrames(sampleRate: fs)
        let tone = (0..<(frames + lead)).map { Float(sin(2 * Double.pi * frequency * Double($0) / fs)) }
        let position = SIMD3(0.3, 0.4, 0.1)
        var channels = [[Float]](repeating: [Float](repeating: 0, count: frames), count: 8)
        array.add(tone, from: position, sampleRate: fs, into: &channels)
        let paths = array.propagation(from: position, sampleRate: fs)
        func phase(_ x: [Float]) -> Double {
            var re = 0.0, im = 0.0
            for (n, v) in x.enumerated() {
                re += Double(v) * cos(2 * Double.pi * frequency * Double(n) / fs)
                im -= Double(v) * sin(2 * Double.pi * frequency * Double(n) / fs)
            }
            return atan2(im, re)
        }
        let reference = phase(channels[0])
        for c in 1..<8 {
            var measured = reference - phase(channels[c])
            measured = atan2(sin(measured), cos(measured))
            let expected = 2 * Double.pi * frequency * (paths[c].delay - paths[0].delay) / fs
            #expect(abs(measured - expected) < 0.01, "channel \(c): \(measured) rad, expected \(expected)")
            let amplitude = SignalProbe.rms(channels[c]) * 2.0.squareRoot()
            #expect(abs(amplitude / paths[c].gain - 1) < 0.01)
        }
    }
}
