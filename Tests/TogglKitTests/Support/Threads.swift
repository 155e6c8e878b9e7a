#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on `count` new OS threads at once and waits for all of them
/// (real threads, not tasks: the C API's users call from plain threads).
func runOnThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) throws {
    final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var threads: [pthread_t] = []
    for _ in 0..<count {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw SandboxError("pthread_create failed: \(created)")
        }
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
}
