
/// Sends one endpoint under the client's policy: local quota gate, deadline, retries, error mapping.
struct RequestExecutor: Sendable {
    /// A validated configuration and what is derived from it, swapped as a whole on reconfiguration.
    struct Settings: Sendable {
        let configuration: TogglConfiguration
        let credentials: Credentials
        let redactor: SecretRedactor

        init(_ configuration: TogglConfiguration) throws(TogglError) {
            let (validated, credentials) = try configuration.validated()
            self.configuration = validated
            self.credentials = credentials
            redactor = SecretRedactor(credentials)
        }
    }

    let settings: Settings
    let transport: CurlTransport
    let quota: QuotaTracker
    let clock = ContinuousClock()

    var configuration: TogglConfiguration { settings.configuration }
    var credentials: Credentials { settings.credentials }
    var redactor: SecretRedactor { settings.redactor }

    var retryPolicy: RetryPolicy {
        RetryPolicy(maxRetries: configuration.maxRetries, baseDelay: configuration.retryBaseDelay,
                    maxDelay: configuration.retryMaxDelay, maxRetryAfter: configuration.maxRetryAfter)
    }

    /// GET follows at most this many redirects, all within the base URL's origin.
    static let maxRedirects = 3

    /// - Parameters:
    ///   - validate: check the body against `shape` (the raw surfaces); typed calls skip it, as
    ///     their decoding scans the body with the same validator.
    ///   - secrets: what the request itself carries that no message may show (a PUT's passwords).
    ///   - control: the call's cancellation; a cancel ends a transfer or a wait at once.
    func execute(method: HTTPMethod, pathAndQuery: String, body: [UInt8]?, shape: JSONShape,
                 validate: Bool, secrets: [String] = [], control: CallControl) throws(TogglError) -> RawResponse {
        let start = clock.now
        if configuration.failFastWhenQuotaExhausted, let refusal = quota.localRefusal(at: start) {
            throw refusal
        }
        return try transport.withSlot(control) { (transfers) throws(TogglError) -> RawResponse in
            try execute(method: method, pathAndQuery: pathAndQuery, body: body, shape: shape, validate: validate,
                        redactor: redactor.adding(secrets), deadline: start + configuration.timeout,
                        transfers: transfers)
        }
    }

    private func execute(method: HTTPMethod, pathAndQuery: String, body: [UInt8]?, shape: JSONShape,
                         validate: Bool, redactor: SecretRedactor, deadline: ContinuousClock.Instant,
                         transfers: Transfers) throws(TogglError) -> RawResponse {
        // Only idempotent reads are retried: a PUT that timed out may still have been applied.
        let policy = method == .get ? retryPolicy : RetryPolicy(maxRetries: 0, baseDelay: .zero,
                                                                 maxDelay: .zero, maxRetryAfter: .zero)
        let firstURL = configuration.baseURL + pathAndQuery
        let origin = CurlURL.origin(of: firstURL)
        var attempt = 0
        var url = firstURL
        var redirects = 0
        while true {
            if transfers.control.isCancelled { throw CallControl.cancelledError(retries: attempt) }
            let timeLeft = deadline - clock.now
            guard timeLeft > .zero else {
                throw TogglError(.timeout, "the call's total timeout of \(configuration.timeout) elapsed", retries: attempt)
            }
            let request = HTTPRequest(
                method: method, url: url, body: body,
                credentials: credentials, userAgent: configuration.userAgent, caFile: configuration.caFile,
                timeout: timeLeft, connectTimeout: configuration.connectTimeout,
                lowSpeedLimit: configuration.lowSpeedLimit, maxResponseBytes: configuration.maxResponseBytes)

            var failure: TogglError
            var retryable: Bool
            var retryAfter: Duration?
            transfers.control.noteRequestSent()
            switch transfers.perform(request) {
            case .success(let response):
                let now = clock.now
                quota.record(response, at: now)
                var refusal: ResponseClassifier.RedirectRefusal?
                if (300..<400).contains(response.status) {
                    refusal = Self.redirectRefusal(response, method: method, origin: origin, redirects: redirects)
                    if refusal == nil, let target = response.redirectURL {
                        url = target
                        redirects += 1
                        continue
                    }
                }
                switch ResponseClassifier.classify(response, redactor: redactor,
                                                   redirectRefusal: refusal ?? .notARedirect) {
                case .success:
                    return try accept(response, shape: shape, validate: validate, retries: attempt)
                case .failure(let error, let canRetry, let serverRetryAfter):
                    failure = error
                    if error.code == .quota {
                        failure.retryAfterSeconds = quota.exhausted(resetsIn: error.retryAfterSeconds,
                                                                    message: error.message, at: now)
                    }
                    retryable = canRetry
                    retryAfter = serverRetryAfter
                }
            case .failure(let transportFailure):
                (failure, retryable) = ResponseClassifier.error(for: transportFailure, redactor: redactor)
            }
            failure.retries = attempt
            guard retryable else { throw failure }
            switch policy.decide(attempt: attempt, retryAfter: retryAfter, timeLeft: deadline - clock.now) {
            case .fail(let retryAfterSeconds):
                if let retryAfterSeconds { failure.retryAfterSeconds = retryAfterSeconds }
                throw failure
            case .retry(let wait):
                guard transfers.wait(wait) else { throw CallControl.cancelledError(retries: attempt) }
                attempt += 1
                url = firstURL
                redirects = 0
            }
        }
    }

    /// Why the 3xx `response` is not followed, or nil when it is: only a GET, only within the
    /// origin of the base URL (credentials never leave it), at most `maxRedirects`.
    private static func redirectRefusal(_ response: HTTPResponse, method: HTTPMethod, origin: CurlURL.Origin?,
                                        redirects: Int) -> ResponseClassifier.RedirectRefusal? {
        guard response.status != 304 else { return .notARedirect }
        guard method == .get else { return .put }
        guard let target = response.redirectURL, let targetOrigin = CurlURL.origin(of: target) else { return .noLocation }
        guard let origin, targetOrigin == origin else { return .otherOrigin }
        guard redirects < maxRedirects else { return .tooMany }
        return nil
    }

    private func accept(_ response: HTTPResponse, shape: JSONShape, validate: Bool,
                        retries: Int) throws(TogglError) -> RawResponse {
        if validate {
            do {
                try JSONValidator.check(response.body, as: shape)
            } catch {
                var error = error
                error.httpStatus = response.status
                error.retries = retries
                throw error
            }
        }
        let body = shape == .objectOrNull && JSONDocument.isBlank(response.body) ? Array("null".utf8) : response.body
        return RawResponse(status: response.status, body: shape == .empty ? [] : body, retries: retries,
                           serverDate: response.header("date"))
    }
}
