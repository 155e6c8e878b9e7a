#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// When to try a failed GET again, and how long to wait first.
struct RetryPolicy: Sendable {
    var maxRetries: Int
    var baseDelay: Duration
    var maxDelay: Duration
    var maxRetryAfter: Duration

    enum Decision: Equatable {
        case retry(after: Duration)
        /// Give up and report; `retryAfterSeconds` tells the caller when trying again makes sense.
        case fail(retryAfterSeconds: Int64?)
    }

    /// - Parameters:
    ///   - attempt: 0 for the first try.
    ///   - retryAfter: the server's Retry-After, already parsed.
    ///   - timeLeft: until the call's deadline.
    func decide(attempt: Int, retryAfter: Duration?, timeLeft: Duration,
                random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Decision {
        let hint = retryAfter.map { Self.wholeSeconds($0) }
        guard attempt < maxRetries else { return .fail(retryAfterSeconds: hint) }
        let wait: Duration
        if let retryAfter {
            // A long Retry-After is reported rather than slept through: the caller decides.
            guard retryAfter <= maxRetryAfter else { return .fail(retryAfterSeconds: hint) }
            wait = retryAfter
        } else {
            // Full jitter (uniform in [0, min(cap, base * 2^attempt)]) spreads retries of many clients.
            let ceiling = min(maxDelay, baseDelay * (1 << min(attempt, 20)))
            let seconds = Double(ceiling.components.seconds) + Double(ceiling.components.attoseconds) / 1e18
            wait = .nanoseconds(Int64(random(0...seconds) * 1e9))
        }
        guard wait < timeLeft else { return .fail(retryAfterSeconds: hint) }
        return .retry(after: wait)
    }

    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds + (attoseconds > 0 ? 1 : 0)
    }
}

/// `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
enum RetryAfter {
    static func parse(_ value: String?, now: Int64 = wallClockSeconds()) -> Duration? {
        guard let value = value?.trimmingASCIIWhitespace(), !value.isEmpty else { return nil }
        if let seconds = HeaderNumber.seconds(value) { return .seconds(seconds) }
        guard let date = httpDate(value) else { return nil }
        let (left, overflow) = date.subtractingReportingOverflow(now)
        return .seconds(overflow ? 0 : min(max(0, left), HeaderNumber.maxSeconds))
    }

    /// IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, as UNIX seconds.
    static func httpDate(_ value: String) -> Int64? {
        let parts = value.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])),
              parts[1].count == 2, parts[3].count == 4, parts[4].count == 8 else { return nil }
        let iso = "\(parts[3])-\(monthIndex < 9 ? "0" : "")\(monthIndex + 1)-\(parts[1])T\(parts[4])Z"
        return TogglTimestamp(iso)?.secondsSinceEpoch
    }

    static func wallClockSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
