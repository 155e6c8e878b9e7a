import CJansson

/// Turns an error body into the text handed to the caller: the API answers with a JSON string
/// (`"Invalid include_archived"`), plain text, an HTML page from a proxy, or nothing at all.
enum ServerMessage {
    static let maxLength = 300

    static func readable(body: [UInt8], status: Int, contentType: String?) -> String {
        let text = extract(body: body, contentType: contentType)
        let clipped = text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
        return clipped.isEmpty ? describe(status: status) : clipped
    }

    private static func extract(body: [UInt8], contentType: String?) -> String {
        let raw = String(decoding: body, as: UTF8.self).trimmingASCIIWhitespace()
        guard !raw.isEmpty else { return "" }
        if raw.hasPrefix("\"") || raw.hasPrefix("{") {
            if let fromJSON = jsonMessage(body) { return collapse(fromJSON) }
        }
        let lower = raw.lowercased()
        if contentType?.lowercased().contains("html") == true || lower.hasPrefix("<!doctype") || lower.contains("<html") {
            return htmlText(raw)
        }
        return collapse(raw)
    }

    /// A JSON string, or an object with a `message` / `error` string.
    private static func jsonMessage(_ body: [UInt8]) -> String? {
        guard let document = try? JSONDocument.parse(body) else { return nil }
        let root = document.root
        if let string = jsonStringValue(root) { return string }
        guard json_typeof(root) == JSON_OBJECT else { return nil }
        for key in ["message", "error", "error_message"] {
            if let node = json_object_get(root, key), let string = jsonStringValue(node) { return string }
        }
        return nil
    }

    /// The page's `<title>`, else its text with the tags removed.
    static func htmlText(_ html: String) -> String {
        let lower = html.lowercased()
        if let open = lower.firstRange(of: "<title"), let openEnd = lower[open.upperBound...].firstIndex(of: ">"),
           let close = lower[openEnd...].firstRange(of: "</title>") {
            let start = html.index(after: openEnd)
            let title = collapse(String(html[start..<close.lowerBound]))
            if !title.isEmpty { return title }
        }
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; text.append(" ") }
            else if character == ">" { inTag = false }
            else if !inTag { text.append(character) }
        }
        return collapse(text)
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
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
        let lower = message.lowercased()
        guard let range = lower.firstRange(of: "reset in ") ?? lower.firstRange(of: "resets in ") else { return nil }
        let digits = lower[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int64(digits)
    }
}

/// Removes credentials from any text before it reaches a caller.
struct SecretRedactor: Sendable {
    let secrets: [String]

    init(_ credentials: Credentials) {
        // "api_token" is the fixed password of token auth, not a secret.
        secrets = [credentials.user, credentials.password].filter { $0.count >= 4 && $0 != "api_token" }
    }

    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "[redacted]")
        }
        return result
    }
}
