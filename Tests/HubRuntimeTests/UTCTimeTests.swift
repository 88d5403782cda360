import Foundation
import Testing

@testable import HubCore
@testable import HubWeb

/// The integer calendar arithmetic against Foundation's UTC `DateFormatter`, across leap days,
/// century years and the ends of ``TimeRange``'s window.
@Suite struct UTCTimeTests {
    @Test func fieldsMatchFoundation() {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var instants: [Int64] = [0, 59_999, 60_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, TimeRange.latestMs]
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.append(Int64(state >> 1) % TimeRange.latestMs)
        }
        for ms in instants {
            let time = UTCTime(ms: ms)
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(ms / 60_000 * 60)))
            #expect("\(time.formatted(.date)) \(time.formatted(.hourMinute))" == expected, "\(ms)")
        }
    }

    @Test func formats() {
        let time = UTCTime(ms: 1_796_492_483_456)  // 2026-12-05 17:41:23.456
        #expect(time.formatted(.hourMinute) == "17:41")
        #expect(time.formatted(.monthDayHourMinute) == "12-05 17:41")
        #expect(time.formatted(.monthDay) == "12-05")
        #expect(time.formatted(.date) == "2026-12-05")
    }

    @Test func outOfWindowInstantsAreClamped() {
        #expect(UTCTime(ms: .min) == UTCTime(ms: 0))
        #expect(UTCTime(ms: .max).formatted(.date) == "9999-12-31")
    }
}
