#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a blocking libcurl call on a thread of its own so that awaiting it never parks one of
/// Swift's cooperative-pool threads (there are only as many as cores).
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> Result<T, TogglError>) async -> Result<T, TogglError> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, TogglError>, Never>) in
            let job = Job { continuation.resume(returning: work()) }
            let context = Unmanaged.passRetained(job).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                Unmanaged<Job>.fromOpaque(context).takeRetainedValue().body()
                return nil
            }, context)
            if created == 0 {
                pthread_detach(thread)
            } else {
                Unmanaged<Job>.fromOpaque(context).release()
                continuation.resume(returning: .failure(TogglError(.internal, "could not start a worker thread")))
            }
        }
    }

    private final class Job: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
