/// Maps a completed HTTP exchange to success or to the `TogglError` the status table prescribes.
enum ResponseClassifier {
    enum Outcome {
        case success
        /// `retryAfter` is the server's Retry-After, for the retry policy.
        case failure(TogglError, retryable: Bool, retryAfter: Duration?)
    }

    /// Why a 3xx was not followed, for its message.
    enum RedirectRefusal {
        case put, otherOrigin, noLocation, tooMany, notARedirect
    }

    static func classify(_ response: HTTPResponse, redactor: SecretRedactor,
                         redirectRefusal: RedirectRefusal = .notARedirect) -> Outcome {
        let status = response.status
        if (200..<300).contains(status) { return .success }
        guard (200..<600).contains(status) else {
            // A final 1xx, or a status no HTTP server sends: the peer does not speak HTTP.
            return .failure(TogglError(.network, "the server's answer is not HTTP (status \(status))", httpStatus: status),
                            retryable: false, retryAfter: nil)
        }
        if (300..<400).contains(status) {
            return .failure(TogglError(.request, redirectMessage(response, refusal: redirectRefusal, redactor: redactor),
                                       httpStatus: status),
                            retryable: false, retryAfter: nil)
        }
        let message = ServerMessage.readable(body: response.body, status: status,
                                             contentType: response.header("content-type"), redactor: redactor)
        let retryAfter = RetryAfter.parse(response.header("retry-after"))
        func failure(_ code: TogglError.Code, retryable: Bool) -> Outcome {
            .failure(TogglError(code, message, httpStatus: status, retryAfterSeconds: retryAfter.map(RetryPolicy.wholeSeconds)),
                     retryable: retryable, retryAfter: retryAfter)
        }
        switch status {
        case 401, 403: return failure(.auth, retryable: false)
        case 402:
            var quota = TogglError(.quota, message, httpStatus: status)
            quota.retryAfterSeconds = quotaResetSeconds(response, message: message)
            return .failure(quota, retryable: false, retryAfter: nil)
        case 404: return failure(.notFound, retryable: false)
        case 429: return failure(.rateLimited, retryable: true)
        case 500...599: return failure(.server, retryable: true)
        default: return failure(.request, retryable: false)
        }
    }

    private static func redirectMessage(_ response: HTTPResponse, refusal: RedirectRefusal,
                                        redactor: SecretRedactor) -> String {
        // Bounded for the work of redacting it, far beyond the clip, and clipped only afterwards.
        let target = response.redirectURL.map { String($0.prefix(ServerMessage.scanLimit)) }
        let reason = switch refusal {
        case .put: "a PUT is sent once and never follows a redirect"
        case .otherOrigin: "it leads to another origin (scheme, host or port), which never gets the credentials"
        case .noLocation: "it has no usable Location"
        case .tooMany: "more than \(RequestExecutor.maxRedirects) redirects"
        case .notARedirect: "it is not a redirect libtoggl follows"
        }
        let text = target.map { "HTTP \(response.status) not followed: \(reason); it points to \($0)" }
            ?? "HTTP \(response.status) not followed: \(reason)"
        return ServerMessage.clip(redactor.redact(text))
    }

    /// From `X-Toggl-Quota-Resets-In`, else `Retry-After`, else the "reset in N seconds" of the body.
    static func quotaResetSeconds(_ response: HTTPResponse, message: String) -> Int64? {
        if let header = HeaderNumber.seconds(response.header("x-toggl-quota-resets-in")) { return header }
        if let retryAfter = RetryAfter.parse(response.header("retry-after")) {
            return RetryPolicy.wholeSeconds(retryAfter)
        }
        return ServerMessage.resetSeconds(inQuotaMessage: message)
    }

    static func error(for failure: TransportFailure, redactor: SecretRedactor) -> (TogglError, retryable: Bool) {
        let message = redactor.redact(failure.message)
        switch failure.kind {
        case .connect: return (TogglError(.network, message), true)
        case .broken: return (TogglError(.network, message), true)
        case .timeout: return (TogglError(.timeout, message), false)
        case .tooLarge: return (TogglError(.tooLarge, message), false)
        case .notHTTP: return (TogglError(.network, "the server's answer is not HTTP: " + message), false)
        case .unsupported: return (TogglError(.internal, message), false)
        case .tls: return (TogglError(.network, "TLS: " + message), false)
        case .cancelled: return (TogglError(.cancelled, message), false)
        case .other: return (TogglError(.network, message), false)
        }
    }
}
