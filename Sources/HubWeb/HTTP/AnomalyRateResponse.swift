import HubCore
import Hummingbird

/// `GET /api/v1/anomaly-rate`.
///
/// Serialised by hand (``jsonBytes()``), not with `JSONEncoder`: thirty days at one-minute
/// buckets are 43,200 points (5 MB of JSON); with `JSONEncoder` that took most of the 222 ms
/// median the query needed on the 2-core benchmark machine (`bench/hub/query`), twice its
/// 100 ms budget. The document is the one
/// `JSONEncoder` with `.sortedKeys` writes, up to number formatting and `/` escaping.
struct AnomalyRateResponse {
    let level: String
    let key: String
    let fromMs: Int64
    let toMs: Int64
    let bucketMinutes: Int
    let points: [AnomalyRatePoint]

    /// The response as UTF-8 JSON, keys sorted. A non-finite score (which no valid verdict
    /// carries) is written as `null`.
    func jsonBytes() -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(160 + points.count * 120)
        out.writeString("{\"bucketMinutes\":\(bucketMinutes),\"fromMs\":\(fromMs),\"key\":")
        Self.writeJSONString(key, to: &out)
        out.writeString(",\"level\":")
        Self.writeJSONString(level, to: &out)
        out.writeString(",\"points\":[")
        for (index, point) in points.enumerated() {
            if index > 0 { out.writeString(",") }
            out.writeString(
                "{\"anomalous\":\(point.anomalous),\"bucketStartMs\":\(point.bucketStartMs),\"count\":\(point.count),\"maxScore\":")
            Self.writeJSONNumber(point.maxScore, to: &out)
            out.writeString(",\"meanScore\":")
            Self.writeJSONNumber(point.meanScore, to: &out)
            out.writeString("}")
        }
        out.writeString("],\"toMs\":\(toMs)}")
        return out
    }

    private static func writeJSONNumber(_ value: Double, to out: inout ByteBuffer) {
        // Swift's description is the shortest representation that round-trips, and valid JSON when finite.
        out.writeString(value.isFinite ? value.description : "null")
    }

    private static func writeJSONString(_ value: String, to out: inout ByteBuffer) {
        out.writeString("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.writeString("\\\"")
            case "\\": out.writeString("\\\\")
            case "\n": out.writeString("\\n")
            case "\r": out.writeString("\\r")
            case "\t": out.writeString("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.writeString("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.writeString(String(scalar))
            }
        }
        out.writeString("\"")
    }
}
