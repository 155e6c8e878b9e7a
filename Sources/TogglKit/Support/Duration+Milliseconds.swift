extension Duration {
    /// Milliseconds for a libcurl `long` option: at least 1 (0 would mean "no timeout").
    var clampedMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return Int.max }
        return Swift.max(1, Int(millis.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}
