/// How a `TogglClient` authenticates and behaves. Every field has the documented default.
public struct TogglConfiguration: Sendable, Hashable {
    public enum Authentication: Sendable, Hashable {
        /// The API token from the Toggl profile page (sent as Basic `token:api_token`).
        case apiToken(String)
        case emailPassword(email: String, password: String)
    }

    public static let defaultBaseURL = "https://api.track.toggl.com/api/v9"

    public var authentication: Authentication
    /// Everything up to and including `/api/v9`; a trailing slash is ignored.
    public var baseURL: String = TogglConfiguration.defaultBaseURL
    /// The whole call: every attempt, retry and wait included.
    public var timeout: Duration = .seconds(60)
    public var connectTimeout: Duration = .seconds(10)
    /// A response slower than this is cut off as a timeout; nil disables the check.
    public var lowSpeedLimit: LowSpeedLimit? = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(30))
    public var userAgent: String = "libtoggl/\(TogglVersion.string)"
    /// A PEM bundle to verify the server with instead of the system's. Verification is never off.
    public var caFile: String?
    /// Responses larger than this are aborted while streaming with `.tooLarge`.
    public var maxResponseBytes: Int64 = 64 << 20
    /// Retries for GET requests on 429, 5xx and transient network errors; 0 disables. PUT is never retried.
    public var maxRetries: Int = 2
    /// First backoff step when the server gives no Retry-After; doubles per retry, with full jitter.
    public var retryBaseDelay: Duration = .milliseconds(500)
    public var retryMaxDelay: Duration = .seconds(8)
    /// A Retry-After longer than this is not slept through: the call fails with `retryAfterSeconds` set.
    public var maxRetryAfter: Duration = .seconds(30)
    /// After a 402 (or a response saying no quota remains) fail locally, sending nothing, until the reset.
    public var failFastWhenQuotaExhausted: Bool = true

    public init(authentication: Authentication, baseURL: String = TogglConfiguration.defaultBaseURL) {
        self.authentication = authentication
        self.baseURL = baseURL
    }

    /// Checks every field; the client calls this so a bad value is reported before anything is sent.
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
        guard timeout > .zero else { throw TogglError(.invalidArgument, "timeout must be positive") }
        guard connectTimeout > .zero else { throw TogglError(.invalidArgument, "connect timeout must be positive") }
        guard maxResponseBytes > 0 else { throw TogglError(.invalidArgument, "maximum response size must be positive") }
        guard maxRetries >= 0 else { throw TogglError(.invalidArgument, "retries must not be negative") }
        guard retryBaseDelay >= .zero, retryMaxDelay >= .zero, maxRetryAfter >= .zero else {
            throw TogglError(.invalidArgument, "retry delays must not be negative")
        }
        if let lowSpeedLimit, lowSpeedLimit.bytesPerSecond <= 0 || lowSpeedLimit.duration < .seconds(1) {
            throw TogglError(.invalidArgument, "low-speed limit needs a positive rate over at least one second")
        }
        guard !userAgent.utf8.contains(where: { $0 < 0x20 }) else {
            throw TogglError(.invalidArgument, "user agent must not contain control characters")
        }
        if let caFile { try Self.requireText(caFile, "CA file path") }
        return (copy, credentials)
    }

    private static func requireText(_ value: String, _ name: String) throws(TogglError) {
        guard !value.isEmpty else { throw TogglError(.invalidArgument, "\(name) must not be empty") }
        guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw TogglError(.invalidArgument, "\(name) must not contain control characters")
        }
    }

    static func normalizedBaseURL(_ url: String) throws(TogglError) -> String {
        var trimmed = Substring(url)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw TogglError(.invalidArgument, "base URL must start with https:// or http://")
        }
        guard !trimmed.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
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
        return String(trimmed)
    }
}

public enum TogglVersion {
    public static let major = 0
    public static let minor = 1
    public static let patch = 0
    public static let string = "\(major).\(minor).\(patch)"
}
