import CJansson
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A forward scan over bytes that already passed `JSONValidator`: it follows the structure
/// (counting depth, never recursing) without checking anything again or building a tree.
struct JSONScan {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                || bytes[index] == 0x09 { index += 1 }
    }

    mutating func pageSummary() -> PageSummary {
        skipWhitespace()
        guard current == UInt8(ascii: "[") else { return PageSummary(count: 0, lastID: .unusable) }
        index += 1
        skipWhitespace()
        guard current != UInt8(ascii: "]") else { return PageSummary(count: 0, lastID: .unusable) }
        var count = 0
        var lastStart = index
        while index < bytes.count {
            skipWhitespace()
            count += 1
            lastStart = index
            skipValue()
            skipWhitespace()
            guard current == UInt8(ascii: ",") else { break }
            index += 1
        }
        index = lastStart
        return PageSummary(count: count, lastID: idOfObject())
    }

    /// Moves past one value and everything nested in it (depth counted, not recursed).
    mutating func skipValue() {
        var depth = 0
        repeat {
            switch current {
            case UInt8(ascii: "\""):
                skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            default:
                // A scalar, a separator or white space inside a container.
                if depth == 0 {
                    while index < bytes.count {
                        switch bytes[index] {
                        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0D, 0x0A: return
                        default: index += 1
                        }
                    }
                    return
                }
                index += 1
            }
        } while depth > 0 && index < bytes.count
    }

    /// Moves past the string whose opening quote is at `index`: to each next quote with memchr
    /// (a store's snapshot is mostly string bytes), which closes the string unless an odd run of
    /// backslashes escapes it.
    mutating func skipString() {
        index += 1
        guard let base = bytes.baseAddress else { return }
        while index < bytes.count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "\"")), bytes.count - index) else {
                index = bytes.count
                return
            }
            let quote = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            var backslashes = 0
            while quote - 1 - backslashes >= index, base[quote - 1 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
            index = quote + 1
            if backslashes % 2 == 0 { return }
        }
    }

    /// The `id` of the object at `index` (the last, as jansson keeps a repeated key's last value).
    mutating func idOfObject() -> PageSummary.LastID {
        guard current == UInt8(ascii: "{") else { return .unusable }
        index += 1
        var found = PageSummary.LastID.unusable
        while index < bytes.count {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { break }
            let keyStart = index
            skipString()
            let isID = Self.text(of: bytes[keyStart..<index]) == "id"
            skipWhitespace()
            index += 1 // ':'
            skipWhitespace()
            let valueStart = index
            skipValue()
            if isID { found = Self.id(from: bytes[valueStart..<index]) }
            skipWhitespace()
            guard current == UInt8(ascii: ",") else { break }
            index += 1
        }
        return found
    }

    static func id(from token: Slice<UnsafeBufferPointer<UInt8>>) -> PageSummary.LastID {
        guard let first = token.first else { return .unusable }
        // Plain digits, the ids of every real answer, without making a String (18 cannot overflow).
        if token.count <= 18, first != UInt8(ascii: "-") {
            var value: Int64 = 0
            var digits = true
            for byte in token {
                guard (0x30...0x39).contains(byte) else { digits = false; break }
                value = value * 10 + Int64(byte - 0x30)
            }
            if digits { return .integer(value) }
        }
        let text: String
        if first == UInt8(ascii: "\"") {
            guard let decoded = Self.text(of: token) else { return .unusable }
            text = decoded
        } else {
            text = String(decoding: token, as: UTF8.self)
        }
        if let integer = Int64(text), text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) }) {
            return .integer(integer)
        }
        // An integral real (`12.0`, `1.2e1`); not for strings, which must hold an integer.
        if first != UInt8(ascii: "\""), let real = Double(text), real.rounded(.towardZero) == real,
           let integer = Int64(exactly: real) {
            return .integer(integer)
        }
        return .unusable
    }

    /// A JSON string token's text; escapes are rare in keys, so only then is jansson asked.
    static func text(of token: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        guard token.count >= 2 else { return nil }
        let inner = token.dropFirst().dropLast()
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        return (try? JSONDocument.parse(Array(token))).flatMap { jsonStringValue($0.root) }
    }
}

extension JSONScan {
    /// The text of every value of `keys` in the top-level object of `bytes` (valid JSON):
    /// strings decoded, other scalars as written, each occurrence of a repeated key (jansson
    /// would keep only the last, but the server sees them all).
    static func topLevelValues(forKeys keys: Set<String>, in bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBufferPointer { buffer in
            var scan = JSONScan(bytes: buffer)
            var values: [String] = []
            scan.skipWhitespace()
            guard scan.current == UInt8(ascii: "{") else { return [] }
            scan.index += 1
            while scan.index < buffer.count {
                scan.skipWhitespace()
                guard scan.current == UInt8(ascii: "\"") else { break }
                let keyStart = scan.index
                scan.skipString()
                let key = text(of: buffer[keyStart..<scan.index])
                scan.skipWhitespace()
                scan.index += 1 // ':'
                scan.skipWhitespace()
                let valueStart = scan.index
                scan.skipValue()
                if let key, keys.contains(key) {
                    let token = buffer[valueStart..<scan.index]
                    if token.first == UInt8(ascii: "\"") {
                        if let value = text(of: token) { values.append(value) }
                    } else if token.first != UInt8(ascii: "{"), token.first != UInt8(ascii: "[") {
                        values.append(String(decoding: token, as: UTF8.self))
                    }
                }
                scan.skipWhitespace()
                guard scan.current == UInt8(ascii: ",") else { break }
                scan.index += 1
            }
            return values
        }
    }
}
