import Foundation
import SeededRandom
import Testing

@testable import MachineSounds

@Suite struct MachineConditionTests {
    @Test func severityIsReportedOnlyForTheClipsFault() {
        let condition = MachineCondition.faulty(.cavitation, severity: 0.4)
        #expect(condition.severity(of: .cavitation) == 0.4)
        #expect(condition.severity(of: .leakage) == 0)
        #expect(MachineCondition.normal.severity(of: .cavitation) == 0)
        #expect(condition.isAnomalous && !MachineCondition.normal.isAnomalous)
        #expect(MachineCondition.faulty(.chatter, severity: 3).severity(of: .chatter) == 1)
    }

    @Test(arguments: MachineType.allCases)
    func randomAnomaliesCoverTheTypesFaultsWithMostlySubtleSeverities(type: MachineType) {
        var g = SeededGenerator(seed: 5)
        let conditions = (0..<600).map { _ in MachineCondition.random(anomalous: true, machine: type, using: &g) }
        #expect(Set(conditions.compactMap(\.fault)) == Set(MachineFault.faults(of: type)))
        let severities = conditions.compactMap { condition in condition.fault.map { condition.severity(of: $0) } }
        #expect(severities.allSatisfy { (0.05...1).contains($0) })
        let subtle = severities.filter { $0 < 0.2 }.count, strong = severities.filter { $0 > 0.7 }.count
        #expect(subtle > 150, "\(subtle) of 600 below 0.2")
        #expect(strong > 60, "\(strong) of 600 above 0.7")
        #expect(MachineCondition.random(anomalous: false, machine: type, using: &g) == .normal)
    }
}
