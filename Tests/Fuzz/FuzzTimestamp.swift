// libFuzzer target: TogglTimestamp parsing and formatting.
//
// 1. The input as UTF-8 text (invalid sequences repaired, as String(decoding:) does) goes to
//    `TogglTimestamp.init?(_:)`. When it parses, formatting its instant with
//    `init(secondsSinceEpoch:nanoseconds:)` must give a `rawValue` that parses back to the same
//    instant: `==`, the same `secondsSinceEpoch` and the same `nanoseconds`.
// 2. The first 12 bytes, read as a little-endian Int64 and Int32, go to
//    `init(secondsSinceEpoch:nanoseconds:)` (which carries nanoseconds into seconds and clamps to
//    years 0000-9999). Its `rawValue` must parse, back to an equal instant, and the fields must be
//    in range (nanoseconds in 0..<1_000_000_000, UTC offset 0, not date-only).
// Any violation traps with a message naming the input.
//
// Finding `timestamp-range`, fixed in 5eb8c64 (regressions/FuzzTimestamp keeps it so): the parser
// accepted texts whose year is in 0000-9999 but whose instant is not, once the offset or a leap
// second is applied ("0000-01-01T00:00:00+00:01", "9999-12-31T23:59:60Z"); the formatter clamps
// those, so the round trip changed the instant. To fuzz an older commit past it, put
// `timestamp-range` in FUZZ_TOLERATE (a comma- or space-separated list): such an instant must
// then format as the clamped one.

@testable import TogglKit
#if canImport(Glibc)
import Glibc
#endif

private let tolerateRange: Bool = (getenv("FUZZ_TOLERATE").map { String(cString: $0) } ?? "")
    .split(whereSeparator: { $0 == "," || $0 == " " }).contains("timestamp-range")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)

    // 1. Parse, format, parse again.
    let text = String(decoding: bytes, as: UTF8.self)
    if let parsed = TogglTimestamp(text) {
        checkRoundTrip(parsed, text)
    }

    // 2. Format an arbitrary (seconds, nanoseconds) pair, parse it back.
    if size >= 12 {
        let raw = UnsafeRawBufferPointer(bytes)
        let seconds = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        let nanoseconds = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        let formatted = TogglTimestamp(secondsSinceEpoch: seconds, nanoseconds: nanoseconds)
        func input() -> String { "init(secondsSinceEpoch: \(seconds), nanoseconds: \(nanoseconds))" }
        check((0..<1_000_000_000).contains(formatted.nanoseconds), "nanoseconds out of range: \(formatted.nanoseconds)", input())
        check(formatted.utcOffsetSeconds == 0 && !formatted.isDateOnly, "not a UTC date-time", input())
        guard let reparsed = TogglTimestamp(formatted.rawValue) else {
            fail("its rawValue \"\(formatted.rawValue)\" does not parse", input())
        }
        check(reparsed == formatted && reparsed.secondsSinceEpoch == formatted.secondsSinceEpoch
                && reparsed.nanoseconds == formatted.nanoseconds,
              "\"\(formatted.rawValue)\" (\(formatted.secondsSinceEpoch) s, \(formatted.nanoseconds) ns) parses back as (\(reparsed.secondsSinceEpoch) s, \(reparsed.nanoseconds) ns)",
              input())
        // The instant is the one asked for (nanoseconds carried into seconds), clamped to the range.
        let total = Int128(seconds) * 1_000_000_000 + Int128(nanoseconds)
        let expected = min(max(total, minimum), maximum)
        let got = nanosecondsSinceEpoch(formatted)
        check(got == expected, "the instant is \(got) ns, expected \(expected) ns", input())
    }
    return 0
}

private func checkRoundTrip(_ parsed: TogglTimestamp, _ text: String) {
    check(parsed.rawValue == text, "rawValue is not the parsed text", text)
    check((0..<1_000_000_000).contains(parsed.nanoseconds), "nanoseconds out of range: \(parsed.nanoseconds)", text)
    let formatted = TogglTimestamp(secondsSinceEpoch: parsed.secondsSinceEpoch, nanoseconds: parsed.nanoseconds)
    let instant = nanosecondsSinceEpoch(parsed)
    if tolerateRange, instant < minimum || instant > maximum {
        check(nanosecondsSinceEpoch(formatted) == min(max(instant, minimum), maximum),
              "an out-of-range instant (\(instant) ns) formats as \"\(formatted.rawValue)\", not the clamped one", text)
        return
    }
    guard let reparsed = TogglTimestamp(formatted.rawValue) else {
        fail("the formatted \"\(formatted.rawValue)\" does not parse", text)
    }
    check(reparsed == parsed && reparsed.secondsSinceEpoch == parsed.secondsSinceEpoch
            && reparsed.nanoseconds == parsed.nanoseconds,
          "round trip changed the instant: (\(parsed.secondsSinceEpoch) s, \(parsed.nanoseconds) ns) -> \"\(formatted.rawValue)\" -> (\(reparsed.secondsSinceEpoch) s, \(reparsed.nanoseconds) ns)",
          text)
}

/// The documented range, 0000-01-01T00:00:00Z ... 9999-12-31T23:59:59.999999999Z, in nanoseconds.
private let minimum = nanosecondsSinceEpoch(TogglTimestamp("0000-01-01T00:00:00Z")!)
private let maximum = nanosecondsSinceEpoch(TogglTimestamp("9999-12-31T23:59:59.999999999Z")!)

private func nanosecondsSinceEpoch(_ timestamp: TogglTimestamp) -> Int128 {
    Int128(timestamp.secondsSinceEpoch) * 1_000_000_000 + Int128(timestamp.nanoseconds)
}

private func check(_ condition: Bool, _ what: @autoclosure () -> String, _ input: @autoclosure () -> String) {
    if !condition { fail(what(), input()) }
}

private func fail(_ what: String, _ input: String) -> Never {
    fatalError("TogglTimestamp: \(what); input \(String(reflecting: input))")
}
