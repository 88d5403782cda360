import MachineDatasets
import Testing

/// The one reader and writer of MIMII and DCASE paths: what it writes, it reads back.
@Suite struct DatasetClipPathTests {
    @Test func writesAndReadsBackMIMIIPaths() throws {
        let written = DatasetClipPath.mimii(snrDB: -6, machineType: "fan", machineID: 0, condition: .abnormal, index: 3)
        #expect(written.relativePath == "-6_dB_fan/fan/id_00/abnormal/00000003.wav")
        #expect(DatasetClipPath.parse("/data/MIMII/" + written.relativePath) == written)
        let decimal = DatasetClipPath.mimii(snrDB: 2.5, machineType: "valve", machineID: 12, condition: .normal, index: 0)
        #expect(decimal.relativePath == "2.5_dB_valve/valve/id_12/normal/00000000.wav")
        #expect(DatasetClipPath.parse(decimal.relativePath) == decimal)
    }

    @Test func writesAndReadsBackDCASEPaths() throws {
        let train = DatasetClipPath.dcase(split: .train, machineType: "pump", machineID: 4, condition: .normal, index: 17)
        #expect(train.relativePath == "pump/train/normal_id_04_00000017.wav")
        #expect(DatasetClipPath.parse("dev/" + train.relativePath) == train)
        let anomaly = DatasetClipPath.dcase(split: .test, machineType: "ToyCar", machineID: 1, condition: .abnormal, index: 2)
        #expect(anomaly.relativePath == "ToyCar/test/anomaly_id_01_00000002.wav")
        #expect(DatasetClipPath.parse(anomaly.relativePath) == anomaly)
        #expect(anomaly.machineName == "id_01")
    }

    @Test func readsTheSharedRecordingsLayoutAsPublished() throws {
        let mimii = try #require(DatasetClipPath.parse("../shared/data/mimii/0_dB_fan/fan/id_00/normal/00000011.wav"))
        #expect(mimii.layout == .mimii && mimii.snrDB == "0" && mimii.machineType == "fan" && mimii.machineID == "00")
        #expect(mimii.condition == .normal && mimii.index == 11 && mimii.split == nil)
        let dcase = try #require(DatasetClipPath.parse("../shared/data/dcase2020/slider/test/anomaly_id_06_00000093.wav"))
        #expect(dcase.layout == .dcase && dcase.split == .test && dcase.condition == .abnormal && dcase.snrDB == nil)
    }

    @Test func refusesPathsThatFollowNeitherLayout() {
        for path in [
            "fan/id_00/normal/00000000.wav", "0_dB_fan/fan/id_00/broken/00000000.wav", "0_dB_fan/fan/id_00/normal/00000000.flac",
            "fan/valid/normal_id_00_00000000.wav", "fan/test/faulty_id_00_00000000.wav", "fan/test/normal_id_00.wav",
        ] {
            #expect(DatasetClipPath.parse(path) == nil, "\(path)")
        }
    }
}
