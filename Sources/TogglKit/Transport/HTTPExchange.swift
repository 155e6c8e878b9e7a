/// One HTTP request as the transport sends it: no policy, no retries.
struct HTTPRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var body: [UInt8]?
    var credentials: Credentials
    var userAgent: String
    var caFile: String?
    /// Time left for this attempt (the call's deadline minus what was already spent).
    var timeout: Duration
    var connectTimeout: Duration
    var lowSpeedLimit: LowSpeedLimit?
    var maxResponseBytes: Int64
}

/// Basic-auth user and password as libcurl takes them: an API token is the user, `api_token` the password.
struct Credentials: Sendable, Hashable {
    var user: String
    var password: String
}

struct HTTPResponse: Sendable {
    var status: Int
    /// Header names lower-cased, of the final response only (not of 1xx interim responses,
    /// nor the trailers of a chunked body).
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// Where a 3xx points, made absolute by libcurl; nil when there is no usable Location.
    var redirectURL: String? = nil

    func header(_ name: String) -> String? {
        headers.last { $0.name == name }?.value
    }
}

/// Why a transfer produced no usable response.
struct TransportFailure: Error, Sendable {
    enum Kind: Sendable {
        /// Nothing reached the server or came back (connect refused, DNS, reset before a response).
        case connect
        /// The connection broke mid-response or after sending (reset, body cut short).
        case broken
        case timeout
        case tooLarge
        /// The peer's answer is not HTTP (an unparsable status line, HTTP/0.9).
        case notHTTP
        /// This libcurl lacks a feature the transfer needs.
        case unsupported
        case tls
        /// The call was cancelled mid-transfer.
        case cancelled
        case other
    }

    var kind: Kind
    var message: String
}
