import Foundation
import NumPy
import Testing

@testable import Training

@Suite struct LabeledDataTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-labeled-\(UUID().uuidString)")

    func write(_ array: NumPyArray, _ name: String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try array.write(to: path)
        return path
    }

    @Test func loadsFeaturesIntoTheModelShapeAndBothLabelEncodings() throws {
        let x = try write(try NumPyArray(shape: [3, 4], float32: (0..<12).map(Float.init)), "x.npy")
        let features = try LabeledData.loadFeatures(x, inputShape: [4, 1])
        #expect(features.shape == [3, 4, 1])
        let oneHot = try write(try NumPyArray(shape: [3, 2], float32: [1, 0, 0, 1, 0, 1]), "y1.npy")
        let indices = try write(try NumPyArray(shape: [3], elements: .int64([0, 1, 1])), "y2.npy")
        #expect(try LabeledData.loadLabels(oneHot, classCount: 2) == LabeledData.loadLabels(indices, classCount: 2))
    }

    @Test func rejectsMismatchedFiles() throws {
        let x = try write(try NumPyArray(shape: [3, 5], float32: .init(repeating: 0, count: 15)), "x.npy")
        #expect(throws: TrainingError.self) { try LabeledData.loadFeatures(x, inputShape: [4, 1]) }
        let bad = try write(try NumPyArray(shape: [2], elements: .int64([0, 3])), "y.npy")
        #expect(throws: TrainingError.self) { try LabeledData.loadLabels(bad, classCount: 2) }
        #expect(throws: TrainingError.self) {
            try LabeledData(features: Tensor(shape: [3, 4]), targets: Tensor(shape: [2, 2]))
        }
    }
}
