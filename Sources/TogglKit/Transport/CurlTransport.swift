import CCurl

/// Runs HTTP exchanges over libcurl, each easy handle driven by a multi handle of its own.
///
/// The multi interface is there for cancellation: `curl_multi_poll` sleeps until the socket is
/// ready, libcurl's next timeout, or `curl_multi_wakeup` from a thread that cancels the call.
/// Handle pairs are pooled: each pair keeps its live connections (in the multi handle's
/// connection cache), so a client that makes many calls reuses TCP+TLS connections instead of
/// handshaking per request. One share handle per transport adds a common DNS cache and TLS
/// session cache. The connection cache itself is not shared: libcurl does not support sharing
/// connections between concurrent threads (CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT).
final class CurlTransport: Sendable {
    private let share: CurlShare
    private let idle = Locked<[TransferSlot]>([])
    private static let maxIdleSlots = 16

    init() throws(TogglError) {
        guard curlGlobalInit == CURLE_OK else {
            throw TogglError(.internal, "libcurl could not be initialised")
        }
        share = try CurlShare()
    }

    deinit {
        idle.withLock { slots in
            for slot in slots { slot.cleanup() }
            slots.removeAll()
        }
    }

    /// Runs `body` with a handle pair of its own for the whole call (every attempt and the
    /// waits between them), attached to `control` so that a cancel wakes it.
    func withSlot<T>(_ control: CallControl,
                     _ body: (Transfers) throws(TogglError) -> T) throws(TogglError) -> T {
        guard let slot = checkout() else {
            throw TogglError(.internal, "libcurl could not create a handle")
        }
        control.attach(slot.multi)
        defer {
            control.detach()
            checkin(slot)
        }
        return try body(Transfers(slot: slot, share: share, control: control))
    }

    private func checkout() -> TransferSlot? {
        if let slot = idle.withLock({ $0.popLast() }) { return slot }
        return TransferSlot()
    }

    private func checkin(_ slot: TransferSlot) {
        let kept = idle.withLock { slots in
            guard slots.count < Self.maxIdleSlots else { return false }
            slots.append(slot)
            return true
        }
        if !kept { slot.cleanup() }
    }
}

/// What one call does with its handle pair: transfers, and waits that a cancel interrupts.
struct Transfers {
    let slot: TransferSlot
    let share: CurlShare
    let control: CallControl

    func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        CurlTransfer(slot: slot, share: share, request: request, control: control).run()
    }

    /// Sleeps for `duration`; false when the call was cancelled first.
    func wait(_ duration: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while !control.isCancelled {
            let left = deadline - clock.now
            guard left > .zero else { return true }
            // With no transfer added, the poll waits only for the timeout or a wakeup.
            let milliseconds = Int32(min(1000, left.clampedMilliseconds))
            _ = curl_multi_poll(slot.multi.raw, nil, 0, milliseconds, nil)
        }
        return false
    }
}

/// A `CURL *` and the `CURLM *` that drives it. Only ever used by one thread at a time: it is
/// either in the idle pool or checked out by one call (a cancelling thread only wakes the multi).
struct TransferSlot: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let multi: MultiHandle

    init?() {
        guard let easy = curl_easy_init() else { return nil }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = MultiHandle(raw: multi)
    }

    func cleanup() {
        curl_multi_cleanup(multi.raw)
        curl_easy_cleanup(easy)
    }
}

/// A `CURLM *`: `curl_multi_wakeup` on it is safe from any thread, everything else is not.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Swift initialises globals once, thread-safely, which is what curl_global_init needs.
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
