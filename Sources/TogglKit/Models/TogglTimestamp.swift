/// A point in time as the Toggl API writes it, parsed without Foundation.
///
/// The API is not consistent about the form: `2024-12-11T17:43:57.206072Z` (0 to 9 fractional
/// digits), `2024-03-17T10:55:38+00:00`, and plain dates such as a project's `start_date`
/// (`2017-08-28`, read as midnight UTC). All of them parse; the original text is kept in
/// `rawValue` and is what encoding writes back, so a round trip changes nothing.
///
/// Equality, hashing and ordering look at the instant only: `...T10:00:00Z` and
/// `...T12:00:00+02:00` are equal. Compare `rawValue` for textual identity.
public struct TogglTimestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The text exactly as received (or, for `init(secondsSinceEpoch:nanoseconds:)`, as formatted).
    public let rawValue: String
    /// Whole seconds since 1970-01-01T00:00:00Z of the instant (UTC, offset already applied).
    public let secondsSinceEpoch: Int64
    /// The fraction of the second, `0..<1_000_000_000`.
    public let nanoseconds: Int32
    /// The offset the text was written in (`+05:30` is 19800); 0 for `Z` and for plain dates.
    public let utcOffsetSeconds: Int32
    /// True for a plain `YYYY-MM-DD`, which carries no time of day.
    public let isDateOnly: Bool

    /// The seconds since the epoch this type can write: years 0000 to 9999.
    public static let representableSeconds: ClosedRange<Int64> = TimestampParser.minimumSeconds...TimestampParser.maximumSeconds

    /// Parses `YYYY-MM-DD[Tt ]HH:MM:SS[.f{1,9}](Z|z|±hh:mm|±hhmm)` or a plain `YYYY-MM-DD`.
    ///
    /// Years are 0000–9999, of the text and of the instant it names (an offset or a leap second
    /// may not carry it outside); month, day (leap years included), hour < 24, minute < 60 and
    /// second ≤ 60 are checked. A leap second (`:60`) is read as the first second of the next minute.
    /// Returns nil for anything else, including a missing zone on a date-time.
    public init?(_ string: String) {
        guard let parsed = TimestampParser.parse(Array(string.utf8)) else { return nil }
        rawValue = string
        secondsSinceEpoch = parsed.seconds
        nanoseconds = parsed.nanoseconds
        utcOffsetSeconds = parsed.offset
        isDateOnly = parsed.isDateOnly
    }

    /// The instant `secondsSinceEpoch` + `nanoseconds`, formatted in UTC like the API's own
    /// timestamps (`2024-12-11T17:43:57.206072Z`: fractional digits only as many as needed).
    ///
    /// Nanoseconds outside `0..<1_000_000_000` carry into the seconds. Instants outside
    /// years 0000–9999 cannot be written in this form and are clamped to that range.
    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        var seconds = secondsSinceEpoch
        var nanos = Int64(nanoseconds)
        let carry = floorDivide(nanos, 1_000_000_000)
        nanos -= carry * 1_000_000_000
        let (sum, overflow) = seconds.addingReportingOverflow(carry)
        seconds = overflow ? (carry < 0 ? Int64.min : Int64.max) : sum
        if seconds < TimestampParser.minimumSeconds {
            seconds = TimestampParser.minimumSeconds
            nanos = 0
        } else if seconds > TimestampParser.maximumSeconds {
            seconds = TimestampParser.maximumSeconds
            nanos = 999_999_999
        }
        self.secondsSinceEpoch = seconds
        self.nanoseconds = Int32(truncatingIfNeeded: nanos)
        utcOffsetSeconds = 0
        isDateOnly = false
        rawValue = TimestampParser.format(seconds: seconds, nanoseconds: nanos)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = TogglTimestamp(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not a timestamp (expected RFC 3339 or YYYY-MM-DD)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func == (lhs: TogglTimestamp, rhs: TogglTimestamp) -> Bool {
        lhs.secondsSinceEpoch == rhs.secondsSinceEpoch && lhs.nanoseconds == rhs.nanoseconds
    }

    public static func < (lhs: TogglTimestamp, rhs: TogglTimestamp) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(secondsSinceEpoch)
        hasher.combine(nanoseconds)
    }
}

private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

/// Proleptic Gregorian calendar arithmetic (H. Hinnant's days-from-civil) and the byte-level parser.
enum TimestampParser {
    struct Parsed {
        var seconds: Int64
        var nanoseconds: Int32
        var offset: Int32
        var isDateOnly: Bool
    }

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    static let minimumSeconds: Int64 = daysFromCivil(year: 0, month: 1, day: 1) * 86_400
    static let maximumSeconds: Int64 = daysFromCivil(year: 9999, month: 12, day: 31) * 86_400 + 86_399

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400                                          // [0, 399]
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // [0, 365]
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear   // [0, 146096]
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func parse(_ b: [UInt8]) -> Parsed? {
        var i = 0
        func digits(_ count: Int) -> Int64? {
            guard i + count <= b.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let c = b[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                value = value * 10 + Int64(c - 0x30)
                i += 1
            }
            return value
        }
        func expect(_ options: UInt8...) -> Bool {
            guard i < b.count, options.contains(b[i]) else { return false }
            i += 1
            return true
        }

        guard let year = digits(4), expect(0x2D),            // -
              let month = digits(2), expect(0x2D),
              let day = digits(2),
              (1...12).contains(month),
              day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)

        if i == b.count {
            return Parsed(seconds: days * 86_400, nanoseconds: 0, offset: 0, isDateOnly: true)
        }

        guard expect(0x54, 0x74, 0x20),                        // T t space
              let hour = digits(2), expect(0x3A),              // :
              let minute = digits(2), expect(0x3A),
              let second = digits(2),
              hour < 24, minute < 60, second <= 60
        else { return nil }

        var nanos: Int64 = 0
        if expect(0x2E) {                                      // .
            var count = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int64(b[i] - 0x30)
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }

        var offset: Int64 = 0
        if expect(0x5A, 0x7A) {                                // Z z
            offset = 0
        } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {  // + -
            let sign: Int64 = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let offsetHours = digits(2) else { return nil }
            _ = expect(0x3A)
            guard let offsetMinutes = digits(2), offsetHours < 24, offsetMinutes < 60 else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }

        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        // The instant, not only the text's year, must lie in 0000-9999 (`0000-01-01T00:00:00+00:01`
        // is earlier), or formatting it would clamp and a round trip would change it.
        guard (minimumSeconds...maximumSeconds).contains(local - offset) else { return nil }
        return Parsed(seconds: local - offset, nanoseconds: Int32(nanos), offset: Int32(offset), isDateOnly: false)
    }

    static func format(seconds: Int64, nanoseconds: Int64) -> String {
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let date = civilFromDays(days)
        var text = pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if nanoseconds > 0 {
            var fraction = pad(nanoseconds, 9)
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
