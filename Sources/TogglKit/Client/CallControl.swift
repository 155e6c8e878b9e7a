import CCurl

/// The cancellation state of one call: set by `TogglClient.cancel()` or by the cancelled `Task`
/// awaiting the call, read by the transfer loop and the waits between retries.
///
/// While a transfer or a wait is under way, the call's multi handle is attached: a cancel then
/// wakes it with `curl_multi_wakeup` (the one multi function libcurl allows from another thread),
/// so the call ends at once instead of at libcurl's next progress tick, about a second later.
package final class CallControl: Sendable {
    private struct State: Sendable {
        var cancelled = false
        /// Requests handed to libcurl, retries and redirects included (a sync reports them).
        var requestsSent = 0
        var waker: MultiHandle?
        /// Set while the call waits for a worker thread: takes it out of the queue.
        var withdraw: (@Sendable () -> Void)?
        /// A worker took the call: a withdraw hook set after that is not kept.
        var running = false
    }

    private let state = Locked(State())

    package init() {}

    package var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// How many requests the call has sent so far, retries and redirects included.
    package var requestsSent: Int { state.withLock { $0.requestsSent } }

    func noteRequestSent() {
        state.withLock { $0.requestsSent += 1 }
    }

    func cancel() {
        let withdraw = state.withLock { state -> (@Sendable () -> Void)? in
            state.cancelled = true
            // Under the lock: `detach` takes the same lock, so the handle is not pooled (or freed) meanwhile.
            if let waker = state.waker { _ = curl_multi_wakeup(waker.raw) }
            defer { state.withdraw = nil }
            return state.withdraw
        }
        // Outside the lock: withdrawing resumes the awaiting task.
        withdraw?()
    }

    func markCancelled() {
        state.withLock { $0.cancelled = true }
    }

    /// While the call is queued for a thread, a cancel calls `withdraw` (once). A cancel that
    /// came first calls it at once.
    func whileQueued(_ withdraw: @escaping @Sendable () -> Void) {
        let cancelled = state.withLock { state -> Bool in
            if !state.cancelled, !state.running { state.withdraw = withdraw }
            return state.cancelled
        }
        if cancelled { withdraw() }
    }

    func dequeued() {
        state.withLock {
            $0.withdraw = nil
            $0.running = true
        }
    }

    /// Until `detach()`, a cancel wakes `multi`. A cancel that came first wakes it now, so the
    /// next poll returns at once.
    func attach(_ multi: MultiHandle) {
        state.withLock { state in
            state.waker = multi
            if state.cancelled { _ = curl_multi_wakeup(multi.raw) }
        }
    }

    func detach() {
        state.withLock { $0.waker = nil }
    }

    static func cancelledError(retries: Int = 0) -> TogglError {
        TogglError(.cancelled, "the call was cancelled", retries: retries)
    }
}

/// The calls under way on one client, so that `cancel()` reaches every one that began before it.
final class CallRegistry: Sendable {
    private let calls = Locked<[ObjectIdentifier: CallControl]>([:])

    init() {}

    /// Runs `body` as a call of this client: a `cancelAll()` while it runs cancels `control`.
    func run<T>(_ control: CallControl, _ body: () throws(TogglError) -> T) throws(TogglError) -> T {
        let key = ObjectIdentifier(control)
        // A call may run inside another one with the same control (a store's sync is one call
        // of many requests): only the outermost registration is removed on the way out.
        let registered = calls.withLock { $0.updateValue(control, forKey: key) == nil }
        defer { if registered { _ = calls.withLock { $0.removeValue(forKey: key) } } }
        if control.isCancelled { throw CallControl.cancelledError() }
        return try body()
    }

    /// Registers `control` for the time an async call waits for a thread and runs: a cancel
    /// reaches it even before a worker has picked it up.
    func register(_ control: CallControl) {
        calls.withLock { $0[ObjectIdentifier(control)] = control }
    }

    func unregister(_ control: CallControl) {
        _ = calls.withLock { $0.removeValue(forKey: ObjectIdentifier(control)) }
    }

    func cancelAll() {
        let controls = calls.withLock { Array($0.values) }
        // Mark them all first: a thread that one cancel frees must not start a queued call that
        // the loop has not reached yet.
        for control in controls { control.markCancelled() }
        for control in controls { control.cancel() }
    }
}
