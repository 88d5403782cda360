import Foundation
import Testing

@testable import MachineSounds

@Suite struct MachineFaultTests {
    @Test func everyTypeHasItsOwnFaults() {
        let byType = MachineType.allCases.map { MachineFault.faults(of: $0) }
        #expect(byType.allSatisfy { $0.count >= 3 })
        #expect(byType.flatMap { $0 }.count == MachineFault.allCases.count)
        #expect(MachineFault.faults(of: .fan) == [.imbalance, .blockage, .voltageChange, .bearingWear])
        for type in MachineType.allCases {
            #expect(MachineFault.faults(of: type).allSatisfy { $0.machineType == type })
        }
    }
}
