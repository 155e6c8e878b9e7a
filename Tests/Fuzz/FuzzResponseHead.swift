// libFuzzer target: what a response's head can do to the client.
//
// The input is split into lines (each keeping its "\n") and fed to `ResponseHead` as libcurl's
// header callback would, until it refuses (more than 256 KiB). Then every number the client reads
// from headers goes through the code that reads it: the quota headers into a `QuotaTracker` (and
// its countdown and gate, at clock readings taken from the input), Retry-After in both forms
// against an arbitrary wall clock, Content-Length as the body buffer's reservation, the status
// line's code through `ResponseClassifier`.
//
// Invariants: no trap (overflow included); every number lands in its documented range.

@testable import TogglKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseHead(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 16 else { return 0 }
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let wallClock = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self))
    let elapsed = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self))
    let input = UnsafeBufferPointer(start: data + 16, count: size - 16)

    var head = ResponseHead()
    var start = 0
    while start < input.count {
        let end = input[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? input.count
        guard head.consume(UnsafeBufferPointer(rebasing: input[start..<end])) else { break }
        start = end
    }
    check(head.byteCount <= ResponseHead.maxBytes + input.count, "byte count")

    let statusLine = input.prefix { $0 != 0x0A }
    let status = ResponseHead.status(ofStatusLine: UnsafeBufferPointer(rebasing: statusLine))
    check((0...999).contains(status), "status \(status)")
    let response = HTTPResponse(status: status, headers: head.headers, body: [])

    // Quota: record at a reading, then count down and ask the gate at a later one.
    let tracker = QuotaTracker()
    let observed = ContinuousClock.now
    tracker.record(response, at: observed)
    // A monotonic clock only moves forward.
    let later = observed + .seconds(Int64(elapsed.magnitude % UInt64(HeaderNumber.maxSeconds * 4)))
    if let status = tracker.status {
        if let remaining = status.remaining { check((0...HeaderNumber.maxCount).contains(remaining), "remaining \(remaining)") }
        if let left = status.secondsUntilReset(now: later) {
            check((0...HeaderNumber.maxSeconds).contains(left), "seconds until reset \(left)")
        }
    }
    if let refusal = tracker.localRefusal(at: later) {
        check((0...HeaderNumber.maxSeconds + 1).contains(refusal.retryAfterSeconds ?? -1), "refusal \(refusal)")
    }
    if let seconds = ResponseClassifier.quotaResetSeconds(response, message: "") {
        check((0...HeaderNumber.maxSeconds).contains(seconds), "quota reset \(seconds)")
    }
    tracker.exhausted(resetsIn: ResponseClassifier.quotaResetSeconds(response, message: ""), message: "402", at: later)

    // Retry-After, both forms, against an arbitrary wall clock.
    if let wait = RetryAfter.parse(head.header("retry-after"), now: wallClock) {
        check(wait >= .zero && wait <= .seconds(HeaderNumber.maxSeconds), "Retry-After \(wait)")
        _ = RetryPolicy.wholeSeconds(wait)
    }

    // Content-Length as the body's reservation: never more than the cap.
    for limit: Int64 in [1, 64 << 20, .max] {
        if let length = HeaderNumber.nonNegative(head.header("content-length"), max: limit) {
            check((0...limit).contains(length), "content length \(length) under \(limit)")
        }
    }

    // Any status through the classifier (a redirect target too, when the input names one).
    var classified = response
    classified.redirectURL = head.header("location")
    _ = ResponseClassifier.classify(classified, redactor: SecretRedactor(Credentials(user: "t0ken-f0r-fuzzing", password: "api_token")))
    if let target = classified.redirectURL { _ = CurlURL.origin(of: target) }
    return 0
}

private func check(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition { fatalError("response head: \(what())") }
}
