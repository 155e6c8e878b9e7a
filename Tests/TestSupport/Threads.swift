#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on `count` new OS threads at once and waits for all of them without holding a
/// thread of Swift's cooperative pool (real threads, not tasks: the C API's users call from
/// plain threads, and a blocked pool would stall every other test running in parallel).
public func runOnThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) async throws {
    let created = await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
        let coordinator = spawn {
            var threads: [pthread_t] = []
            var failure: Int32 = 0
            for _ in 0..<count {
                guard let thread = spawn(body) else { failure = -1; break }
                threads.append(thread)
            }
            for thread in threads { pthread_join(thread, nil) }
            done.resume(returning: failure)
        }
        if let coordinator { pthread_detach(coordinator) } else { done.resume(returning: -1) }
    }
    if created != 0 { throw ThreadError() }
}

private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Runs `body` on a new thread with a stack of `stackBytes` and waits for it (an app's
/// secondary thread: macOS gives 512 KiB).
public func onThread(stackBytes: Int, _ body: @escaping @Sendable () -> Void) throws {
    guard let thread = spawn(stackBytes: stackBytes, body) else { throw ThreadError() }
    pthread_join(thread, nil)
}

/// A thread started now and joined later.
public final class ThreadHandle: Sendable {
    private let thread: UInt

    public init(_ body: @escaping @Sendable () -> Void) throws {
        guard let thread = spawn(body) else { throw ThreadError() }
        self.thread = UInt(thread)
    }

    public func join() { pthread_join(pthread_t(thread), nil) }
}

private func spawn(stackBytes: Int? = nil, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if let stackBytes { pthread_attr_setstacksize(&attributes, stackBytes) }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    let created = pthread_create(&thread, &attributes, { context in
        guard let context else { return nil }
        Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
        return nil
    }, context)
    guard created == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        return nil
    }
    return thread
}

/// pthread_create failed (out of threads or memory).
public struct ThreadError: Error, CustomStringConvertible {
    public var description: String { "pthread_create failed" }
}
