import Testing
@testable import TogglKit
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Hardening that needs no server: numbers from headers, the decoder's depth on a small stack,
/// page cursors, response heads, redaction, and configuration refused when it is set (issue 8,
/// numbered as there). The hostile-server half is `HostileServerTests` in TogglKitSandboxTests.
@Suite struct HardeningTests {
    static let token = "hermetic-test-token-0123456789abcdef"

    @Test func headerNumbersAreClampedDigits() {
        #expect(HeaderNumber.seconds("42") == 42)
        #expect(HeaderNumber.seconds(" 7\r\n") == 7)
        #expect(HeaderNumber.seconds("-1") == nil)
        #expect(HeaderNumber.seconds("+1") == nil)
        #expect(HeaderNumber.seconds("1e3") == nil)
        #expect(HeaderNumber.seconds("") == nil)
        #expect(HeaderNumber.seconds(String(repeating: "9", count: 400)) == HeaderNumber.maxSeconds)
        #expect(HeaderNumber.count("9223372036854775808") == HeaderNumber.maxCount)
        // Found by FuzzResponseHead: a Content-Length read under a cap of Int64.max overflowed.
        #expect(HeaderNumber.nonNegative("922337203036854775807", max: .max) == .max)
        #expect(HeaderNumber.nonNegative("9223372036854775807", max: .max) == .max)
        #expect(HeaderNumber.nonNegative("9223372036854775806", max: .max) == Int64.max - 1)
        #expect(RetryAfter.parse("-9223372036854775808") == nil)
        #expect(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", now: 0) == .seconds(HeaderNumber.maxSeconds))
        #expect(ServerMessage.resetSeconds(inQuotaMessage: "reset in 99999999999999999999999 seconds") == HeaderNumber.maxSeconds)
    }

    // MARK: 4 — nesting on a small stack

    @Test func deepNestingFailsCleanlyOnASmallStack() throws {
        func project(depth: Int) -> [UInt8] {
            Array((#"[{"id":1,"name":"p","permissions":"# + String(repeating: "[", count: depth)
                   + String(repeating: "]", count: depth) + "}]").utf8)
        }
        let allowed = project(depth: TogglJSON.maxDepth - 3)
        let tooDeep = project(depth: 2045)  // within jansson's 2048: the decoder's cap must hold
        let results = Locked<[Result<[Project], TogglError>]>([])
        try onThread(stackBytes: 512 * 1024) {
            let outcomes = [allowed, tooDeep].map { bytes in
                Result { () throws(TogglError) in try TogglJSON.decode([Project].self, from: bytes) }
            }
            results.withLock { $0 = outcomes }
        }
        let outcomes = results.withLock { $0 }
        try #require(outcomes.count == 2)
        #expect(try outcomes[0].get().first?.name == "p")
        #expect(try outcomes[0].get().first?.permissions != nil)
        // Too deep for a field: that field is dropped (and reported), the project survives.
        let survivor = try #require(try outcomes[1].get().first)
        #expect(survivor.name == "p" && survivor.permissions == nil)
        let issues = try TogglJSON.decodeReportingIssues([Project].self, from: tooDeep).issues
        #expect(issues.map(\.path) == ["[0].permissions"])
        #expect(issues.first?.reason.contains("nested deeper than \(TogglJSON.maxDepth) levels") == true)
    }

    @Test func idsAsStringsMissingOrOfOtherKinds() throws {
        func summary(_ json: String) -> PageSummary { PageSummary.of(Array(json.utf8)) }
        #expect(summary(#"[{"id": 1}, {"id": "200000123"}]"#) == PageSummary(count: 2, lastID: .integer(200000123)))
        #expect(summary(#"[{"id": 3.0}]"#) == PageSummary(count: 1, lastID: .integer(3)))
        #expect(summary(#"[{"\u0069d": 4, "x": [1, {"id": 9}]}]"#) == PageSummary(count: 1, lastID: .integer(4)))
        #expect(summary(#"[{"id": 1}, {"id": 2, "id": 7}]"#) == PageSummary(count: 2, lastID: .integer(7)))
        #expect(summary(#"[{"id": "x1"}]"#).lastID == .unusable)
        #expect(summary(#"[{"id": "1.0"}]"#).lastID == .unusable)
        #expect(summary(#"[{"id": 1.5}]"#).lastID == .unusable)
        #expect(summary(#"[{"name": "no id"}]"#).lastID == .unusable)
        #expect(summary(#"[1, "a]", [2, 3], {"id": 5}]"#) == PageSummary(count: 4, lastID: .integer(5)))
        #expect(summary(" [ ] ") == PageSummary(count: 0, lastID: .unusable))
        #expect(try PageRequest.nextStartProjectID(after: Array(#"[{"id": "41"}]"#.utf8), perPage: 1) == 42)
        #expect(try PageRequest.nextStartProjectID(after: Array(#"[{"id": "41"}]"#.utf8), perPage: 1, start: 41) == 42)
        #expect(try PageRequest.nextStartProjectID(after: Array(#"[{"id": 9223372036854775807}]"#.utf8), perPage: 1) == nil)
        #expect(throws: TogglError.self) {
            try PageRequest.nextStartProjectID(after: Array(#"[{"id": 40}]"#.utf8), perPage: 1, start: 41)
        }
    }

    // MARK: fuzzing's findings

    @Test func fuzzFindingsStayFixed() {
        // FuzzJSONValidator: jansson refuses a key holding U+0000, so the validator must too.
        #expect(throws: TogglError.self) { try JSONValidator.validate(Array(#"{"\u0000":1}"#.utf8)) }
        #expect(throws: TogglError.self) { try JSONValidator.validate(Array(#"[{"a":{"x\u0000y":1}}]"#.utf8)) }
        #expect((try? JSONValidator.validate(Array(#"{"k":"\u0000"}"#.utf8))) == .object, "a NUL in a value is allowed")
        // Deliberately stricter than jansson 2.14, which drops a NUL after a scalar token.
        #expect(throws: TogglError.self) { try JSONValidator.validate([0x5B, 0x31, 0x00, 0x5D]) }
        // FuzzTimestamp: the instant, not just the text's year, must lie within 0000-9999.
        #expect(TogglTimestamp("0000-01-01T00:00:00+00:01") == nil)
        #expect(TogglTimestamp("9999-12-31T23:59:60Z") == nil)
        #expect(TogglTimestamp("9999-12-31T23:59:59-00:01") == nil)
        #expect(TogglTimestamp("0000-01-01T00:00:00-00:01")?.secondsSinceEpoch == TogglTimestamp.representableSeconds.lowerBound + 60)
    }

    @Test func responseHeadKeepsTheFinalHeadersOnly() {
        var head = ResponseHead()
        for line in ["HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n",
                     "HTTP/1.1 201 Created\r\n", "Content-Length: 5\r\n", "X-A:  b \r\n", "\r\n",
                     "HTTP/1.1 500 Trailer\r\n", "X-Late: 1\r\n", "\r\n"] {
            let accepted = Array(line.utf8).withUnsafeBufferPointer { head.consume($0) }
            #expect(accepted)
        }
        #expect(head.isComplete)
        #expect(head.headers.map(\.name) == ["content-length", "x-a"])
        #expect(head.header("x-a") == "b")
        #expect(Array("HTTP/2 204\r\n".utf8).withUnsafeBufferPointer(ResponseHead.status) == 204)
        #expect(Array("HTTP/1.1 2000 x".utf8).withUnsafeBufferPointer(ResponseHead.status) == 0)
        var flooded = ResponseHead()
        let line = Array(("X: " + String(repeating: "a", count: 1000) + "\r\n").utf8)
        var accepted = true
        for _ in 0..<300 where accepted { accepted = line.withUnsafeBufferPointer { flooded.consume($0) } }
        #expect(!accepted, "256 KiB of headers is the most a transfer keeps")
    }

    @Test func secretsInEveryDisguise() {
        let login = SecretRedactor(Credentials(user: "me@example.com", password: "päss-wörd\"/x"))
        #expect(login.redact(#"pw was p\u00e4ss-w\u00f6rd\"\/x"#) == "pw was [redacted]")
        #expect(login.redact("pw was P&#228;SS-W&ouml;rd&quot;/X".replacingOccurrences("&ouml;", "ö")) == "pw was [redacted]")
        #expect(login.redact("PÄSS-WÖRD\"/X!") == "[redacted]!")
        #expect(login.redact("p%C3%A4ss-w%C3%B6rd%22%2Fx") == "[redacted]")
        #expect(login.redact("user me@example.com") == "user [redacted]")
        let containing = SecretRedactor(Credentials(user: "me@example.com", password: "me@example.com-99"))
        #expect(containing.redact("got me@example.com-99 here") == "got [redacted] here")
        let short = SecretRedactor(Credentials(user: "a@b.c", password: "q7"))
        #expect(short.redact("Q7 is wrong") == "[redacted] is wrong")
        let token = SecretRedactor(Credentials(user: "0123456789abcdef0123456789abcdef", password: "api_token"))
        #expect(token.redact("<b>0123456789abcdef</b><i>0123456789abcdef</i>") == "<b>[redacted]</b><i>[redacted]</i>")
        #expect(token.redact("tok 0123456789ABCDEF 0123456789abcdef end") == "tok [redacted] end")
        #expect(token.redact("key 89abcdef0123456 is fine") == "key [redacted] is fine", "a long fragment counts")
        #expect(token.redact("api_token is the fixed password") == "api_token is the fixed password")
        #expect(ServerMessage.readable(body: Array("<p>0123456789abcdef<b></b>0123456789abcdef</p>".utf8), status: 400,
                                       contentType: "text/html", redactor: token) == "[redacted]")
    }

    // MARK: 15, 21 — configuration is checked when it is set

    @Test(arguments: [
        "http://127.0.0.1:99999/api/v9",
        "http://[::1/api/v9",
        "http://exa mple.com/api/v9",
        "https://example.com\u{85}/api/v9",
        "https://" + String(repeating: "a", count: 5000) + ".com",
    ])
    func baseURLsThatWouldBreakEveryCall(url: String) {
        let error = #expect(throws: TogglError.self) {
            try TogglClient(apiToken: Self.token, baseURL: url)
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test func valuesThatWouldBreakEveryCall() throws {
        let client = try TogglClient(apiToken: Self.token)
        let changes: [(inout TogglConfiguration) -> Void] = [
            { $0.userAgent = "agent\u{7F}" },
            { $0.userAgent = "agent\u{85}" },
            { $0.userAgent = String(repeating: "u", count: 9 << 20) },
            { $0.authentication = .apiToken("token\u{85}") },
            { $0.authentication = .apiToken(String(repeating: "t", count: 2000)) },
            { $0.lowSpeedLimit = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(9_300_000_000_000_000)) },
            { $0.timeout = .seconds(Int64.max) },
            { $0.connectTimeout = .seconds(86_401) },
            { $0.maxRetries = 1_000_000 },
        ]
        for change in changes {
            let error = #expect(throws: TogglError.self) { try client.reconfigure(change) }
            #expect(error?.code == .invalidArgument)
        }
        #expect(client.configuration.userAgent.hasPrefix("libtoggl/"), "a refused change leaves the client as it was")
    }
}


extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
