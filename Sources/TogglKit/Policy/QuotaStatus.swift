/// The hourly quota as the server last reported it (`X-Toggl-Quota-*` headers or a 402).
public struct QuotaStatus: Sendable, Hashable {
    /// Requests left in the current window, nil when the server did not say.
    public var remaining: Int64?
    /// Seconds until the window frees a request, as reported at `observedAt`.
    public var resetsInSeconds: Int64?
    /// When the reading arrived (monotonic clock), for counting the reset down.
    public var observedAt: ContinuousClock.Instant

    /// `resetsInSeconds` counted down to `now`, never below zero (and never overflowing,
    /// whatever the fields hold).
    public func secondsUntilReset(now: ContinuousClock.Instant = .now) -> Int64? {
        guard let resetsInSeconds else { return nil }
        let elapsed = max(0, (now - observedAt).components.seconds)
        let (left, overflow) = resetsInSeconds.subtractingReportingOverflow(elapsed)
        return overflow ? 0 : max(0, left)
    }
}
