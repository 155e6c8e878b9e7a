#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A value that one thread at a time may use, behind a pthread mutex (which ThreadSanitizer
/// understands, unlike the futex-based `Mutex`). Holds SQLite connections, which are not
/// thread-safe: they are opened with `SQLITE_OPEN_NOMUTEX` and serialised here instead.
final class Exclusive<Value>: @unchecked Sendable {
    private let value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result, Failure: Error>(_ body: (Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(value)
    }
}
