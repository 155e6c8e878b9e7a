#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One JSON value as the validator's scan recorded it: what it is and where its bytes are.
///
/// Values are in document order; a container's children follow it, and its `value` is the tape
/// index just past its last descendant, so siblings are reached without looking inside. Twelve
/// bytes an entry: ends of strings and numbers are found again when read (a quote, a delimiter)
/// rather than stored.
struct TapeEntry {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    /// Containers: the tape index after the last descendant. Strings: the offset after the
    /// opening quote. Numbers and literals: the offset of the first byte.
    var value: UInt32
    /// An object member: the offset after its key's opening quote; `noKey` otherwise.
    var key: UInt32
    var kind: Kind
    var flags: UInt8
    /// With `hasKeyFilter`: the high 16 of the 48 filter bits (the low 32 are in `key`).
    var spare: UInt16

    static let noKey = UInt32.max
    /// The string holds escapes (its bytes are not its text).
    static let escaped: UInt8 = 1
    /// The number has a fraction or an exponent.
    static let real: UInt8 = 2
    /// The member's key holds escapes.
    static let keyEscaped: UInt8 = 4
    /// An object that repeats a key (typed decoding then reads the last, as jansson does).
    static let duplicateKeys: UInt8 = 8
    /// An object that is not a member: `key` and `spare` hold a 48-bit filter of its keys.
    static let hasKeyFilter: UInt8 = 16

    /// The filter bit of a key whose `JSONValidator.Scanner.keyHash` is `hash`.
    @inline(__always)
    static func lookupBit(_ hash: UInt64) -> UInt64 { 1 << ((hash >> 8) % 48) }

    /// False when the object certainly has no key with this hash.
    @inline(__always)
    func mayHaveKey(hash: UInt64) -> Bool {
        flags & Self.hasKeyFilter == 0 || (UInt64(key) | UInt64(spare) << 32) & Self.lookupBit(hash) != 0
    }
}

extension TapeEntry.Kind {
    /// The same words as the validator's kinds ("an object", "a boolean", ...).
    var label: String {
        switch self {
        case .object: JSONValidator.Kind.object.label
        case .array: JSONValidator.Kind.array.label
        case .string: JSONValidator.Kind.string.label
        case .number: JSONValidator.Kind.number.label
        case .true, .false: JSONValidator.Kind.boolean.label
        case .null: JSONValidator.Kind.null.label
        }
    }
}

/// Reading values off the tape: numbers, strings (escaped or not) and keys.
enum TapeText {
    /// The text of a string or key whose content starts at `start` (after the quote).
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, escaped: Bool) -> String {
        if !escaped {
            // Without escapes the content ends at the next quote.
            let base = bytes.baseAddress! + start
            let quote = memchr(base, Int32(UInt8(ascii: "\"")), bytes.count - start)!
            let count = UnsafeRawPointer(quote) - UnsafeRawPointer(base)
            return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        }
        return unescape(bytes, from: start)
    }

    /// Content of a string with escapes; the validator has checked every escape and surrogate.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> String {
        var out: [UInt8] = []
        var index = start
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for byte in bytes[at..<at + 4] {
                let digit: UInt8 = switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
                default: byte - UInt8(ascii: "A") + 10
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while bytes[index] != UInt8(ascii: "\"") {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = hex4(index + 2)
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Unicode.Scalar(scalar).map { Array(String($0).utf8) } ?? [0xEF, 0xBF, 0xBD])
            default: out.append(escape) // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The offset after the number starting at `start` (the validator checked its grammar).
    @inline(__always)
    static func numberEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var end = start
        while end < bytes.count {
            switch bytes[end] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                end += 1
            default:
                return end
            }
        }
        return end
    }

    /// An integer literal (no fraction or exponent) that the validator found fits in 64 bits.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value: Int64 = 0
        while index < end {
            let digit = Int64(bytes[index] &- UInt8(ascii: "0"))
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
            index += 1
        }
        return value
    }

    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        // Swift's parser is locale-independent (strtod would follow the host's LC_NUMERIC).
        Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }
}
