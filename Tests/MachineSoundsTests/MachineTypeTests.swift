import MachineSounds
import Testing

@Test func machineTypesMatchMIMIIFolderNames() {
    #expect(MachineType.allCases.map(\.rawValue) == ["fan", "pump", "valve", "slider"])
}
