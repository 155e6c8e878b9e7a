import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A libcurl share handle holding the DNS and TLS session caches, with one mutex per kind of
/// shared data as CURLSHOPT_LOCKFUNC asks, so easy handles on different threads can use it.
final class CurlShare: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    private let locks: UnsafeMutablePointer<pthread_mutex_t>
    private static let lockCount = Int(CURL_LOCK_DATA_LAST.rawValue) + 1

    init() throws(TogglError) {
        guard let raw = curl_share_init() else {
            throw TogglError(.internal, "libcurl could not create a share handle")
        }
        self.raw = raw
        locks = .allocate(capacity: Self.lockCount)
        for index in 0..<Self.lockCount { pthread_mutex_init(locks + index, nil) }
        _ = toggl_curl_share_setopt_ptr(raw, CURLSHOPT_USERDATA, UnsafeMutableRawPointer(locks))
        _ = toggl_curl_share_setopt_lock(raw) { _, data, _, user in
            guard let user else { return }
            pthread_mutex_lock(user.assumingMemoryBound(to: pthread_mutex_t.self) + Int(data.rawValue))
        }
        _ = toggl_curl_share_setopt_unlock(raw) { _, data, user in
            guard let user else { return }
            pthread_mutex_unlock(user.assumingMemoryBound(to: pthread_mutex_t.self) + Int(data.rawValue))
        }
        _ = toggl_curl_share_setopt_long(raw, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        _ = toggl_curl_share_setopt_long(raw, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
    }

    deinit {
        curl_share_cleanup(raw)
        for index in 0..<Self.lockCount { pthread_mutex_destroy(locks + index) }
        locks.deallocate()
    }
}
