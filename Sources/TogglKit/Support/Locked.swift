#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex; TogglStore keeps its SQLite connections in one and the
/// `toggl` tool its shared state.
///
/// Not `Synchronization.Mutex`: on Linux that is built on raw futex calls which ThreadSanitizer
/// cannot see, so every access under it is reported as a race and real races would drown.
/// pthread mutexes are intercepted by TSan, so the sanitizer runs stay meaningful.
///
/// `Value` need not be `Sendable` (an SQLite connection is not): it is only ever touched inside
/// `withLock`, and must not escape it.
package final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
