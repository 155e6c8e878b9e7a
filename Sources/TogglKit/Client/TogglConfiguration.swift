/// How a `TogglClient` authenticates and behaves. Every field has the documented default.
public struct TogglConfiguration: Sendable, Hashable {
    /// How the client authenticates: both are HTTP Basic, as the API asks.
    public enum Authentication: Sendable, Hashable {
        /// The API token from the Toggl profile page (sent as Basic `token:api_token`).
        case apiToken(String)
        case emailPassword(email: String, password: String)
    }

    /// The real API; tests point `baseURL` at the sandbox instead.
    public static let defaultBaseURL = "https://api.track.toggl.com/api/v9"

    /// The credentials; never part of any message.
    public var authentication: Authentication
    /// Everything up to and including `/api/v9`; a trailing slash is ignored.
    public var baseURL: String = TogglConfiguration.defaultBaseURL
    /// The whole call: every attempt, retry and wait included.
    public var timeout: Duration = .seconds(60)
    /// For the TCP and TLS handshake of each attempt (1 ms to a day).
    public var connectTimeout: Duration = .seconds(10)
    /// A response slower than this is cut off as a timeout; nil disables the check.
    public var lowSpeedLimit: LowSpeedLimit? = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(30))
    /// Sent as User-Agent; at most 1 KiB, no control characters.
    public var userAgent: String = "libtoggl/\(TogglVersion.string)"
    /// A PEM bundle to verify the server with instead of the system's. Verification is never off.
    public var caFile: String?
    /// Responses larger than this are aborted while streaming with `.tooLarge`.
    public var maxResponseBytes: Int64 = 64 << 20
    /// Retries for GET requests on 429, 5xx and transient network errors; 0 disables. PUT is never retried.
    public var maxRetries: Int = 2
    /// First backoff step when the server gives no Retry-After; doubles per retry, with full jitter.
    public var retryBaseDelay: Duration = .milliseconds(500)
    /// The cap of the exponential backoff between retries.
    public var retryMaxDelay: Duration = .seconds(8)
    /// A Retry-After longer than this is not slept through: the call fails with `retryAfterSeconds` set.
    public var maxRetryAfter: Duration = .seconds(30)
    /// After a 402 (or a response saying no quota remains) fail locally, sending nothing, until the reset.
    public var failFastWhenQuotaExhausted: Bool = true

    /// The defaults described on each property; checked when a client is made with it.
    public init(authentication: Authentication, baseURL: String = TogglConfiguration.defaultBaseURL) {
        self.authentication = authentication
        self.baseURL = baseURL
    }

    /// The largest timeout, connect timeout and low-speed window accepted: a day.
    public static let maxDuration: Duration = .seconds(86_400)
    /// The most retries accepted.
    public static let maxRetriesLimit = 10
    /// The longest token, email, password and user agent accepted, in UTF-8 bytes.
    public static let maxTextBytes = 1024
    /// The longest base URL and CA file path accepted, in UTF-8 bytes.
    public static let maxPathBytes = 4096

    /// Checks every field; the client calls this so a bad value is reported before anything is
    /// sent. Every C setter and Python argument ends here too, so each rule is written once.
    func validated() throws(TogglError) -> (configuration: TogglConfiguration, credentials: Credentials) {
        var copy = self
        let credentials: Credentials
        switch authentication {
        case .apiToken(let token):
            try Self.requireText(token, "API token")
            guard !token.contains(":") else { throw TogglError(.invalidArgument, "API token must not contain ':'") }
            credentials = Credentials(user: token, password: "api_token")
        case .emailPassword(let email, let password):
            try Self.requireText(email, "email")
            try Self.requireText(password, "password")
            guard !email.contains(":") else { throw TogglError(.invalidArgument, "email must not contain ':'") }
            credentials = Credentials(user: email, password: password)
        }
        copy.baseURL = try Self.normalizedBaseURL(baseURL)
        try Self.requireDuration(timeout, "timeout", minimum: .milliseconds(1))
        try Self.requireDuration(connectTimeout, "connect timeout", minimum: .milliseconds(1))
        guard maxResponseBytes > 0 else { throw TogglError(.invalidArgument, "maximum response size must be positive") }
        guard (0...Self.maxRetriesLimit).contains(maxRetries) else {
            throw TogglError(.invalidArgument, "retries must be between 0 and \(Self.maxRetriesLimit)")
        }
        try Self.requireDuration(retryBaseDelay, "retry base delay", minimum: .zero)
        try Self.requireDuration(retryMaxDelay, "retry maximum delay", minimum: .zero)
        try Self.requireDuration(maxRetryAfter, "maximum Retry-After", minimum: .zero)
        if let lowSpeedLimit {
            guard lowSpeedLimit.bytesPerSecond > 0, lowSpeedLimit.bytesPerSecond <= 1 << 30 else {
                throw TogglError(.invalidArgument, "low-speed limit needs a rate between 1 byte and 1 GiB per second")
            }
            try Self.requireDuration(lowSpeedLimit.duration, "low-speed window", minimum: .seconds(1))
        }
        try Self.requireText(userAgent, "user agent", allowEmpty: true)
        if let caFile { try Self.requireText(caFile, "CA file path", maxBytes: Self.maxPathBytes) }
        return (copy, credentials)
    }

    private static func requireDuration(_ value: Duration, _ name: String, minimum: Duration) throws(TogglError) {
        guard value >= minimum, value <= maxDuration else {
            throw TogglError(.invalidArgument, minimum > .zero
                ? "\(name) must be positive and at most a day"
                : "\(name) must not be negative and at most a day")
        }
    }

    /// Text that goes into a header or a libcurl option: C0 and C1 controls and DEL would end or
    /// corrupt a header line (U+0085 is a line break to some parsers); length is bounded.
    private static func requireText(_ value: String, _ name: String, allowEmpty: Bool = false,
                                    maxBytes: Int = maxTextBytes) throws(TogglError) {
        guard allowEmpty || !value.isEmpty else { throw TogglError(.invalidArgument, "\(name) must not be empty") }
        guard value.utf8.count <= maxBytes else {
            throw TogglError(.invalidArgument, "\(name) must be at most \(maxBytes) bytes")
        }
        guard !value.unicodeScalars.contains(where: isControl) else {
            throw TogglError(.invalidArgument, "\(name) must not contain control characters")
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    static func normalizedBaseURL(_ url: String) throws(TogglError) -> String {
        var trimmed = Substring(url)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw TogglError(.invalidArgument, "base URL must start with https:// or http://")
        }
        guard trimmed.utf8.count <= maxPathBytes else {
            throw TogglError(.invalidArgument, "base URL must be at most \(maxPathBytes) bytes")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.value <= 0x20 || isControl($0) }) else {
            throw TogglError(.invalidArgument, "base URL must not contain spaces or control characters")
        }
        let authority = lower.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" }
        guard !authority.isEmpty else { throw TogglError(.invalidArgument, "base URL has no host") }
        // Credentials belong in the configuration, where they never end up in an error message.
        guard !authority.contains("@") else {
            throw TogglError(.invalidArgument, "base URL must not contain user information")
        }
        guard !trimmed.contains("?"), !trimmed.contains("#") else {
            throw TogglError(.invalidArgument, "base URL must not contain a query or fragment")
        }
        // The parser every transfer will use: a port above 65535 or an unclosed `[::1` fails here,
        // not at the next call.
        if let problem = CurlURL.problem(with: String(trimmed)) {
            throw TogglError(.invalidArgument, "base URL is not a valid URL: \(problem)")
        }
        return String(trimmed)
    }
}
