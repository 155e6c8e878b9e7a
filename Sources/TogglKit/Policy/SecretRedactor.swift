/// Removes credentials from any text before it reaches a caller.
///
/// A server, a proxy or a captive portal may echo a secret back in any form, so matching is
/// deliberately loose and redacts too much rather than too little:
/// - letter case and white space are ignored (`SECRET99` for `Secret99`, `tok en` for `token`);
/// - the text is also read with JSON escapes, HTML entities and percent-encoding decoded
///   (`p\u00e4ssw\u00f6rd`, `se\"cret\/pw`, `p&auml;ss` as `&#228;`, `s%65cret`);
/// - the Basic `Authorization` value (base64 of `user:password`) is a secret of its own;
/// - a long fragment of a secret counts as the secret, so a secret cut by a clip, a tag or the
///   server itself still disappears: 8 characters of a token or of the Basic credential (random
///   text, where 8 characters never match by chance), half of a password (at least 8: "password"
///   in "my-password-1" must not hide every "Incorrect password");
/// - every match is found on the original text before anything is replaced, so a password that
///   contains the email is redacted whole.
/// The email is redacted only where it appears whole: it names the account but opens nothing.
struct SecretRedactor: Sendable {
    static let marker = "[redacted]"
    /// A fragment of a secret at least this long is redacted (of a password: at least half of it).
    static let minimumFragment = 8

    private enum Kind { case random, password, whole }

    private struct Secret: Sendable {
        /// Case-folded, without white space.
        let scalars: [Unicode.Scalar]
        /// Length of the shortest run that counts as the secret.
        let fragment: Int
        /// Where in the secret a run of `fragment` scalars can start, by its first scalar: most
        /// positions of a text are rejected by one lookup.
        let starts: [Unicode.Scalar: [Int]]
        /// The ASCII scalars among those first scalars, as a bit set (a lookup without hashing).
        let asciiStarts: (low: UInt64, high: UInt64)

        init(_ scalars: [Unicode.Scalar], fragment: Int) {
            self.scalars = scalars
            self.fragment = fragment
            var starts: [Unicode.Scalar: [Int]] = [:]
            var ascii: (low: UInt64, high: UInt64) = (0, 0)
            for offset in 0...(scalars.count - fragment) {
                let first = scalars[offset]
                starts[first, default: []].append(offset)
                if first.value < 64 { ascii.low |= 1 << first.value } else if first.value < 128 { ascii.high |= 1 << (first.value - 64) }
            }
            self.starts = starts
            asciiStarts = ascii
        }

        /// Whether `text[at..<at + fragment]` is a run of this secret.
        func matches(_ text: [Unicode.Scalar], at position: Int) -> Bool {
            let first = text[position].value
            if first < 64 {
                guard asciiStarts.low & (1 << first) != 0 else { return false }
            } else if first < 128 {
                guard asciiStarts.high & (1 << (first - 64)) != 0 else { return false }
            }
            guard let offsets = starts[text[position]] else { return false }
            let run = text[position..<(position + fragment)]
            return offsets.contains { run.elementsEqual(scalars[$0..<($0 + fragment)]) }
        }
    }

    private let secrets: [Secret]

    init(_ credentials: Credentials, extraSecrets: [String] = []) {
        var secrets: [Secret] = []
        // "api_token" is the fixed password of token auth, not a secret.
        let isToken = credentials.password == "api_token"
        if isToken {
            secrets += Self.secret(credentials.user, .random)
        } else {
            secrets += Self.secret(credentials.user, .whole)
            secrets += Self.secret(credentials.password, .password)
        }
        let basic = Base64.encode(Array("\(credentials.user):\(credentials.password)".utf8))
        secrets += Self.secret(basic, .random)
        for extra in extraSecrets { secrets += Self.secret(extra, .password) }
        self.secrets = secrets
    }

    private init(secrets: [Secret]) {
        self.secrets = secrets
    }

    /// This redactor plus `extra` secrets (a password inside a PUT body).
    func adding(_ extra: [String]) -> SecretRedactor {
        guard !extra.isEmpty else { return self }
        return SecretRedactor(secrets: secrets + extra.flatMap { Self.secret($0, .password) })
    }

    private static func secret(_ text: String, _ kind: Kind) -> [Secret] {
        let scalars = folded(Array(text.unicodeScalars))
        guard !scalars.isEmpty else { return [] }
        let fragment = switch kind {
        case .random: min(scalars.count, minimumFragment)
        case .password: min(scalars.count, max(minimumFragment, (scalars.count + 1) / 2))
        case .whole: scalars.count
        }
        return [Secret(scalars, fragment: fragment)]
    }

    private static func folded(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in scalars { appendFolded(scalar, to: &result) }
        return result
    }

    /// Appends `scalar` lower-cased, or nothing for white space; ASCII without a table lookup.
    fileprivate static func appendFolded(_ scalar: Unicode.Scalar, to result: inout [Unicode.Scalar]) {
        if scalar.isASCII {
            let value = scalar.value
            if value == 0x20 || (0x09...0x0D).contains(value) { return }
            result.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value | 0x20)) : scalar)
        } else if !scalar.properties.isWhitespace {
            result += scalar.properties.lowercaseMapping.unicodeScalars
        }
    }

    func redact(_ text: String) -> String {
        guard !secrets.isEmpty, !text.isEmpty else { return text }
        let original = Array(text.unicodeScalars)
        var hidden = [Bool](repeating: false, count: original.count)
        var views = [NormalizedView(original, decodingEscapes: false)]
        // The decoded view differs only where an escape can start.
        if original.contains(where: { $0 == "\\" || $0 == "&" || $0 == "%" }) {
            views.append(NormalizedView(original, decodingEscapes: true))
        }
        for view in views {
            for secret in secrets { view.mark(secret, in: &hidden) }
        }
        guard hidden.contains(true) else { return text }
        // Pieces of one secret split by white space ("tok en") become one marker.
        var lastHidden: Int?
        for index in original.indices where hidden[index] {
            if let last = lastHidden, last + 1 < index,
               original[(last + 1)..<index].allSatisfy({ $0.properties.isWhitespace }) {
                for gap in (last + 1)..<index { hidden[gap] = true }
            }
            lastHidden = index
        }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < original.count {
            if hidden[index] {
                result.append(contentsOf: Self.marker.unicodeScalars)
                while index < original.count, hidden[index] { index += 1 }
            } else {
                result.append(original[index])
                index += 1
            }
        }
        return String(result)
    }

    /// The text as matching sees it: case-folded, white space dropped and, optionally, escapes
    /// decoded; each scalar remembers which scalars of the original produced it.
    private struct NormalizedView {
        var scalars: [Unicode.Scalar] = []
        var origins: [Range<Int>] = []

        init(_ original: [Unicode.Scalar], decodingEscapes: Bool) {
            var index = 0
            while index < original.count {
                if decodingEscapes, let (decoded, consumed) = EscapeDecoder.escape(original, at: index) {
                    for scalar in decoded { append(scalar, from: index..<(index + consumed)) }
                    index += consumed
                } else {
                    append(original[index], from: index..<(index + 1))
                    index += 1
                }
            }
        }

        private mutating func append(_ scalar: Unicode.Scalar, from origin: Range<Int>) {
            SecretRedactor.appendFolded(scalar, to: &scalars)
            while origins.count < scalars.count { origins.append(origin) }
        }

        /// Marks in `hidden` every original scalar of a run of `fragment` or more scalars that
        /// also stands in the secret.
        func mark(_ secret: Secret, in hidden: inout [Bool]) {
            let fragment = secret.fragment
            guard fragment > 0, scalars.count >= fragment else { return }
            for start in 0...(scalars.count - fragment) where secret.matches(scalars, at: start) {
                for position in start..<(start + fragment) {
                    for originalIndex in origins[position] { hidden[originalIndex] = true }
                }
            }
        }
    }
}

/// Reads one possibly escaped character: a JSON escape (`\u00e4`, a surrogate pair, `\"`), an
/// HTML entity (`&amp;`, `&#228;`, `&#xE4;`) or a run of percent-encoded UTF-8 (`%C3%A4`).
enum EscapeDecoder {
    /// The scalars an escape at `index` stands for and how many original scalars it took; nil
    /// when no escape starts there.
    static func escape(_ text: [Unicode.Scalar], at index: Int) -> ([Unicode.Scalar], Int)? {
        switch text[index] {
        case "\\": json(text, index)
        case "&": entity(text, index)
        case "%": percent(text, index)
        default: nil
        }
    }

    private static func hexValue(_ text: [Unicode.Scalar], _ start: Int, _ count: Int) -> UInt32? {
        guard start + count <= text.count else { return nil }
        var value: UInt32 = 0
        for scalar in text[start..<(start + count)] {
            guard let digit = hexDigit(scalar) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: scalar.value - 0x30
        case 0x41...0x46: scalar.value - 0x41 + 10
        case 0x61...0x66: scalar.value - 0x61 + 10
        default: nil
        }
    }

    private static func json(_ text: [Unicode.Scalar], _ index: Int) -> ([Unicode.Scalar], Int)? {
        guard index + 1 < text.count else { return nil }
        switch text[index + 1] {
        case "\"", "\\", "/", "'": return ([text[index + 1]], 2)
        case "n", "r", "t", "b", "f": return ([" "], 2)
        case "u":
            guard let unit = hexValue(text, index + 2, 4) else { return nil }
            if (0xD800..<0xDC00).contains(unit), index + 11 < text.count, text[index + 6] == "\\",
               text[index + 7] == "u", let low = hexValue(text, index + 8, 4), (0xDC00..<0xE000).contains(low),
               let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) {
                return ([scalar], 12)
            }
            return ([Unicode.Scalar(unit) ?? "\u{FFFD}"], 6)
        default:
            return nil
        }
    }

    private static let entities: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
    ]

    private static func entity(_ text: [Unicode.Scalar], _ index: Int) -> ([Unicode.Scalar], Int)? {
        let limit = min(text.count, index + 12)
        guard let end = (index + 1..<limit).first(where: { text[$0] == ";" }), end > index + 1 else { return nil }
        let name = String(String.UnicodeScalarView(text[(index + 1)..<end]))
        let consumed = end - index + 1
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            guard let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) else { return nil }
            return ([scalar], consumed)
        }
        if name.hasPrefix("#") {
            guard let value = UInt32(name.dropFirst(), radix: 10), let scalar = Unicode.Scalar(value) else { return nil }
            return ([scalar], consumed)
        }
        return entities[name.lowercased()].map { ([$0], consumed) }
    }

    /// A run of `%XX` bytes decoded as UTF-8 (an invalid sequence decodes to U+FFFD).
    private static func percent(_ text: [Unicode.Scalar], _ index: Int) -> ([Unicode.Scalar], Int)? {
        var bytes: [UInt8] = []
        var position = index
        while position < text.count, text[position] == "%", let byte = hexValue(text, position + 1, 2) {
            bytes.append(UInt8(byte))
            position += 3
        }
        guard !bytes.isEmpty else { return nil }
        return (Array(String(decoding: bytes, as: UTF8.self).unicodeScalars), position - index)
    }
}

/// Standard base64 with padding (RFC 4648 §4), for the Basic credential a server may echo.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * position)) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
