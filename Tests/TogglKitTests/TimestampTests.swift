import Testing
import TogglKit

// Reference instant used throughout: 2024-12-11T17:43:57Z.
// By hand: 1970-01-01 → 2024-01-01 is 54 years with 13 leap days (1972…2020): 54·365 + 13 = 19723 days.
// Jan…Nov 2024 (leap year) = 31+29+31+30+31+30+31+31+30+31+30 = 335 days, plus 10 for Dec 11 → day 20068.
// 20068 · 86400 = 1_733_875_200; 17:43:57 = 63_837 s → 1_733_939_037.
private let dec11Midnight: Int64 = 1_733_875_200
private let dec11At174357: Int64 = 1_733_939_037

@Suite("TogglTimestamp")
struct TimestampTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        let text: String
        let seconds: Int64
        let nanos: Int32
        let offset: Int32
        var dateOnly = false
        var testDescription: String { text }
    }

    static let accepted: [Accepted] = [
        // fractional digits: 0, 1, 3, 4, 6, 9
        .init(text: "2024-12-11T17:43:57Z", seconds: dec11At174357, nanos: 0, offset: 0),
        .init(text: "2024-12-11T17:43:57.2Z", seconds: dec11At174357, nanos: 200_000_000, offset: 0),
        .init(text: "2024-12-11T17:43:57.206Z", seconds: dec11At174357, nanos: 206_000_000, offset: 0),
        .init(text: "2020-01-02T03:04:05.6789Z", seconds: 1_577_934_245, nanos: 678_900_000, offset: 0),
        .init(text: "2024-12-11T17:43:57.206072Z", seconds: dec11At174357, nanos: 206_072_000, offset: 0),
        .init(text: "2024-12-11T17:43:57.206072123Z", seconds: dec11At174357, nanos: 206_072_123, offset: 0),
        .init(text: "2024-12-11T17:43:57.000000001Z", seconds: dec11At174357, nanos: 1, offset: 0),
        .init(text: "2024-12-11T17:43:57.999999999Z", seconds: dec11At174357, nanos: 999_999_999, offset: 0),
        // offsets: +00:00, -00:00, -05:30 (UTC = local + 5:30), +05:30, compact ±hhmm
        .init(text: "2024-12-11T17:43:57+00:00", seconds: dec11At174357, nanos: 0, offset: 0),
        .init(text: "2024-12-11T17:43:57-00:00", seconds: dec11At174357, nanos: 0, offset: 0),
        .init(text: "2024-12-11T12:13:57-05:30", seconds: dec11At174357, nanos: 0, offset: -19_800),
        .init(text: "2024-12-11T23:13:57.5+05:30", seconds: dec11At174357, nanos: 500_000_000, offset: 19_800),
        .init(text: "2024-12-11T23:13:57+0530", seconds: dec11At174357, nanos: 0, offset: 19_800),
        .init(text: "2024-12-11T12:13:57-0530", seconds: dec11At174357, nanos: 0, offset: -19_800),
        .init(text: "2024-12-12T07:43:57+14:00", seconds: dec11At174357, nanos: 0, offset: 50_400),
        // offset moves the instant into the previous day and year: 2023-12-31T23:30:00Z
        .init(text: "2024-01-01T00:30:00+01:00", seconds: 1_704_065_400, nanos: 0, offset: 3600),
        // lowercase t / z, and a space instead of T
        .init(text: "2024-12-11t17:43:57z", seconds: dec11At174357, nanos: 0, offset: 0),
        .init(text: "2024-12-11 17:43:57.206072Z", seconds: dec11At174357, nanos: 206_072_000, offset: 0),
        // plain dates: midnight UTC
        .init(text: "2024-12-11", seconds: dec11Midnight, nanos: 0, offset: 0, dateOnly: true),
        .init(text: "2017-08-28", seconds: 1_503_878_400, nanos: 0, offset: 0, dateOnly: true),
        // epoch and just before it (the fraction stays positive, the seconds go negative)
        .init(text: "1970-01-01T00:00:00Z", seconds: 0, nanos: 0, offset: 0),
        .init(text: "1970-01-01", seconds: 0, nanos: 0, offset: 0, dateOnly: true),
        .init(text: "1969-12-31T23:59:59.5Z", seconds: -1, nanos: 500_000_000, offset: 0),
        // leap days: 2024 (÷4), 2000 (÷400); 2024-02-29 = 19723 + 31 + 28 days = 19782 · 86400
        .init(text: "2024-02-29", seconds: 1_709_164_800, nanos: 0, offset: 0, dateOnly: true),
        .init(text: "2024-02-29T23:59:59Z", seconds: 1_709_251_199, nanos: 0, offset: 0),
        .init(text: "2000-02-29", seconds: 951_782_400, nanos: 0, offset: 0, dateOnly: true),
        .init(text: "2000-03-01T00:00:00Z", seconds: 951_868_800, nanos: 0, offset: 0),
        .init(text: "1900-03-01", seconds: -2_203_891_200, nanos: 0, offset: 0, dateOnly: true),
        // a leap second reads as the first second of the next minute (2017-01-01T00:00:00Z)
        .init(text: "2016-12-31T23:59:60Z", seconds: 1_483_228_800, nanos: 0, offset: 0),
        // the ends of the four-digit range (year 0 is a leap year: 0001-01-01 is -62135596800)
        .init(text: "0000-01-01T00:00:00Z", seconds: -62_167_219_200, nanos: 0, offset: 0),
        .init(text: "0001-01-01", seconds: -62_135_596_800, nanos: 0, offset: 0, dateOnly: true),
        .init(text: "9999-12-31T23:59:59.999999999Z", seconds: 253_402_300_799, nanos: 999_999_999, offset: 0),
        // real samples
        .init(text: "2016-03-20T20:40:08.017845Z", seconds: 1_458_506_408, nanos: 17_845_000, offset: 0),
        .init(text: "2024-12-15T23:18:30.62207Z", seconds: 1_734_304_710, nanos: 622_070_000, offset: 0),
        .init(text: "2024-03-17T10:55:38+00:00", seconds: 1_710_672_938, nanos: 0, offset: 0),
    ]

    @Test(arguments: accepted)
    func parsesAcceptedForm(_ expected: Accepted) throws {
        let ts = try #require(TogglTimestamp(expected.text))
        #expect(ts.rawValue == expected.text)
        #expect(ts.description == expected.text)
        #expect(ts.secondsSinceEpoch == expected.seconds)
        #expect(ts.nanoseconds == expected.nanos)
        #expect(ts.utcOffsetSeconds == expected.offset)
        #expect(ts.isDateOnly == expected.dateOnly)
    }

    static let rejected: [String] = [
        "", " ", "2024", "2024-12", "2024-12-1", "2024-1-01", "24-12-11", "+2024-12-11", "2024/12/11",
        "20241211", "20241211T174357Z", " 2024-12-11", "2024-12-11 ", "2024-12-11\n",
        "2024-12-11T", "2024-12-11T17", "2024-12-11T17:43", "2024-12-11T17:43Z", "2024-12-11T17:43:5Z",
        "2024-12-11X17:43:57Z", "2024-12-11T17-43-57Z",
        // no zone on a date-time
        "2024-12-11T17:43:57", "2024-12-11T17:43:57.206072",
        // fraction: a dot without digits, 10 digits, a comma, a stray space
        "2024-12-11T17:43:57.Z", "2024-12-11T17:43:57.1234567890Z", "2024-12-11T17:43:57,5Z",
        "2024-12-11T17:43:57.5 Z", "2024-12-11T17:43:57 Z",
        // zones
        "2024-12-11T17:43:57+05", "2024-12-11T17:43:57+5:30", "2024-12-11T17:43:57+05:3",
        "2024-12-11T17:43:57+24:00", "2024-12-11T17:43:57+05:60", "2024-12-11T17:43:57+05:30:00",
        "2024-12-11T17:43:57UTC", "2024-12-11T17:43:57ZZ", "2024-12-11T17:43:57Zjunk", "2024-12-11T17:43:57 +00:00",
        // ranges
        "2024-00-10", "2024-13-01", "2024-12-00", "2024-12-32", "2024-04-31", "2024-06-31",
        "2023-02-29", "1900-02-29", "2100-02-29", "2024-02-30",
        "2024-12-11T24:00:00Z", "2024-12-11T23:60:00Z", "2024-12-11T23:59:61Z", "2024-12-11T99:00:00Z",
        // not ASCII digits
        "２０２４-12-11", "2024-12-1١", "not a date", "null",
    ]

    @Test(arguments: rejected)
    func rejectsMalformedForm(_ text: String) {
        #expect(TogglTimestamp(text) == nil)
    }

    /// Every day from 1899-12-25 to 2101-01-05, walked with a naive calendar, must parse to
    /// `days · 86400` and format back to the same date.
    @Test func civilCalendarMatchesDayByDayWalk() throws {
        func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
        func monthLength(_ y: Int, _ m: Int) -> Int {
            [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        // 1899-12-25 is 25_574 days before 1970-01-01 (70 years · 365 + 17 leap days + 7).
        var (year, month, day) = (1899, 12, 25)
        var days: Int64 = -(70 * 365 + 17 + 7)
        var checked = 0
        while (year, month, day) <= (2101, 1, 5) {
            let text = "\(year)-\(two(month))-\(two(day))"
            let parsed = try #require(TogglTimestamp(text), "\(text)")
            if parsed.secondsSinceEpoch != days * 86_400 {
                Issue.record("\(text): \(parsed.secondsSinceEpoch) != \(days * 86_400)")
                return
            }
            let formatted = TogglTimestamp(secondsSinceEpoch: days * 86_400 + 45_296, nanoseconds: 0)
            if formatted.rawValue != text + "T12:34:56Z" {
                Issue.record("\(days): formatted \(formatted.rawValue), expected \(text)T12:34:56Z")
                return
            }
            checked += 1
            days += 1
            day += 1
            if day > monthLength(year, month) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        #expect(checked == 73_426)
        #expect(TogglTimestamp("1970-01-01")?.secondsSinceEpoch == 0)
    }

    @Test func sameInstantInDifferentFormsIsEqual() throws {
        let forms = [
            "2024-12-11T17:43:57Z", "2024-12-11T17:43:57+00:00", "2024-12-11T12:13:57-05:30",
            "2024-12-11T23:13:57+0530", "2024-12-11t17:43:57.000z", "2024-12-11 17:43:57.000000000Z",
        ]
        let parsed = try forms.map { try #require(TogglTimestamp($0)) }
        for ts in parsed {
            #expect(ts == parsed[0])
            #expect(ts.hashValue == parsed[0].hashValue)
            #expect(!(ts < parsed[0]) && !(parsed[0] < ts))
        }
        #expect(Set(parsed).count == 1)
        // ...but the raw text of each is kept
        #expect(Set(parsed.map(\.rawValue)).count == forms.count)
        // a date equals midnight UTC of that day
        #expect(TogglTimestamp("2024-12-11") == TogglTimestamp("2024-12-11T00:00:00Z"))
    }

    @Test func ordersByInstantNotByText() throws {
        let texts = [
            "2024-12-11T17:43:57.5Z",          // 17:43:57.5
            "2024-12-11T12:13:57-05:30",       // 17:43:57
            "2024-12-11T18:00:00+01:00",       // 17:00:00
            "2024-12-11",                      // 00:00:00
            "1969-12-31T23:59:59.999999999Z",  // just before the epoch
            "2024-12-11T17:43:57.000000001Z",  // 17:43:57 + 1 ns
        ]
        let sorted = try texts.map { try #require(TogglTimestamp($0)) }.sorted()
        #expect(sorted.map(\.rawValue) == [
            "1969-12-31T23:59:59.999999999Z",
            "2024-12-11",
            "2024-12-11T18:00:00+01:00",
            "2024-12-11T12:13:57-05:30",
            "2024-12-11T17:43:57.000000001Z",
            "2024-12-11T17:43:57.5Z",
        ])
        let a = try #require(TogglTimestamp("2024-12-11T17:43:57.206071Z"))
        let b = try #require(TogglTimestamp("2024-12-11T17:43:57.206072Z"))
        #expect(a < b)
        #expect(b > a)
        #expect(a <= a)
        #expect(max(a, b) == b)
    }

    @Test func formatsCanonicalUTC() {
        #expect(TogglTimestamp(secondsSinceEpoch: dec11At174357).rawValue == "2024-12-11T17:43:57Z")
        #expect(TogglTimestamp(secondsSinceEpoch: dec11At174357, nanoseconds: 206_072_000).rawValue
                == "2024-12-11T17:43:57.206072Z")
        #expect(TogglTimestamp(secondsSinceEpoch: dec11At174357, nanoseconds: 500_000_000).rawValue
                == "2024-12-11T17:43:57.5Z")
        #expect(TogglTimestamp(secondsSinceEpoch: dec11At174357, nanoseconds: 1).rawValue
                == "2024-12-11T17:43:57.000000001Z")
        #expect(TogglTimestamp(secondsSinceEpoch: 0).rawValue == "1970-01-01T00:00:00Z")
        #expect(TogglTimestamp(secondsSinceEpoch: -1, nanoseconds: 500_000_000).rawValue == "1969-12-31T23:59:59.5Z")
        #expect(TogglTimestamp(secondsSinceEpoch: 951_782_400).rawValue == "2000-02-29T00:00:00Z")
        #expect(TogglTimestamp(secondsSinceEpoch: -2_203_891_200).rawValue == "1900-03-01T00:00:00Z")

        let made = TogglTimestamp(secondsSinceEpoch: 1_709_251_199, nanoseconds: 123_456_789)
        #expect(made.rawValue == "2024-02-29T23:59:59.123456789Z")
        #expect(made.utcOffsetSeconds == 0)
        #expect(!made.isDateOnly)
    }

    @Test func normalizesAndClampsWhenFormatting() {
        let carried = TogglTimestamp(secondsSinceEpoch: 10, nanoseconds: 1_500_000_000)
        #expect(carried.secondsSinceEpoch == 11)
        #expect(carried.nanoseconds == 500_000_000)
        let borrowed = TogglTimestamp(secondsSinceEpoch: 0, nanoseconds: -1)
        #expect(borrowed.secondsSinceEpoch == -1)
        #expect(borrowed.nanoseconds == 999_999_999)
        #expect(borrowed.rawValue == "1969-12-31T23:59:59.999999999Z")

        let high = TogglTimestamp(secondsSinceEpoch: .max, nanoseconds: .max)
        #expect(high.rawValue == "9999-12-31T23:59:59.999999999Z")
        #expect(high.secondsSinceEpoch == 253_402_300_799)
        let low = TogglTimestamp(secondsSinceEpoch: .min, nanoseconds: .min)
        #expect(low.rawValue == "0000-01-01T00:00:00Z")
        #expect(low.secondsSinceEpoch == -62_167_219_200)
        #expect(low.nanoseconds == 0)
    }

    @Test(arguments: accepted)
    func roundTripsThroughCanonicalForm(_ expected: Accepted) throws {
        let parsed = try #require(TogglTimestamp(expected.text))
        let canonical = TogglTimestamp(secondsSinceEpoch: parsed.secondsSinceEpoch, nanoseconds: parsed.nanoseconds)
        let reparsed = try #require(TogglTimestamp(canonical.rawValue))
        #expect(reparsed == parsed)
        #expect(reparsed.rawValue == canonical.rawValue)
        #expect(reparsed.secondsSinceEpoch == parsed.secondsSinceEpoch)
        #expect(reparsed.nanoseconds == parsed.nanoseconds)
        #expect(reparsed.rawValue.hasSuffix("Z"))
    }

    @Test func decodesFromJSONStringKeepingRawText() throws {
        let ts = try TogglJSON.decode(TogglTimestamp.self, from: Array(#""2024-12-11T12:13:57-05:30""#.utf8))
        #expect(ts.rawValue == "2024-12-11T12:13:57-05:30")
        #expect(ts.secondsSinceEpoch == dec11At174357)
        #expect(ts.utcOffsetSeconds == -19_800)

        let list = try TogglJSON.decode([TogglTimestamp?].self,
                                        from: Array(#"["2017-08-28", null, "2024-12-11T17:43:57Z"]"#.utf8))
        #expect(list.count == 3)
        #expect(list[0]?.isDateOnly == true)
        #expect(list[1] == nil)
        #expect(list[2]?.secondsSinceEpoch == dec11At174357)
    }

    @Test func unparseableJSONStringIsADecodeError() throws {
        do {
            _ = try TogglJSON.decode(TogglTimestamp.self, from: Array(#""2024-13-01T00:00:00Z""#.utf8))
            Issue.record("expected a decode error")
        } catch {
            #expect(error.code == .decode)
            #expect(error.message.contains("2024-13-01T00:00:00Z"))
            #expect(error.message.contains("not a timestamp"))
        }
        #expect(throws: TogglError.self) { try TogglJSON.decode(TogglTimestamp.self, from: Array("1733939037".utf8)) }
        #expect(throws: TogglError.self) { try TogglJSON.decode(TogglTimestamp.self, from: Array("null".utf8)) }
    }

    /// The underlying Swift error is `DecodingError.dataCorrupted` (seen through a plain Decoder).
    @Test func unparseableStringThrowsDataCorrupted() {
        let decoder = StringDecoder(value: "yesterday")
        do {
            _ = try TogglTimestamp(from: decoder)
            Issue.record("expected DecodingError.dataCorrupted")
        } catch let error as DecodingError {
            guard case .dataCorrupted(let context) = error else {
                Issue.record("wrong DecodingError: \(error)")
                return
            }
            #expect(context.debugDescription.contains("yesterday"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func encodesTheRawText() throws {
        for text in ["2024-12-11T12:13:57-05:30", "2017-08-28", "2024-12-11t17:43:57.5z"] {
            let ts = try #require(TogglTimestamp(text))
            let encoder = StringCaptureEncoder()
            try ts.encode(to: encoder)
            #expect(encoder.box.value == text)
        }
    }
}

// MARK: - Minimal single-string Decoder/Encoder, to test Codable without any JSON library

private struct StringDecoder: Decoder, SingleValueDecodingContainer {
    let value: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "string only"))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "string only"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let string = value as? T else {
            throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "string only"))
        }
        return string
    }
}

private final class StringBox { var value: String? }

private struct StringCaptureEncoder: Encoder, SingleValueEncodingContainer {
    let box = StringBox()
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        fatalError("TogglTimestamp must encode as a single value")
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        fatalError("TogglTimestamp must encode as a single value")
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }
    mutating func encodeNil() throws { box.value = nil }
    mutating func encode<T: Encodable>(_ value: T) throws {
        guard let string = value as? String else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "string only"))
        }
        box.value = string
    }
}
