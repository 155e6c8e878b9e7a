import CJansson

/// What pagination needs from a page: how many elements the top-level array holds and the
/// last element's `id`, read in one pass over the bytes without building a tree, so a 64 MiB
/// page of `{}` costs no more memory than its bytes (a jansson tree would cost ~80 bytes each).
struct PageSummary: Equatable, Sendable {
    enum LastID: Equatable, Sendable {
        /// An integer, an integral real (`12.0`) or a string holding a decimal integer.
        case integer(Int64)
        /// Missing, or not a number that names an id.
        case unusable
    }

    var count: Int
    var lastID: LastID

    /// `bytes` must already have passed `JSONValidator` as an array: only the structure is
    /// followed here, nothing is checked again.
    static func of(_ bytes: [UInt8]) -> PageSummary {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            return reader.summary()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func summary() -> PageSummary {
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
                        while index < bytes.count, !",]} \t\r\n".utf8.contains(bytes[index]) { index += 1 }
                        return
                    }
                    index += 1
                }
            } while depth > 0 && index < bytes.count
        }

        mutating func skipString() {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                index += byte == UInt8(ascii: "\\") ? 2 : 1
                if byte == UInt8(ascii: "\"") { return }
            }
        }

        /// The `id` of the object at `index` (the last, as jansson keeps a repeated key's last value).
        mutating func idOfObject() -> LastID {
            guard current == UInt8(ascii: "{") else { return .unusable }
            index += 1
            var found = LastID.unusable
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

        static func id(from token: Slice<UnsafeBufferPointer<UInt8>>) -> LastID {
            guard let first = token.first else { return .unusable }
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
}
