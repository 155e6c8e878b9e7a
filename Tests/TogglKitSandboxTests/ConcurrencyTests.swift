import Synchronization
import Testing
@testable import TogglKit
import TestSupport

/// One client shared by many threads and tasks.
@Suite struct ConcurrencyTests {
    @Test func eightTasksShareOneClient() async throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let names = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var last: String?
                    for _ in 0..<25 { last = try await client.me().fullname }
                    return last
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(names == Array(repeating: "Sandbox User", count: 8))
        #expect(try tenant.requestCount() == 200)
    }

    @Test func eightThreadsTimesFiveHundredCalls() async throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let failures = Atomic<Int>(0)
        let successes = Atomic<Int>(0)
        try await runOnThreads(8) {
            for _ in 0..<500 {
                do {
                    try client.logged()
                    successes.add(1, ordering: .relaxed)
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(successes.load(ordering: .relaxed) == 4_000)
        let received = try tenant.requests()
        #expect(received.count == 4_000)
        // Pooled handles keep their connections: a handful of connections carried 4,000 requests.
        let connections = Set(received.compactMap(\.connection))
        #expect(!connections.isEmpty)
        #expect(connections.count <= 16, "\(connections.count) connections for 4,000 requests")
    }
}

/// Awaiting a call must not park one of Swift's few cooperative threads for the transfer, and
/// must not start a thread per call either. Serialized: the thousand calls fill the bounded pool,
/// which would hold back the sixteen slow calls that must all be in flight at once.
@Suite(.serialized) struct AsyncBridgeTests {
    /// More calls than the pool has threads, all stalled: `client.cancel()` ends the running ones
    /// and the ones still waiting for a thread alike, promptly, and the waiting ones send nothing.
    @Test func cancelReachesCallsStillWaitingForAThread() async throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "stall", "stall_ms": 20000, "times": -1}]"#)
        let client = try tenant.client { $0.maxRetries = 0 }
        let calls = BlockingWork.maxThreads + 8
        let outcomes = try await withThrowingTaskGroup(of: TogglError.Code?.self) { group in
            for _ in 0..<calls {
                group.addTask {
                    do {
                        try await client.logged()
                        return nil
                    } catch {
                        return (error as? TogglError)?.code
                    }
                }
            }
            // Wait until every thread holds a stalled request and the rest are queued.
            let deadline = ContinuousClock.now + .seconds(30)
            while try tenant.requestCount() < BlockingWork.maxThreads || WorkerPool.shared.load.queued < calls - BlockingWork.maxThreads,
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let cancelled = ContinuousClock.now
            client.cancel()
            var codes: [TogglError.Code?] = []
            for try await code in group { codes.append(code) }
            #expect(ContinuousClock.now - cancelled < .seconds(2), "the calls ended \(ContinuousClock.now - cancelled) after the cancel")
            return codes
        }
        #expect(outcomes.count == calls)
        #expect(outcomes.allSatisfy { $0 == .cancelled }, "\(outcomes)")
        // Every call stalls and holds its thread: only the calls that had a thread can have sent
        // anything. At most maxThreads, not exactly: other suites' async calls may hold some of
        // the pool's threads meanwhile.
        #expect(try tenant.requestCount() <= BlockingWork.maxThreads, "the queued calls sent nothing")
    }

    /// 1,000 async calls at once, each held 20 ms by the server: a thread per call would start
    /// about a thousand threads; the pool starts at most `BlockingWork.maxThreads`.
    @Test func aThousandAsyncCallsShareABoundedPool() async throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"delay_ms": 20, "times": -1}]"#)
        let client = try tenant.client()
        let before = CancellationTests.threadCount()
        let peak = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        let sampler = Task.detached {
            while !done.load(ordering: .relaxed) {
                peak.raise(to: CancellationTests.threadCount())
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let succeeded = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<1_000 {
                group.addTask { (try? await client.logged()) != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        done.store(true, ordering: .relaxed)
        await sampler.value
        #expect(succeeded == 1_000)
        #expect(WorkerPool.shared.load.threads <= BlockingWork.maxThreads)
        let added = peak.load(ordering: .relaxed) - before
        #expect(added <= BlockingWork.maxThreads + 8, "\(added) threads were added for 1,000 calls")
    }


    @Test func slowCallsLeaveTheCooperativePoolFree() async throws {
        let tenant = try Sandbox.tenant()
        let calls = 16
        try tenant.faults(#"[{"delay_ms": 6000, "pass": true, "times": \#(calls)}]"#)
        let client = try tenant.client()
        let finished = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<calls {
                group.addTask {
                    try await client.logged()
                    finished.withLock { $0 += 1 }
                }
            }
            // All 16 reach the server while the first is still being answered: with blocking
            // calls on a pool of a few threads, most would have to finish before the rest start.
            // Other suites' blocking calls may hold the pool's threads for a few seconds before the
            // children start; the long server delay keeps every call in flight until all arrive.
            let deadline = ContinuousClock.now + .seconds(30)
            while try tenant.requestCount() < calls, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try tenant.requestCount() == calls)
            #expect(finished.withLock { $0 } == 0)
            try await group.waitForAll()
        }
        #expect(finished.withLock { $0 } == calls)
    }
}
