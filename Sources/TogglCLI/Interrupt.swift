#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import TogglKit

/// Ctrl-C: ends the request or sync in flight through `client.cancel()` (the command then
/// exits 130 with the store as it was or fully updated), and exits at once when nothing is in
/// flight or on a second Ctrl-C.
///
/// `cancel()` takes locks, so it must not run in a signal handler. SIGINT is blocked in every
/// thread instead, and one thread takes it with `sigwait`, where any call is safe.
enum Interrupt {
    private struct State {
        var client: TogglClient?
        var interrupted = false
    }

    private static let state = Locked(State())

    /// Call before any other thread starts: threads inherit the blocked mask, so SIGINT can only
    /// reach the watcher.
    static func install() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { _ in
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGINT)
            var received: Int32 = 0
            while true {
                guard sigwait(&signals, &received) == 0 else { continue }
                Interrupt.received()
            }
        }, nil)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // Without a watcher, Ctrl-C must still stop the process.
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        }
    }

    /// The client whose calls a Ctrl-C ends.
    static func watch(_ client: TogglClient) {
        state.withLock { $0.client = client }
    }

    static var wasInterrupted: Bool { state.withLock { $0.interrupted } }

    /// Before a call: a Ctrl-C that came between two calls stops the next one from starting.
    static func check() throws(Failure) {
        if wasInterrupted { throw Failure(ExitCodes.interrupted, "cancelled") }
    }

    private static func received() {
        let client: TogglClient? = state.withLock { state in
            if state.interrupted { return nil }
            state.interrupted = true
            return state.client
        }
        guard let client else {
            // Nothing to end gracefully (or a second Ctrl-C): the store is transactional, so
            // stopping here loses nothing that was committed.
            Progress.clear()
            _exit(ExitCodes.interrupted)
        }
        client.cancel()
    }
}
