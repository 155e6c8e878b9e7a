/// Maps a completed HTTP exchange to success or to the `TogglError` the status table prescribes.
enum ResponseClassifier {
    enum Outcome {
        case success
        /// `retryAfter` is the server's Retry-After, for the retry policy.
        case failure(TogglError, retryable: Bool, retryAfter: Duration?)
    }

    static func classify(_ response: HTTPResponse, redactor: SecretRedactor) -> Outcome {
        let status = response.status
        if (200..<300).contains(status) { return .success }
        let message = redactor.redact(ServerMessage.readable(
            body: response.body, status: status, contentType: response.header("content-type")))
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

    /// From `X-Toggl-Quota-Resets-In`, else `Retry-After`, else the "reset in N seconds" of the body.
    static func quotaResetSeconds(_ response: HTTPResponse, message: String) -> Int64? {
        if let header = response.header("x-toggl-quota-resets-in").flatMap({ Int64($0) }) { return max(0, header) }
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
        case .tooManyRedirects: return (TogglError(.network, "too many redirects (more than 3): " + message), false)
        case .badURL: return (TogglError(.invalidArgument, message), false)
        case .tls: return (TogglError(.network, "TLS: " + message), false)
        case .other: return (TogglError(.network, message), false)
        }
    }
}
