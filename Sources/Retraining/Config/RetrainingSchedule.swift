import Foundation

/// When a retraining family runs by itself (`retraining.families.<family>.schedule`): a fixed interval
/// (`90m`, `6h`, `1d`, `3600s`) or a five-field cron-like string (`minute hour day-of-month month
/// day-of-week`, UTC, each field `*`, `*/n`, a number, a range `a-b` or a comma list of those; day of week
/// 0 or 7 = Sunday). As in cron, when both day fields are restricted (neither starts with `*`), a day
/// matches if either does (`0 3 1 * 1`: the 1st of the month and every Monday). `Sendable`: a value type.
public enum RetrainingSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Every `seconds` after the previous scheduled job was queued.
    case interval(seconds: Int)
    /// At every minute matching the five fields (UTC; the day fields as cron combines them).
    case cron(CronFields)

    /// The five fields of a cron-like schedule, each the set of values it accepts. `Sendable`.
    public struct CronFields: Sendable, Equatable {
        /// Minutes 0–59.
        public var minutes: Set<Int>
        /// Hours 0–23.
        public var hours: Set<Int>
        /// Days of the month 1–31.
        public var days: Set<Int>
        /// Months 1–12.
        public var months: Set<Int>
        /// Days of the week 0–6, 0 = Sunday.
        public var weekdays: Set<Int>
        /// Both day fields are restricted, so a day matches when its day of month *or* its weekday does.
        public var eitherDayMatches: Bool
        /// The text it was parsed from.
        public var text: String
    }

    /// Longest interval, seconds: a year and a day. A longer one is a typo, and an interval past 2⁶³ s
    /// would overflow (`9223372036854775807d` trapped the hub while it read its config).
    public static let maximumIntervalSeconds = 366 * 86_400

    /// Parses an interval (`<n>s|m|h|d`, at most ``maximumIntervalSeconds``) or a five-field cron string;
    /// nil if it is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let n = Int(trimmed.dropLast()), n > 0 {
            let scale: Int? =
                switch unit {
                case "s": 1
                case "m": 60
                case "h": 3_600
                case "d": 86_400
                default: nil
                }
            guard let scale, n <= Self.maximumIntervalSeconds / scale else { return nil }
            self = .interval(seconds: n * scale)
            return
        }
        let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 5,
            let minutes = Self.field(parts[0], 0...59), let hours = Self.field(parts[1], 0...23),
            let days = Self.field(parts[2], 1...31), let months = Self.field(parts[3], 1...12),
            let weekdays = Self.field(parts[4], 0...7)
        else { return nil }
        self = .cron(
            CronFields(
                minutes: minutes, hours: hours, days: days, months: months, weekdays: Set(weekdays.map { $0 % 7 }),
                eitherDayMatches: !parts[2].hasPrefix("*") && !parts[4].hasPrefix("*"), text: trimmed))
    }

    /// The text form, as in the config.
    public var description: String {
        switch self {
        case .interval(let seconds): "\(seconds)s"
        case .cron(let fields): fields.text
        }
    }

    /// The first due time strictly after `last` (Unix ms): `last` + the interval, or the next matching
    /// minute; nil for a cron string that matches no date within four years (e.g. February 31).
    public func next(after lastMs: Int64) -> Int64? {
        switch self {
        case .interval(let seconds):
            return lastMs + Int64(seconds) * 1_000
        case .cron(let f):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            var minute = (lastMs / 60_000 + 1) * 60_000
            let limit = minute + 4 * 366 * 86_400_000
            while minute < limit {
                let date = Date(timeIntervalSince1970: Double(minute) / 1_000)
                let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
                let dayOfMonth = f.days.contains(c.day!)
                let weekday = f.weekdays.contains(c.weekday! - 1)
                if !f.months.contains(c.month!) || !(f.eitherDayMatches ? dayOfMonth || weekday : dayOfMonth && weekday) {
                    // Skip to the next day.
                    minute = (minute / 86_400_000 + 1) * 86_400_000
                    continue
                }
                if !f.hours.contains(c.hour!) {
                    minute = (minute / 3_600_000 + 1) * 3_600_000
                    continue
                }
                if f.minutes.contains(c.minute!) { return minute }
                minute += 60_000
            }
            return nil
        }
    }

    private static func field(_ text: String, _ range: ClosedRange<Int>) -> Set<Int>? {
        var values: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { return nil }
                step = s
            }
            let base = pieces[0]
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if let dash = base.firstIndex(of: "-") {
                guard let lo = Int(base[..<dash]), let hi = Int(base[base.index(after: dash)...]), lo <= hi else { return nil }
                bounds = lo...hi
            } else {
                guard let v = Int(base), pieces.count == 1 else { return nil }
                bounds = v...v
            }
            guard range.contains(bounds.lowerBound), range.contains(bounds.upperBound) else { return nil }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values.isEmpty ? nil : values
    }
}
