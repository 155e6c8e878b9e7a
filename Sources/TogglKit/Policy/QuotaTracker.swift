

/// Keeps the latest quota reading of one client and decides whether a call may be sent at all.
package final class QuotaTracker: Sendable {
    /// How long the gate stays closed after a 402, or a response reporting no quota left, that
    /// does not say when the quota resets: sending again at once would only spend a request.
    package static let defaultBlock: Int64 = 60

    private struct State {
        var status: QuotaStatus?
        /// No request is sent before this instant (set by a 402 or by `remaining == 0`).
        var blockedUntil: ContinuousClock.Instant?
        var blockMessage = ""
    }

    private let state = Locked(State())

    var status: QuotaStatus? { state.withLock { $0.status } }

    /// Records the quota headers of any response; `remaining == 0` closes the gate until the reset.
    func record(_ response: HTTPResponse, at now: ContinuousClock.Instant) {
        let remaining = HeaderNumber.count(response.header("x-toggl-quota-remaining"))
        let resetsIn = HeaderNumber.seconds(response.header("x-toggl-quota-resets-in"))
        guard remaining != nil || resetsIn != nil else { return }
        state.withLock { state in
            state.status = QuotaStatus(remaining: remaining, resetsInSeconds: resetsIn, observedAt: now)
            if remaining == 0 {
                let block = resetsIn.flatMap { $0 > 0 ? $0 : nil }
                state.blockedUntil = now + .seconds(block ?? Self.defaultBlock)
                state.blockMessage = block.map { "the hourly API quota is used up; it resets in \($0) s" }
                    ?? "the hourly API quota is used up; the server did not say when it resets, so no request is sent for \(Self.defaultBlock) s"
            }
        }
    }

    /// A 402: the quota is spent; block until the reset, or for `defaultBlock` when the
    /// server did not say. Returns how long the gate is closed, in seconds.
    @discardableResult
    func exhausted(resetsIn: Int64?, message: String, at now: ContinuousClock.Instant) -> Int64 {
        let block = max(1, min(resetsIn ?? Self.defaultBlock, HeaderNumber.maxSeconds))
        state.withLock { state in
            var status = state.status ?? QuotaStatus(remaining: 0, resetsInSeconds: resetsIn, observedAt: now)
            status.remaining = 0
            status.resetsInSeconds = resetsIn
            status.observedAt = now
            state.blockedUntil = now + .seconds(block)
            state.blockMessage = message
            state.status = status
        }
        return block
    }

    /// The local quota error to return instead of sending, or nil when the call may go out.
    func localRefusal(at now: ContinuousClock.Instant) -> TogglError? {
        state.withLock { state in
            guard let until = state.blockedUntil else { return nil }
            guard now < until else {
                state.blockedUntil = nil
                return nil
            }
            let left = until - now
            let seconds = left.components.seconds + (left.components.attoseconds > 0 ? 1 : 0)
            // No HTTP status: nothing was sent, so there is no response to describe.
            return TogglError(.quota, state.blockMessage + " (refused locally, nothing was sent)",
                              retryAfterSeconds: seconds)
        }
    }
}
