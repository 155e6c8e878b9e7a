/// One API call: method, path, query, body, the documented response shape and how to decode it.
///
/// Build them with the static factories (`.me()`, `.projects(includeArchived:since:)`, …) and pass
/// them to `TogglClient.send(_:)` for a typed result or `sendRaw(_:)` for the server's JSON bytes.
public struct Endpoint<Response: Sendable>: Sendable {
    /// GET for every endpoint except PUT /me.
    public let method: HTTPMethod
    /// Relative to the base URL, e.g. `/me/projects`.
    public let path: String
    /// In the order they are sent; values are already strings.
    public let query: [(name: String, value: String)]
    /// The JSON request body (PUT /me), nil for a GET.
    public let body: [UInt8]?
    /// The top-level shape the reference documents for the response.
    public let shape: JSONShape
    /// What the request carries that no error message may show (the passwords of a PUT /me).
    let secrets: [String]
    /// Turns the response body (a blank one reads `null` where `null` is documented) into the
    /// model, with what was dropped on the way.
    let decode: @Sendable ([UInt8]) throws(TogglError) -> Decoded<Response>

    init(_ path: String, method: HTTPMethod = .get, query: [(name: String, value: String)] = [],
         body: [UInt8]? = nil, secrets: [String] = [], shape: JSONShape,
         decode: @escaping @Sendable ([UInt8]) throws(TogglError) -> Decoded<Response>) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.secrets = secrets
        self.shape = shape
        self.decode = decode
    }

    /// The path and percent-encoded query as sent after the base URL.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hexDigits[Int(byte >> 4)])
                result.unicodeScalars.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return result
    }
}

/// Upper-case hex digits for percent-encoding (a generic type cannot hold a stored static).
private let hexDigits: [Unicode.Scalar] = Array("0123456789ABCDEF".unicodeScalars)

/// Collects optional query parameters, leaving out the ones the caller did not set.
///
/// Each parameter has one meaning on every surface (the C header says the same): `since` at or
/// before the epoch, `start_project_id` and `offset` <= 0, nil, and `per_page` 0 leave the
/// parameter out; a negative `per_page` is `.invalidArgument` (nothing is sent).
struct QueryBuilder {
    private(set) var items: [(name: String, value: String)] = []

    mutating func flag(_ name: String, _ on: Bool) {
        if on { items.append((name, "true")) }
    }

    mutating func since(_ timestamp: TogglTimestamp?) {
        if let timestamp, timestamp.secondsSinceEpoch > 0 { items.append(("since", String(timestamp.secondsSinceEpoch))) }
    }

    /// `start_project_id`, `offset`: sent only when positive.
    mutating func positive(_ name: String, _ value: Int64?) {
        if let value, value > 0 { items.append((name, String(value))) }
    }

    mutating func perPage(_ value: Int?) throws(TogglError) {
        guard let value = try Self.perPage(value) else { return }
        items.append(("per_page", String(value)))
    }

    /// The page size to send: nil for the server's default (nil or 0).
    static func perPage(_ value: Int?) throws(TogglError) -> Int? {
        guard let value else { return nil }
        guard value >= 0 else { throw TogglError(.invalidArgument, "per_page must not be negative") }
        return value == 0 ? nil : value
    }
}

/// Decoders for the documented response shapes, shared by the endpoint factories.
enum ResponseDecoding {
    static func model<T: Decodable & Sendable>(_ type: T.Type) -> @Sendable ([UInt8]) throws(TogglError) -> Decoded<T> {
        { body throws(TogglError) in
            guard !JSONDocument.isBlank(body) else { throw TogglError(.decode, "empty response body where JSON was expected") }
            return try TogglJSON.decodeReportingIssues(T.self, from: body)
        }
    }

    /// `null` (or an empty body, which the executor hands over as `null`) is nil: GET /me/location
    /// answers with either when it knows nothing.
    static func optionalModel<T: Decodable & Sendable>(_ type: T.Type) -> @Sendable ([UInt8]) throws(TogglError) -> Decoded<T?> {
        { body throws(TogglError) in try TogglJSON.decodeReportingIssues(T?.self, from: body) }
    }
}
