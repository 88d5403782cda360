import HubCore

/// A Unix time broken into UTC calendar fields with integer arithmetic (Howard Hinnant's
/// `civil_from_days`), for axis labels that need several formats without a `DateFormatter` each.
///
/// `Sendable`: a value type.
struct UTCTime: Sendable, Equatable {
    /// The label formats the dashboard's axes use.
    enum Format: Sendable {
        /// `HH:mm`.
        case hourMinute
        /// `MM-dd HH:mm`.
        case monthDayHourMinute
        /// `MM-dd`.
        case monthDay
        /// `yyyy-MM-dd`.
        case date
    }

    /// Year, e.g. 2026.
    let year: Int64
    /// Month, 1…12.
    let month: Int64
    /// Day of the month, 1…31.
    let day: Int64
    /// Hour, 0…23.
    let hour: Int64
    /// Minute, 0…59.
    let minute: Int64

    /// The UTC fields of `ms`, clamped into ``TimeRange``'s window first (so any `Int64` is safe).
    init(ms: Int64) {
        let ms = TimeRange.clamp(ms)
        let days = ms / 86_400_000
        let minuteOfDay = ms % 86_400_000 / 60_000
        (hour, minute) = (minuteOfDay / 60, minuteOfDay % 60)
        // days ≥ 0 here, so the era arithmetic needs no negative branch.
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The time as `format` says.
    func formatted(_ format: Format) -> String {
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        switch format {
        case .hourMinute: return "\(two(hour)):\(two(minute))"
        case .monthDayHourMinute: return "\(two(month))-\(two(day)) \(two(hour)):\(two(minute))"
        case .monthDay: return "\(two(month))-\(two(day))"
        case .date: return "\(year)-\(two(month))-\(two(day))"
        }
    }
}
