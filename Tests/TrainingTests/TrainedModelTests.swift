import Foundation
import Testing

@testable import Training

@Suite struct TrainedModelTests {
    func model() throws -> TrainedModel {
        let graph = try Network(graph: try Backbone.resnetSmall.graph(inputShape: [16, 12, 1], outputs: 4, head: .softmax), seed: 3)
            .exportGraph()
        return TrainedModel(
            task: .multiclass, labels: ["valve", "fan", "slider", "pump"], configYAML: "architecture: {}\n", graph: graph,
            threshold: 0.5, metrics: ["test.accuracy": 0.9], createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func roundTripsExactly() throws {
        let original = try model()
        let decoded = try TrainedModel(data: try original.encoded())
        #expect(decoded == original)
    }

    @Test(arguments: ["truncated", "bad magic", "future version", "corrupt manifest", "extra bytes"])
    func rejectsMalformedFiles(_ damage: String) throws {
        var bytes = [UInt8](try model().encoded())
        switch damage {
        case "truncated": bytes.removeLast(10)
        case "bad magic": bytes[0] = 0x58
        case "future version": bytes[8] = 2
        case "corrupt manifest": bytes[20] = 0x7B
        default: bytes += [0, 0, 0, 0]
        }
        #expect(throws: TrainingError.self) { try TrainedModel(data: Data(bytes)) }
    }
}
