#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that bytes are one well-formed JSON text without building a tree.
///
/// The raw surfaces (C, Python) hand the server's bytes through and only need to know they are
/// JSON of the documented top-level kind. Building a jansson tree for that costs ~30 ms per MB,
/// almost all of it allocation; this scan costs well under a millisecond. It accepts exactly what
/// jansson accepts with `JSON_DECODE_ANY | JSON_ALLOW_NUL` (a differential test and a fuzzer hold
/// it to that), so a caller that parses the result with jansson never meets a document it
/// rejects. One deliberate difference, in the safe direction: jansson 2.14 drops a NUL byte that
/// directly follows a number or a literal (`[1\0]`), which is not JSON; the validator refuses it.
enum JSONValidator {
    enum Kind: Equatable {
        case object, array, string, number, boolean, null

        var label: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .boolean: "a boolean"
            case .null: "null"
            }
        }
    }

    /// The check the raw surfaces make: well-formed and of the documented top-level kind.
    static func check(_ bytes: [UInt8], as shape: JSONShape) throws(TogglError) {
        switch shape {
        case .empty:
            return
        case .objectOrNull where JSONDocument.isBlank(bytes):
            return
        default:
            break
        }
        guard !JSONDocument.isBlank(bytes) else { throw TogglError(.decode, "empty response body where JSON was expected") }
        let kind = try validate(bytes)
        switch (shape, kind) {
        case (.object, .object), (.array, .array), (.objectOrNull, .object), (.objectOrNull, .null):
            return
        default:
            throw TogglError(.decode, "expected a JSON \(shape.label) but the response is \(kind.label)")
        }
    }

    /// jansson's JSON_PARSER_MAX_DEPTH: a value inside this many containers is too deep.
    static let maxDepth = 2048

    static func validate(_ bytes: [UInt8]) throws(TogglError) -> Kind {
        guard bytes.withUnsafeBufferPointer(UTF8Check.isValid) else {
            throw TogglError(.decode, "malformed JSON: the body is not valid UTF-8")
        }
        return try bytes.withUnsafeBufferPointer { buffer throws(TogglError) in
            var scanner = Scanner(bytes: buffer)
            return try scanner.document()
        }
    }

    /// Checks `bytes` and records every value on a tape (see `JSONTape`), in the same scan.
    static func tape(_ bytes: UnsafeBufferPointer<UInt8>) throws(TogglError) -> [TapeEntry] {
        guard UTF8Check.isValid(bytes) else {
            throw TogglError(.decode, "malformed JSON: the body is not valid UTF-8")
        }
        guard bytes.count < Int(UInt32.max) else {
            throw TogglError(.tooLarge, "a body of 4 GiB or more cannot be decoded into models")
        }
        var scanner = Scanner(bytes: bytes, recording: true)
        // API JSON has about one value per 20 bytes. Reserve for one per 8: pages never written
        // are never resident, and growing would copy the tape (twice its size, for a moment).
        scanner.tape.reserveCapacity(bytes.count / 8 + 16)
        _ = try scanner.document()
        return scanner.tape
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Open containers, innermost last: true for an object.
        var stack: [Bool] = []
        /// Recording: the tape, the tape index of each open container, and the key (offset
        /// after its quote) of the member whose value comes next.
        let recording: Bool
        var tape: [TapeEntry] = []
        var openEntries: [Int] = []
        var pendingKey = TapeEntry.noKey
        var pendingKeyEscaped = false
        var lastStringEscaped = false
        var lastNumberIsReal = false
        /// Per open container, a 256-bit Bloom filter of its keys: a repeated key is confirmed
        /// by comparing bytes only when its bit was already set.
        var keyFilters: [(UInt64, UInt64, UInt64, UInt64)] = []
        /// The innermost open container and its filter, kept out of the arrays above: they are
        /// read and written for every key.
        var currentContainer = -1
        /// Per open container, its keys' bits for lookups (see `TapeEntry.lookupBit`).
        var lookupFilters: [UInt64] = []
        var lookupFilter: UInt64 = 0
        var filter: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        init(bytes: UnsafeBufferPointer<UInt8>, recording: Bool = false) {
            self.bytes = bytes
            self.recording = recording
        }

        mutating func record(_ kind: TapeEntry.Kind, start: Int, flags: UInt8 = 0) {
            var entryFlags = flags
            if pendingKeyEscaped { entryFlags |= TapeEntry.keyEscaped }
            tape.append(TapeEntry(value: UInt32(truncatingIfNeeded: start), key: pendingKey, kind: kind, flags: entryFlags,
                                  spare: 0))
            pendingKey = TapeEntry.noKey
            pendingKeyEscaped = false
        }

        func fail(_ what: String) -> TogglError {
            TogglError(.decode, index >= bytes.count
                ? "malformed JSON: the body ends early (\(what))"
                : "malformed JSON at byte \(index): \(what)")
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(TogglError) {
            guard current == byte else { throw fail(what) }
            index += 1
        }

        mutating func document() throws(TogglError) -> Kind {
            skipWhitespace()
            let kind: Kind = switch current ?? 0 {
            case UInt8(ascii: "{"): .object
            case UInt8(ascii: "["): .array
            case UInt8(ascii: "\""): .string
            case UInt8(ascii: "t"), UInt8(ascii: "f"): .boolean
            case UInt8(ascii: "n"): .null
            default: .number
            }
            try values()
            skipWhitespace()
            guard index == bytes.count else { throw fail("unexpected data after the document") }
            return kind
        }

        /// One value, with everything nested in it, iteratively (no recursion to overflow).
        mutating func values() throws(TogglError) {
            while true {
                // A value is expected here; like jansson, count every value, not just containers.
                skipWhitespace()
                guard stack.count < JSONValidator.maxDepth else { throw fail("nesting is too deep") }
                switch current ?? 0 {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = current == UInt8(ascii: "{")
                    if recording {
                        record(isObject ? .object : .array, start: 0)
                        openEntries.append(tape.count - 1)
                        keyFilters.append(filter)
                        lookupFilters.append(lookupFilter)
                        currentContainer = tape.count - 1
                        filter = (0, 0, 0, 0)
                        lookupFilter = 0
                    }
                    index += 1
                    skipWhitespace()
                    if current == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        index += 1
                        if recording { closeRecorded() }
                    } else {
                        stack.append(isObject)
                        if isObject { try key() }
                        continue
                    }
                case UInt8(ascii: "\""):
                    let start = index + 1
                    try string()
                    if recording {
                        record(.string, start: start, flags: lastStringEscaped ? TapeEntry.escaped : 0)
                    }
                case UInt8(ascii: "t"):
                    if recording { record(.true, start: index) }
                    try literal("true")
                case UInt8(ascii: "f"):
                    if recording { record(.false, start: index) }
                    try literal("false")
                case UInt8(ascii: "n"):
                    if recording { record(.null, start: index) }
                    try literal("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let start = index
                    try number()
                    if recording { record(.number, start: start, flags: lastNumberIsReal ? TapeEntry.real : 0) }
                default:
                    throw fail("expected a value")
                }
                // After a value: close containers until one continues with a comma.
                while true {
                    guard let isObject = stack.last else { return }
                    skipWhitespace()
                    if current == UInt8(ascii: ",") {
                        index += 1
                        if isObject { try key() }
                        break
                    }
                    try expect(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"),
                               isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                    stack.removeLast()
                    if recording { closeRecorded() }
                }
            }
        }

        /// `"name" :` inside an object.
        mutating func key() throws(TogglError) {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let start = index + 1
            // jansson keeps keys as C strings: a key holding U+0000 is refused even with
            // JSON_ALLOW_NUL, so it is refused here too.
            guard try !string() else { throw fail("NUL byte in an object key") }
            if recording {
                pendingKey = UInt32(truncatingIfNeeded: start)
                pendingKeyEscaped = lastStringEscaped
                noteKey(start: start, end: index - 1, escaped: lastStringEscaped)
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':'")
        }

        mutating func closeRecorded() {
            let closed = openEntries.removeLast()
            tape[closed].value = UInt32(tape.count)
            // An object that is not a member (an array element, the document) has its `key` field
            // free: it and the two spare bytes keep which keys the object has, for lookups.
            if tape[closed].kind == .object, tape[closed].key == TapeEntry.noKey {
                tape[closed].key = UInt32(truncatingIfNeeded: lookupFilter)
                tape[closed].spare = UInt16(truncatingIfNeeded: lookupFilter >> 32)
                tape[closed].flags |= TapeEntry.hasKeyFilter
            }
            lookupFilter = lookupFilters.removeLast()
            filter = keyFilters.removeLast()
            currentContainer = openEntries.last ?? -1
        }

        /// Marks the open object when the key starting at `start` repeats one of its earlier keys.
        /// Costs a hash of the key's first and last eight bytes; the earlier keys are compared
        /// only when the filter already holds that hash.
        mutating func noteKey(start: Int, end: Int, escaped: Bool) {
            let object = currentContainer
            guard object >= 0 else { return }
            let hash: UInt64
            if escaped {
                var text = TapeText.unescape(bytes, from: start)
                hash = text.withUTF8 { Self.keyHash($0) }
            } else {
                hash = Self.keyHash(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            }
            let bit = UInt64(1) << (hash & 63)
            let word = Int(hash >> 6 & 3)
            let seen = switch word {
            case 0: filter.0 & bit != 0
            case 1: filter.1 & bit != 0
            case 2: filter.2 & bit != 0
            default: filter.3 & bit != 0
            }
            if seen, tape[object].flags & TapeEntry.duplicateKeys == 0 {
                let text = escaped ? keyText(start, true) : nil
                let length = end - start
                var member = object + 1
                while member < tape.count {
                    let entry = tape[member]
                    let other = Int(entry.key)
                    let same: Bool
                    if text == nil, entry.flags & TapeEntry.keyEscaped == 0 {
                        // Both as written: the same bytes, and the other ends where this one does.
                        same = bytes[other + length] == UInt8(ascii: "\"")
                            && memcmp(bytes.baseAddress! + other, bytes.baseAddress! + start, length) == 0
                    } else {
                        same = keyText(other, entry.flags & TapeEntry.keyEscaped != 0) == (text ?? keyText(start, false))
                    }
                    if same {
                        tape[object].flags |= TapeEntry.duplicateKeys
                        break
                    }
                    member = entry.kind == .object || entry.kind == .array ? Int(entry.value) : member + 1
                }
            }
            switch word {
            case 0: filter.0 |= bit
            case 1: filter.1 |= bit
            case 2: filter.2 |= bit
            default: filter.3 |= bit
            }
            lookupFilter |= TapeEntry.lookupBit(hash)
        }

        /// A hash of a key's text from its length and its first and last eight bytes.
        static func keyHash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
            let length = key.count
            var head: UInt64 = 0, tail: UInt64 = 0
            if length >= 8, let base = key.baseAddress {
                head = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
                tail = UnsafeRawPointer(base + length - 8).loadUnaligned(as: UInt64.self)
            } else {
                for offset in 0..<length { head |= UInt64(key[offset]) << (8 * UInt64(offset)) }
            }
            var hash = (head &* 0x9E37_79B9_7F4A_7C15 ^ tail) &* 0xC2B2_AE3D_27D4_EB4F ^ UInt64(length)
            hash ^= hash >> 29
            return hash
        }

        func keyText(_ start: Int, _ escaped: Bool) -> String {
            TapeText.string(bytes, from: start, escaped: escaped)
        }

        mutating func literal(_ word: StaticString) throws(TogglError) {
            let length = word.utf8CodeUnitCount
            guard index + length <= bytes.count,
                  UnsafeBufferPointer(start: word.utf8Start, count: length).elementsEqual(bytes[index..<index + length])
            else { throw fail("invalid literal") }
            index += length
        }

        /// Moves past a string; true when it holds a `\u0000` escape.
        @discardableResult
        mutating func string() throws(TogglError) -> Bool {
            index += 1 // the opening quote
            var holdsNUL = false
            lastStringEscaped = false
            while true {
                // Plain bytes (not a quote, a backslash or a control character) need no decision.
                while index < bytes.count {
                    let byte = bytes[index]
                    guard byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                    index += 1
                }
                guard let byte = current else { break }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return holdsNUL
                case UInt8(ascii: "\\"):
                    lastStringEscaped = true
                    if try escape() { holdsNUL = true }
                case 0..<0x20:
                    index -= 1
                    throw fail("control character in a string")
                default:
                    break
                }
            }
            throw fail("unterminated string")
        }

        /// Moves past an escape; true when it is `\u0000`.
        mutating func escape() throws(TogglError) -> Bool {
            guard let byte = current else { throw fail("unterminated escape") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                 UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                return false
            case UInt8(ascii: "u"):
                let unit = try hex4()
                if unit == 0 { return true }
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed by an escaped low one, as jansson requires.
                    guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate in a \\u escape")
                    }
                    index += 2
                    guard (0xDC00...0xDFFF).contains(try hex4()) else { throw fail("unpaired surrogate in a \\u escape") }
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw fail("unpaired surrogate in a \\u escape")
                }
                return false
            default:
                index -= 1
                throw fail("invalid escape")
            }
        }

        mutating func hex4() throws(TogglError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current else { throw fail("truncated \\u escape") }
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// RFC 8259's number grammar, plus jansson's range checks: an integer must fit in
        /// 64 bits and a real must not overflow to infinity.
        mutating func number() throws(TogglError) {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, isDigit(first) else { throw fail("invalid number") }
            index += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            var isReal = false
            if current == UInt8(ascii: ".") {
                isReal = true
                index += 1
                guard let byte = current, isDigit(byte) else { throw fail("invalid number") }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isReal = true
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let byte = current, isDigit(byte) else { throw fail("invalid number") }
                skipDigits()
            }
            lastNumberIsReal = isReal
            // Up to 18 digits always fit in 64 bits: only longer integers (and reals) are parsed.
            if !isReal, index - start <= 18 { return }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if isReal {
                guard let real = Double(text), real.isFinite else { throw fail("real number overflow") }
            } else if Int64(text) == nil {
                throw fail("integer does not fit in 64 bits")
            }
        }

        mutating func skipDigits() {
            while let byte = current, isDigit(byte) { index += 1 }
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
