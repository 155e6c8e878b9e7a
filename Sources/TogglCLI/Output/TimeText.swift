#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import TogglKit

/// Times as a person reads them: spans ("23 min"), ages ("14 min ago"), clock times of this
/// machine ("at 14:05"), and the server's timestamps in UTC.
enum TimeText {
    /// "45 s", "23 min", "2 h 5 min", "3 days": rounded up below two hours, so that a wait is
    /// never shown shorter than it is.
    static func span(seconds: Int64) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(seconds) s" }
        let minutes = (seconds + 59) / 60
        if minutes < 120 { return "\(minutes) min" }
        if minutes < 48 * 60 { return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / (24 * 60)) days"
    }

    /// "14 min ago", "just now"; an age is rounded down (it is at least that old).
    static func ago(seconds: Int64) -> String {
        if seconds < 5 { return "just now" }
        if seconds < 60 { return "\(seconds) s ago" }
        let minutes = seconds / 60
        if minutes < 120 { return "\(minutes) min ago" }
        if minutes < 48 * 60 { return "\(minutes / 60) h ago" }
        return "\(minutes / (24 * 60)) days ago"
    }

    /// "resets in 23 min (at 14:05)": the span, and the local clock time it ends.
    static func resetsIn(seconds: Int64) -> String {
        "resets in \(span(seconds: seconds)) (at \(clockTime(secondsFromNow: seconds)))"
    }

    /// This machine's local time `seconds` from now: "14:05", with the date when not today.
    static func clockTime(secondsFromNow seconds: Int64) -> String {
        var now = time(nil)
        var then = now + time_t(max(0, seconds))
        var today = tm()
        var moment = tm()
        guard localtime_r(&now, &today) != nil, localtime_r(&then, &moment) != nil else { return "?" }
        let sameDay = today.tm_year == moment.tm_year && today.tm_yday == moment.tm_yday
        return format(&moment, sameDay ? "%H:%M" : "%Y-%m-%d %H:%M")
    }

    /// A server timestamp as "2024-12-11 17:43" in UTC (the server's own zone may differ per
    /// value; one zone keeps a column comparable). Plain dates stay dates.
    static func utc(_ timestamp: TogglTimestamp?) -> String {
        guard let timestamp else { return "" }
        if timestamp.isDateOnly { return timestamp.rawValue }
        var seconds = time_t(timestamp.secondsSinceEpoch)
        var moment = tm()
        guard gmtime_r(&seconds, &moment) != nil else { return timestamp.rawValue }
        return format(&moment, "%Y-%m-%d %H:%M")
    }

    /// A duration in seconds as "1:02:03"; nil for a running entry (negative in the API).
    static func clock(seconds: Int64) -> String {
        let hours = seconds / 3600
        let minutes = (seconds % 3600) / 60
        let rest = seconds % 60
        return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(rest < 10 ? "0" : "")\(rest)"
    }

    private static func format(_ moment: inout tm, _ pattern: String) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, pattern, &moment)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
