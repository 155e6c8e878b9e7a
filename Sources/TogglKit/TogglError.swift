/// Everything that can go wrong in a TogglKit call.
///
/// `code` mirrors the C status table one to one (`TOGGL_E*`), so every surface reports
/// the same thing. `message` is readable text, never a credential.
public struct TogglError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status table's one home: each case is a `TOGGL_E*` value of the C header (checked by FactsTests),
    /// and `name` is what `toggl_status_string` returns.
    public enum Code: Int32, Sendable, Hashable, CaseIterable {
        /// Bad argument from the caller; nothing was sent.
        case invalidArgument = -1
        /// DNS, connect, TLS, a reset connection or a body cut short.
        case network = -2
        /// A configured timeout (connect, total, low speed) elapsed.
        case timeout = -3
        /// HTTP 401 or 403.
        case auth = -4
        /// HTTP 404.
        case notFound = -5
        /// Any other 4xx; the message carries the server's text.
        case request = -6
        /// HTTP 402: the hourly quota is spent. `retryAfterSeconds` says when it resets.
        case quota = -7
        /// HTTP 429 still after the configured retries.
        case rateLimited = -8
        /// HTTP 5xx still after the configured retries.
        case server = -9
        /// The response is not the JSON the API documents.
        case decode = -10
        /// The response passed the configured size cap.
        case tooLarge = -11
        /// A bug in libtoggl, or the environment (an old libcurl) lacks something it needs.
        case `internal` = -12
        /// The call was cancelled: `TogglClient.cancel()`, or the `Task` awaiting it was cancelled.
        case cancelled = -13
        /// The local store: not a libtoggl store, a newer schema, locked past its busy timeout, disk I/O.
        case store = -14
    }

    /// What kind of failure; stable across versions.
    public var code: Code
    /// Readable text (the server's, when it sent some), at most 300 characters, never a secret.
    public var message: String
    /// The HTTP status of the last response, or nil when there was none.
    public var httpStatus: Int?
    /// Seconds until a new attempt can succeed (quota reset, Retry-After), nil when unknown.
    public var retryAfterSeconds: Int64?
    /// How many times the request was retried before this error was returned.
    public var retries: Int

    /// An error as a test double would build it.
    public init(_ code: Code, _ message: String, httpStatus: Int? = nil,
                retryAfterSeconds: Int64? = nil, retries: Int = 0) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfterSeconds = retryAfterSeconds
        self.retries = retries
    }

    public var description: String {
        var text = "\(code.name): \(message)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        return text
    }
}

extension TogglError.Code {
    /// The stable name used by every surface (`toggl_status_string` returns the same text).
    public var name: String {
        switch self {
        case .invalidArgument: "invalid argument"
        case .network: "network error"
        case .timeout: "timeout"
        case .auth: "authentication failed"
        case .notFound: "not found"
        case .request: "request rejected"
        case .quota: "quota exceeded"
        case .rateLimited: "rate limited"
        case .server: "server error"
        case .decode: "invalid response"
        case .tooLarge: "response too large"
        case .internal: "internal error"
        case .cancelled: "cancelled"
        case .store: "store error"
        }
    }
}
