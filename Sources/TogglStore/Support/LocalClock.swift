#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// This machine's wall clock in unix seconds: refresh times, ages and the quota's reset are kept
/// on it. Watermarks never are: they come from the server's `Date` header.
enum LocalClock {
    static func now() -> Int64 { Int64(time(nil)) }
}
