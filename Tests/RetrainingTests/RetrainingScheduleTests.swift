import Foundation
import Retraining
import Testing

@Suite struct RetrainingScheduleTests {
    /// 2026-11-21 08:00:00 UTC, a Saturday.
    static let saturday8am: Int64 = 1_795_248_000_000

    @Test func intervals() {
        #expect(RetrainingSchedule("90m") == .interval(seconds: 5_400))
        #expect(RetrainingSchedule("1d") == .interval(seconds: 86_400))
        let sixHours = RetrainingSchedule("6h")
        #expect(sixHours?.next(after: 1_000) == Int64(21_601_000))
        #expect(RetrainingSchedule("0h") == nil)
        #expect(RetrainingSchedule("6 hours") == nil)
    }

    /// At most a year and a day: `n × unit` past 2⁶³ s trapped the hub while it read its config, on every start.
    @Test func intervalsAreBounded() {
        #expect(RetrainingSchedule("366d") == .interval(seconds: 31_622_400))
        #expect(RetrainingSchedule("31622400s") == .interval(seconds: 31_622_400))
        #expect(RetrainingSchedule("367d") == nil)
        #expect(RetrainingSchedule("8785h") == nil)
        #expect(RetrainingSchedule("9223372036854775807d") == nil)
        #expect(RetrainingSchedule("153722867280912931m") == nil)
    }

    @Test func cronFields() throws {
        let daily = try #require(RetrainingSchedule("0 3 * * *"))
        #expect(daily.next(after: Self.saturday8am) == Self.saturday8am + 19 * 3_600_000)
        let weekdays = try #require(RetrainingSchedule("30 3 * * 1-5"))
        // Saturday 08:00 → Monday 03:30.
        #expect(weekdays.next(after: Self.saturday8am) == Self.saturday8am + (24 + 19) * 3_600_000 + 30 * 60_000)
        let quarter = try #require(RetrainingSchedule("*/15 * * * *"))
        #expect(quarter.next(after: Self.saturday8am) == Self.saturday8am + 15 * 60_000)
        #expect(RetrainingSchedule("0 0 31 2 *")?.next(after: Self.saturday8am) == nil)
        #expect(RetrainingSchedule("* * * *") == nil)
        #expect(RetrainingSchedule("0 0 * * 8") == nil)
    }

    /// cron's rule for the two day fields: either matches when both are restricted, both must match when
    /// one starts with `*`; 7 is Sunday as well as 0.
    @Test func dayOfMonthOrWeekday() throws {
        // Sat 21 Nov 08:00 → "the 25th or a Monday": Monday the 23rd at 03:00.
        let either = try #require(RetrainingSchedule("0 3 25 * 1"))
        #expect(either.next(after: Self.saturday8am) == Self.saturday8am + (24 + 19) * 3_600_000)
        let afterMonday = Self.saturday8am + (24 + 19) * 3_600_000
        // From Monday 23rd 03:00 the next is Wednesday the 25th, not the next Monday.
        #expect(either.next(after: afterMonday) == afterMonday + 2 * 86_400_000)
        // A day of month with the weekday unrestricted is just that day: the 25th.
        #expect(RetrainingSchedule("0 3 25 * *")?.next(after: Self.saturday8am) == afterMonday + 2 * 86_400_000)
        // `*/2` days (odd days) with Mondays: both must hold; Monday 23rd is odd.
        #expect(RetrainingSchedule("0 3 */2 * 1")?.next(after: Self.saturday8am) == afterMonday)
        // Sunday as 7 and as 0.
        let sunday = Self.saturday8am + 19 * 3_600_000
        #expect(RetrainingSchedule("0 3 * * 7")?.next(after: Self.saturday8am) == sunday)
        #expect(RetrainingSchedule("0 3 * * 0")?.next(after: Self.saturday8am) == sunday)
        #expect(RetrainingSchedule("0 24 * * *") == nil)
    }
}
