/// The four machine types of MIMII and DCASE 2020 Task 2 that Earshot synthesises and monitors.
public enum MachineType: String, Sendable, Codable, CaseIterable {
    case fan, pump, valve, slider
}
