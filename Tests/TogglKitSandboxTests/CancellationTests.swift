#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import TogglKit
import TestSupport

/// `TogglClient.cancel()` and Task cancellation against a server that stalls: the call ends
/// within 100 ms with `.cancelled`, later calls work, and async calls share a bounded pool.
@Suite(.serialized) struct CancellationTests {
    /// A cancel is a wakeup, not a progress tick: well under this even under the sanitizers.
    static let promptly = Duration.milliseconds(100)
    static let clock = ContinuousClock()

    @Test func cancelFromAnotherThreadEndsAStalledCall() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "stall", "stall_ms": 10000}]"#)
        let client = try tenant.client()
        let call = try BackgroundCall { _ = try client.me() }
        try tenant.waitForRequests(1)
        let cancelled = Self.clock.now
        client.cancel()
        let (error, ended) = call.finish()
        #expect(error?.code == .cancelled)
        #expect(ended - cancelled < Self.promptly, "ended \(ended - cancelled) after the cancel")
        // The handle pair went back to the pool; it still works.
        #expect(try client.me().fullname == "Sandbox User")
        #expect(try tenant.requestCount() == 2)
    }

    @Test func cancelInterruptsTheWaitBetweenRetries() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 503, "message": "later", "headers": {"Retry-After": "20"}}]"#)
        let client = try tenant.client { $0.maxRetryAfter = .seconds(30) }
        let call = try BackgroundCall { _ = try client.tags() }
        try tenant.waitForRequests(1)
        let cancelled = Self.clock.now
        client.cancel()
        let (error, ended) = call.finish()
        #expect(error?.code == .cancelled)
        #expect(ended - cancelled < Self.promptly, "ended \(ended - cancelled) after the cancel")
        #expect(try tenant.requestCount() == 1, "the retry was never sent")
    }

    @Test func aCancelReachesOnlyCallsThatBeganBeforeIt() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        client.cancel()
        #expect(try client.me().fullname == "Sandbox User")
        try client.logged()
    }

    @Test func cancelledPageIsFetchedAgain() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        var pages = client.rawPages(try .projects(perPage: 100))
        #expect(try pages.next() != nil)
        try tenant.faults(#"[{"action": "stall", "stall_ms": 10000}]"#)
        let cursor = pages.cursor
        let call = try BackgroundCall { [pages] in
            var pages = pages
            _ = try pages.next()
        }
        try tenant.waitForRequests(2)
        client.cancel()
        #expect(call.finish().error?.code == .cancelled)
        #expect(pages.cursor == cursor)
        #expect(try pages.next() != nil)
        let lines = try tenant.requestLines()
        #expect(lines.count == 3)
        #expect(lines[1] == lines[2], "the cancelled page is asked for again, nothing skipped")
    }

    @Test func cancellingTheTaskEndsAnAsyncCall() async throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "stall", "stall_ms": 10000}]"#)
        let client = try tenant.client()
        let task = Task { try await client.me() }
        try await tenant.waitForRequestsAsync(1)
        let cancelled = Self.clock.now
        task.cancel()
        let result = await task.result
        let ended = Self.clock.now
        #expect(throws: TogglError.self) { try result.get() }
        if case .failure(let error) = result { #expect((error as? TogglError)?.code == .cancelled) }
        #expect(ended - cancelled < Self.promptly, "ended \(ended - cancelled) after the cancel")
        #expect(try await client.me().fullname == "Sandbox User")
    }

    @Test func aTaskCancelledBeforeItsCallSendsNothing() async throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.tags()
        }
        let error = await #expect(throws: TogglError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(try tenant.requestCount() == 0)
    }

    @Test func clientCancelEndsAnAsyncCallToo() async throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "stall", "stall_ms": 10000}]"#)
        let client = try tenant.client()
        let task = Task { try await client.clients() }
        try await tenant.waitForRequestsAsync(1)
        client.cancel()
        let error = await #expect(throws: TogglError.self) { try await task.value }
        #expect(error?.code == .cancelled)
    }

    /// Threads of this process, from /proc (Linux).
    static func threadCount() -> Int {
        guard let directory = opendir("/proc/self/task") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != Array(".".utf8), name != Array("..".utf8) { count += 1 }
        }
        return count
    }
}

extension Atomic where Value == Int {
    func raise(to value: Int) {
        var current = load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

/// A blocking call on a thread of its own, as a C program makes it; `finish()` joins it.
final class BackgroundCall: Sendable {
    private let outcome = Locked<Outcome?>(nil)
    private struct Outcome: Sendable {
        var error: TogglError?
        var ended: ContinuousClock.Instant
    }
    private let thread: ThreadHandle

    init(_ body: @escaping @Sendable () throws -> Void) throws {
        let outcome = self.outcome
        thread = try ThreadHandle {
            var failure: TogglError?
            do { try body() } catch { failure = error as? TogglError ?? TogglError(.internal, "\(error)") }
            let ended = ContinuousClock().now
            outcome.withLock { $0 = Outcome(error: failure, ended: ended) }
        }
    }

    /// Waits for the call and returns how it ended (nil error: it succeeded) and when.
    func finish() -> (error: TogglError?, ended: ContinuousClock.Instant) {
        thread.join()
        let outcome = self.outcome.withLock { $0 } ?? Outcome(error: TogglError(.internal, "the call did not run"),
                                                              ended: ContinuousClock().now)
        return (outcome.error, outcome.ended)
    }
}

extension Tenant {
    /// Polls the request log until `count` requests arrived (the sandbox logs before it stalls).
    func waitForRequests(_ count: Int, within limit: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock().now + limit
        while try requestCount() < count {
            guard ContinuousClock().now < deadline else { throw SandboxError("\(count) requests did not arrive") }
            var pause = timespec(tv_sec: 0, tv_nsec: 2_000_000)
            nanosleep(&pause, nil)
        }
    }

    func waitForRequestsAsync(_ count: Int, within limit: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock().now + limit
        while try requestCount() < count {
            guard ContinuousClock().now < deadline else { throw SandboxError("\(count) requests did not arrive") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
