import Foundation
import Hummingbird
import Testing

@testable import HubCore
@testable import HubWeb

/// The hand-written JSON of `GET /api/v1/anomaly-rate` decodes to exactly the values it was
/// built from, with keys in `JSONEncoder`'s sorted order and every string escaped.
struct AnomalyRateResponseTests {
    struct Decoded: Decodable, Equatable {
        let level: String
        let key: String
        let fromMs: Int64
        let toMs: Int64
        let bucketMinutes: Int
        let points: [AnomalyRatePoint]
    }

    static func decode(_ response: AnomalyRateResponse) throws -> (Decoded, String) {
        let text = String(buffer: response.jsonBytes())
        return (try JSONDecoder().decode(Decoded.self, from: Data(text.utf8)), text)
    }

    @Test func decodesToTheSameValues() throws {
        let points = [
            AnomalyRatePoint(
                bucketStartMs: 1_800_000_000_000, count: 231, anomalous: 9, meanScore: 0.49601996892934036, maxScore: 0.9945840162479512),
            AnomalyRatePoint(bucketStartMs: -60_000, count: 1, anomalous: 1, meanScore: 1, maxScore: 1e-300),
            AnomalyRatePoint(bucketStartMs: 0, count: 3, anomalous: 0, meanScore: 0.1 + 0.2, maxScore: 123_456_789.5),
        ]
        let key = "plant \"a\"/line\\1\n\t\u{1}é"
        let (decoded, text) = try Self.decode(
            AnomalyRateResponse(level: "line", key: key, fromMs: -5, toMs: 9_000, bucketMinutes: 7, points: points))
        #expect(decoded == Decoded(level: "line", key: key, fromMs: -5, toMs: 9_000, bucketMinutes: 7, points: points))
        #expect(text.hasPrefix("{\"bucketMinutes\":7,\"fromMs\":-5,\"key\":"))
        #expect(text.contains("\"points\":[{\"anomalous\":9,\"bucketStartMs\":1800000000000,\"count\":231,\"maxScore\":"))
    }

    @Test func emptySeries() throws {
        let (decoded, text) = try Self.decode(
            AnomalyRateResponse(level: "fleet", key: "", fromMs: 0, toMs: 60_000, bucketMinutes: 1, points: []))
        #expect(decoded.points.isEmpty)
        #expect(text == "{\"bucketMinutes\":1,\"fromMs\":0,\"key\":\"\",\"level\":\"fleet\",\"points\":[],\"toMs\":60000}")
    }
}
