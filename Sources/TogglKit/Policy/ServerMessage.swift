/// Turns an error body into the text handed to the caller: the API answers with a JSON string
/// (`"Invalid include_archived"`), plain text, an HTML page from a proxy, or nothing at all.
///
/// Only a bounded prefix of the body is ever read, so a 64 MiB error page costs what a small one
/// does, and the message is redacted before it is clipped, so a clip never cuts a secret in two.
enum ServerMessage {
    static let maxLength = 300
    /// Bytes of the body looked at for plain text and HTML.
    static let scanLimit = 16 * 1024
    /// Larger JSON bodies are not parsed for their message (a tree costs memory per element).
    static let jsonLimit = 64 * 1024

    static func readable(body: [UInt8], status: Int, contentType: String?,
                         redactor: SecretRedactor? = nil) -> String {
        var text = extract(body: body, contentType: contentType)
        // Redact the whole bounded text, then clip: a secret can neither straddle the clip nor be
        // pulled into it from beyond (a cut at scanLimit is 16 K characters away from the clip).
        if text.unicodeScalars.count > scanLimit {
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(scanLimit)))
        }
        if let redactor { text = redactor.redact(text) }
        let clipped = clip(text)
        return clipped.isEmpty ? describe(status: status) : clipped
    }

    /// At most `maxLength` characters, and an ellipsis when something was cut.
    static func clip(_ text: String) -> String {
        text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
    }

    private static func extract(body: [UInt8], contentType: String?) -> String {
        let prefix = body.prefix(scanLimit)
        guard let first = prefix.firstIndex(where: { !isASCIISpace($0) }) else { return "" }
        if body[first] == UInt8(ascii: "\"") || body[first] == UInt8(ascii: "{"), body.count <= jsonLimit,
           let fromJSON = JSONDocument.errorMessage(body) {
            return collapse(fromJSON)
        }
        let isHTML = contentType.map { asciiLowercased(Array($0.utf8)).contains(Array("html".utf8)) } ?? false
        if isHTML || ByteSearch.firstRange(of: "<!doctype", in: prefix) != nil
            || ByteSearch.firstRange(of: "<html", in: prefix) != nil {
            return htmlText(Array(prefix))
        }
        return collapse(String(decoding: prefix, as: UTF8.self))
    }

    /// The page's `<title>`, else its text with the tags removed. Searches the bytes with ASCII
    /// case folding, so indices found are indices of the page itself.
    static func htmlText(_ html: [UInt8]) -> String {
        if let open = ByteSearch.firstRange(of: "<title", in: html[...]),
           let openEnd = html[open.upperBound...].firstIndex(of: UInt8(ascii: ">")),
           let close = ByteSearch.firstRange(of: "</title", in: html[(openEnd + 1)...]) {
            let title = collapse(tagsRemoved(html[(openEnd + 1)..<close.lowerBound]))
            if !title.isEmpty { return title }
        }
        return collapse(tagsRemoved(html[...]))
    }

    static func htmlText(_ html: String) -> String { htmlText(Array(html.utf8)) }

    /// Tags become spaces (so `<td>a</td><td>b</td>` reads "a b").
    private static func tagsRemoved(_ html: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(html.count)
        var inTag = false
        for byte in html {
            if byte == UInt8(ascii: "<") { inTag = true; text.append(0x20) }
            else if byte == UInt8(ascii: ">") { inTag = false }
            else if !inTag { text.append(byte) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func asciiLowercased<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] {
        bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }

    static func describe(status: Int) -> String {
        let reason: String = switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
        return reason.isEmpty ? "HTTP \(status) with an empty body" : "HTTP \(status) \(reason) (empty body)"
    }

    /// `... reset in 1234 seconds` in a 402 body, for when the headers are missing.
    static func resetSeconds(inQuotaMessage message: String) -> Int64? {
        let bytes = Array(message.utf8)
        guard let range = ByteSearch.firstRange(of: "reset in ", in: bytes[...])
                ?? ByteSearch.firstRange(of: "resets in ", in: bytes[...]) else { return nil }
        return HeaderNumber.seconds(String(decoding: bytes[range.upperBound...].prefix { (0x30...0x39).contains($0) },
                                           as: UTF8.self))
    }
}

/// Substring search over bytes with ASCII case folding: no lowercased copy whose indices could
/// differ from the original's (lowercasing `İ` changes a string's length).
enum ByteSearch {
    /// `needle` must be lowercase ASCII.
    static func firstRange(of needle: String, in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        let pattern = Array(needle.utf8)
        guard let head = pattern.first, haystack.count >= pattern.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - pattern.count
        while index <= last {
            if fold(haystack[index]) == head {
                var offset = 1
                while offset < pattern.count, fold(haystack[index + offset]) == pattern[offset] { offset += 1 }
                if offset == pattern.count { return index..<(index + pattern.count) }
            }
            index += 1
        }
        return nil
    }

    private static func fold(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
}
