import Foundation
import Testing

@testable import Training

/// The real MIMII and DCASE clips in `../shared/data` read as datasets (skipped, visibly, when absent).
@Suite struct RealDatasetTests {
    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func realMIMIIFolderReadsAsFourTypesOfEightClips() throws {
        let dataset = try AudioDataset(
            at: RealData.directory.appendingPathComponent("mimii").path, config: try datasetConfig(["valve", "fan", "slider", "pump"]))
        // Every WAV file under the folder is one clip; at least the README's 8 per type.
        let files = RealData.wavFiles(under: "mimii")
        #expect(dataset.layout == .mimii && dataset.clips.count == files.count)
        for type in ["fan", "pump", "slider", "valve"] {
            #expect(dataset.clips.filter { $0.label == type }.count == files.filter { $0.contains("/\(type)/") }.count)
            #expect(dataset.clips.filter { $0.label == type }.count >= 8)
        }
        #expect(Set(dataset.clips.compactMap(\.snrDB)) == ["0"])
        #expect(dataset.clips.filter { $0.condition == "abnormal" }.count == files.filter { $0.contains("/abnormal/") }.count)
    }

    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func realEightChannelClipGivesSeed000Features() throws {
        let path = RealData.wavFiles(under: "mimii").first!
        let extractor = try ClipFeatureExtractor(audio: try ExperimentConfig(yaml: minimalConfig).audio, cache: nil, jobs: 1)
        let (matrices, _) = try extractor.features(of: [path])
        #expect(matrices[0].frames == 1 && matrices[0].width == 40 && matrices[0].values.allSatisfy(\.isFinite))
    }

    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func realDCASEToyCarFolderHasTestRoles() throws {
        let dataset = try AudioDataset(
            at: RealData.directory.appendingPathComponent("dcase2020/ToyCar").path, config: try datasetConfig(["normal"]),
            anomalyModel: true)
        let files = RealData.wavFiles(under: "dcase2020/ToyCar")
        #expect(dataset.layout == .dcase && dataset.clips.count == files.count && dataset.clips.allSatisfy { $0.role == .test })
        let anomalies = files.filter { URL(fileURLWithPath: $0).lastPathComponent.hasPrefix("anomaly_") }.count
        #expect(anomalies >= 1 && dataset.clips.filter { $0.label == "abnormal" }.count == anomalies)
    }
}
