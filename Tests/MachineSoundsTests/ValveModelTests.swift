import Foundation
import Testing

@testable import MachineSounds

@Suite struct ValveModelTests {
    @Test func idsGetDistinctDeterministicParameters() {
        let parameters = [0, 2, 4, 6].map { ValveModel(id: $0).parameters }
        #expect(Set(parameters.map(\.cyclePeriodS)).count == 4)
        #expect(Set(parameters.map(\.clickResonancesHz)).count == 4)
        #expect(ValveModel(id: 6).parameters == ValveModel(id: 6).parameters)
        for id in 0..<40 {
            let p = ValveModel(id: id).parameters
            #expect((0.6...1.6).contains(p.cyclePeriodS))
            #expect(p.clickResonancesHz == p.clickResonancesHz.sorted())
        }
    }

    @Test(arguments: [0, 2, 4, 6])
    func clicksFollowTheValveProgram(id: Int) {
        let model = ValveModel(id: id)
        let seconds = 6.0
        let onsets = SignalProbe.onsets(SignalProbe.render(model, seconds: seconds))
        // An open and a close click per cycle.
        let expected = 2 * seconds / model.parameters.cyclePeriodS
        #expect(abs(Double(onsets.count) - expected) <= 2.5, "\(onsets.count) clicks, expected ≈ \(expected)")
    }

    @Test func irregularTimingMovesTheClicks() {
        let model = ValveModel(id: 2)
        let period = model.parameters.cyclePeriodS
        let regular = SignalProbe.onsets(SignalProbe.render(model, seconds: 8))
        let irregular = SignalProbe.onsets(SignalProbe.render(model, .faulty(.irregularTiming, severity: 0.8), seconds: 8))
        // Same seed, same program: each regular click's nearest irregular click has moved.
        let displacement = regular.map { t in irregular.map { abs($0 - t) }.min() ?? period }.reduce(0, +) / Double(regular.count)
        #expect(displacement > 0.04 * period, "mean displacement \(displacement) s of a \(period) s cycle")
    }

    @Test func chatterAddsBounceClicks() {
        let model = ValveModel(id: 0)
        let normal = SignalProbe.onsets(SignalProbe.render(model, seconds: 4), threshold: 0.1, refractory: 0.005)
        let chattering = SignalProbe.onsets(
            SignalProbe.render(model, .faulty(.chatter, severity: 1), seconds: 4),
            threshold: 0.1, refractory: 0.005)
        #expect(chattering.count > normal.count + 3, "\(normal.count) → \(chattering.count) clicks")
    }

    @Test func contaminationDetunesAndDampsTheBody() {
        let model = ValveModel(id: 4)
        let top = model.parameters.clickResonancesHz[2]
        let normal = SignalProbe.render(model, seconds: 4)
        let dirty = SignalProbe.render(model, .faulty(.contamination, severity: 1), seconds: 4)
        // The top resonance moves down by 15 %: its original band loses energy.
        let change =
            SignalProbe.bandLevel(dirty, from: top * 0.97, to: top * 1.03) - SignalProbe.bandLevel(normal, from: top * 0.97, to: top * 1.03)
        #expect(change < -2, "top resonance band \(change) dB")
    }
}
