import Foundation
import SeededRandom
import Testing

@testable import MachineSounds

@Suite struct FactoryNoiseTests {
    private func scene(seed: UInt64, seconds: Double = 4) -> [FactoryNoise.Source] {
        var g = SeededGenerator(seed: seed)
        return FactoryNoise.scene(frames: Int(seconds * 16_000), sampleRate: 16_000, generator: &g)
    }

    @Test func sceneHasEveryKindAroundTheArrayAndIsDeterministic() {
        let sources = scene(seed: 1)
        #expect(Set(sources.map(\.kind)) == Set(FactoryNoise.Kind.allCases))
        for source in sources {
            let distance = (source.position * source.position).sum().squareRoot()
            #expect((3...12.2).contains(distance))
        }
        #expect(sources.map(\.samples) == scene(seed: 1).map(\.samples))
        #expect(sources.map(\.samples) != scene(seed: 2).map(\.samples))
    }

    @Test func babbleIsNonStationary() {
        let babble = scene(seed: 3).first { $0.kind == .babble }!.samples
        let levels = stride(from: 0, to: babble.count - 1600, by: 1600).map { SignalProbe.rms(Array(babble[$0..<$0 + 1600])) }
        let mean = levels.reduce(0, +) / Double(levels.count)
        let spread = (levels.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(levels.count)).squareRoot() / mean
        #expect(spread > 0.25, "100 ms level spread \(spread) of the mean")
    }

    @Test func impactsAreImpulsive() {
        let impacts = scene(seed: 4, seconds: 10).first { $0.kind == .impacts }!.samples
        let crest = Double(impacts.map { abs($0) }.max()!) / SignalProbe.rms(impacts)
        #expect(crest > 6, "crest factor \(crest)")
    }

    @Test func machineryHasDistantTones() {
        let machinery = scene(seed: 5).first { $0.kind == .machinery }!.samples
        let peak = SignalProbe.peak(machinery, from: 25, to: 120, step: 0.5)
        let floor = SignalProbe.toneAmplitude(machinery, frequency: peak.frequency * 1.5)
        #expect(peak.amplitude > 3 * floor)
    }
}
