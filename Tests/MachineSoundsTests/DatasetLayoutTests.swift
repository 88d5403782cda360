import Foundation
import MachineDatasets
import Testing

@testable import MachineSounds

@Suite struct DatasetLayoutTests {
    @Test func mimiiPathsMatchTheOriginalLayout() {
        let paths = DatasetLayout.mimii.clips(machine: .fan, ids: [0, 6], normalPerID: 2, abnormalPerID: 1, snrDB: -6).map(\.relativePath)
        #expect(
            paths == [
                "-6_dB_fan/fan/id_00/normal/00000000.wav",
                "-6_dB_fan/fan/id_00/normal/00000001.wav",
                "-6_dB_fan/fan/id_00/abnormal/00000000.wav",
                "-6_dB_fan/fan/id_06/normal/00000000.wav",
                "-6_dB_fan/fan/id_06/normal/00000001.wav",
                "-6_dB_fan/fan/id_06/abnormal/00000000.wav",
            ])
        #expect(
            DatasetLayout.mimii.clips(machine: .valve, ids: [12], normalPerID: 1, abnormalPerID: 0, snrDB: 6)[0].relativePath
                == "6_dB_valve/valve/id_12/normal/00000000.wav")
        #expect(
            DatasetLayout.mimii.clips(machine: .pump, ids: [2], normalPerID: 1, abnormalPerID: 0, snrDB: 0)[0].relativePath
                == "0_dB_pump/pump/id_02/normal/00000000.wav")
    }

    @Test func dcaseSplitsNormalsBetweenTrainAndTest() {
        let clips = DatasetLayout.dcase.clips(machine: .slider, ids: [4], normalPerID: 5, abnormalPerID: 2, snrDB: 0)
        #expect(
            clips.map(\.relativePath) == [
                "slider/train/normal_id_04_00000000.wav",
                "slider/train/normal_id_04_00000001.wav",
                "slider/train/normal_id_04_00000002.wav",
                "slider/test/normal_id_04_00000000.wav",
                "slider/test/normal_id_04_00000001.wav",
                "slider/test/anomaly_id_04_00000000.wav",
                "slider/test/anomaly_id_04_00000001.wav",
            ])
        #expect(clips.map(\.index) == [0, 1, 2, 3, 4, 0, 1])
        // Fewer normals than anomalies: every normal goes to test.
        let few = DatasetLayout.dcase.clips(machine: .fan, ids: [0], normalPerID: 1, abnormalPerID: 3, snrDB: 0)
        #expect(few.filter { $0.relativePath.contains("/train/") }.isEmpty)
    }
}
