#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on `count` new OS threads at once and waits for all of them without holding a
/// thread of Swift's cooperative pool (real threads, not tasks: the C API's users call from
/// plain threads, and a blocked pool would stall every other test running in parallel).
func runOnThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) async throws {
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
    if created != 0 { throw SandboxError("pthread_create failed") }
}

final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    var thread = pthread_t()
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    let created = pthread_create(&thread, nil, { context in
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
