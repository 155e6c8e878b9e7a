/// Numbers read from a response (headers, a quota message). Each is clamped to a range that
/// arithmetic on it can never overflow: a server may send `-9223372036854775808`.
enum HeaderNumber {
    /// A day: longer than any quota window or sensible Retry-After, and far from overflowing.
    static let maxSeconds: Int64 = 86_400
    /// Far above any real quota, far below overflow.
    static let maxCount: Int64 = 1_000_000_000

    /// Decimal digits (surrounding white space allowed, no sign) clamped to `0...limit`;
    /// nil for anything else, including a negative number.
    static func nonNegative(_ value: String?, max limit: Int64) -> Int64? {
        guard let digits = value?.trimmingASCIIWhitespace(), !digits.isEmpty else { return nil }
        var result: Int64 = 0
        for byte in digits.utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            // Saturate at the limit instead of overflowing (the limit may be Int64.max).
            let (shifted, overflowMultiply) = result.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = shifted.addingReportingOverflow(Int64(byte - 0x30))
            result = overflowMultiply || overflowAdd ? limit : min(next, limit)
        }
        return result
    }

    static func seconds(_ value: String?) -> Int64? { nonNegative(value, max: maxSeconds) }
    static func count(_ value: String?) -> Int64? { nonNegative(value, max: maxCount) }
}
