import Testing
@testable import TogglKit
#if canImport(Glibc)
import Glibc
#endif

/// A hostile server on 127.0.0.1: each test is one way a response once crashed the host, doubled
/// a PUT, outlived its deadline, ballooned memory or leaked a secret (issue 8, numbered as there).
@Suite struct HardeningTests {
    // MARK: 1, 19 — numbers from headers, the quota gate

    @Test func quotaHeadersAtInt64MinimumNeitherTrapNorBlock() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"""
            [{"status": 200, "body": "{}", "headers": {"X-Toggl-Quota-Remaining": "-9223372036854775808",
              "X-Toggl-Quota-Resets-In": "-9223372036854775808"}},
             {"status": 200, "body": "{}", "headers": {"X-Toggl-Quota-Remaining": "5",
              "X-Toggl-Quota-Resets-In": "99999999999999999999999"}}]
            """#)
        let client = try tenant.client()
        _ = try client.sendRaw(.me())
        #expect(client.quota == nil, "a negative number is no reading at all")
        _ = try client.sendRaw(.me())
        let later = ContinuousClock.now + .seconds(1)
        #expect(client.quota?.remaining == 5)
        #expect(client.quota?.resetsInSeconds == HeaderNumber.maxSeconds)
        #expect(client.quota?.secondsUntilReset(now: later) == HeaderNumber.maxSeconds - 1)
        let extreme = QuotaStatus(remaining: 0, resetsInSeconds: .min, observedAt: .now)
        #expect(extreme.secondsUntilReset(now: later) == 0)
    }

    @Test(arguments: [
        #"{"status": 402, "body_kind": "empty"}"#,
        #"{"status": 200, "body": "{}", "headers": {"X-Toggl-Quota-Remaining": "0"}}"#,
    ])
    func noQuotaLeftWithoutAResetTimeClosesTheGateForTheDefault(fault: String) throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults("[\(fault)]")
        let client = try tenant.client()
        _ = try? client.sendRaw(.me())
        let refused = #expect(throws: TogglError.self) { try client.sendRaw(.me()) }
        #expect(refused?.code == .quota)
        #expect(refused?.httpStatus == nil, "refused locally")
        #expect((1...QuotaTracker.defaultBlock).contains(refused?.retryAfterSeconds ?? 0))
        #expect(try tenant.requestCount() == 1)
    }

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

    // MARK: 2, 7 — error pages

    @Test func htmlTitleAfterCharactersThatGrowWhenLowercased() throws {
        let padding = String(repeating: "İ", count: 40)
        #expect(ServerMessage.htmlText("<html><head>\(padding)<title>Gateway down</title></head></html>") == "Gateway down")
        // U+212A (Kelvin) lowercases to ASCII "k": a lowercased copy would find "<title" early.
        #expect(ServerMessage.htmlText("<html>\u{212A}<TITLE>Real title</TITLE><p>x</p></html>") == "Real title")
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 502, "body": \#(jsonString("<html><head>\(padding)<title>Proxy error</title>")), "content_type": "text/html"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.maxRetries = 0 }.me() }
        #expect(error?.message == "Proxy error")
    }

    @Test func hugeErrorBodyEndsWithinTheDeadlineAndItsMessageIsClipped() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "oversize", "status": 400, "prefix": "{\"x\":[", "suffix": "]}", "element": "{}", "size_bytes": 67000000}]"#)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.timeout = .seconds(2) }.sendRaw(.me()) }
        // The deadline is the contract under test; the slack covers a loaded machine.
        #expect(clock.now - start < .seconds(5))
        #expect(error?.code == .request || error?.code == .timeout)
        #expect((error?.message.count ?? .max) <= ServerMessage.maxLength + 1)
    }

    // MARK: 3 — allocation from a header

    @Test(arguments: ["9223372036854775807", "34359738368"])
    func announcedLengthIsNeverAllocatedUpFront(length: String) throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "raw", "raw": "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \#(length)\r\n\r\n[1,2,3]"}]"#)
        let client = try tenant.client {
            $0.maxResponseBytes = .max
            $0.maxRetries = 0
        }
        let error = #expect(throws: TogglError.self) { try client.sendRaw(.projects()) }
        #expect(error?.code == .network, "the body ended long before its announced length")
    }

    @Test func headersBeyondTheirBoundAreRefused() throws {
        let tenant = try Sandbox.tenant()
        let header = "X-Filler: " + String(repeating: "a", count: 8000) + "\r\n"
        let raw = "HTTP/1.1 200 OK\r\n" + String(repeating: header, count: 40) + "Content-Length: 2\r\n\r\n[]"
        try tenant.faults(#"[{"action": "raw", "raw": \#(jsonString(raw))}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.maxRetries = 0 }.sendRaw(.projects()) }
        #expect(error?.code == .tooLarge)
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
        #expect(throws: TogglError.self) { try outcomes[1].get() }
        if case .failure(let error) = outcomes[1] {
            #expect(error.code == .decode)
            #expect(error.message.contains("nested more than"))
        }
    }

    // MARK: 5, 6, 14, 20 — redirects and odd statuses

    @Test func putAnsweredWithA307IsNotResent() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"""
            [{"method": "PUT", "action": "redirect", "status": 307, "location": "\#(tenant.baseURL)/me", "close": false},
             {"method": "PUT", "action": "reset"}]
            """#)
        let error = #expect(throws: TogglError.self) { try tenant.client().updateMe(MeUpdate(fullname: "Once")) }
        #expect(error?.code == .request)
        #expect(error?.httpStatus == 307)
        #expect(error?.message.contains("never follows a redirect") == true)
        #expect(try tenant.requestLines() == ["PUT /me"])
        #expect(try tenant.client().me().fullname == "Sandbox User", "nothing was applied")
    }

    @Test(arguments: [301, 302, 303, 308])
    func putIsNeverRedirected(status: Int) throws {
        let tenant = try Sandbox.tenant()
        let other = try Sandbox.tenant("put-target")
        try tenant.faults(#"[{"action": "redirect", "status": \#(status), "location": "\#(other.baseURL)/me"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().updateMe(MeUpdate(fullname: "Lost")) }
        #expect(error?.code == .request)
        #expect(error?.httpStatus == status)
        #expect(try other.requestCount() == 0)
    }

    @Test func redirectToAnotherOriginIsNotFollowed() throws {
        let tenant = try Sandbox.tenant()
        let other = try Sandbox.tenant("elsewhere")
        let target = "http://localhost:\(other.sandbox.port)/t/\(other.name)/api/v9/me/logged"
        try tenant.faults(#"[{"action": "redirect", "location": "\#(target)"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().logged() }
        #expect(error?.code == .request)
        #expect(error?.httpStatus == 302)
        #expect(error?.message.contains(target) == true)
        #expect(try other.requestCount() == 0, "\"logged in\" must never come from another server")
    }

    @Test(arguments: [
        ("HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n", TogglError.Code.request, 302),
        ("HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n", .request, 302),
        ("HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n", .request, 302),
        ("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", .request, 302),
        ("HTTP/1.1 304 Not Modified\r\n\r\n", .request, 304),
        ("HTTP/1.1 399 Odd\r\nContent-Length: 0\r\n\r\n", .request, 399),
        ("HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\n{}", .network, 999),
        ("HTTP/1.1 000 Zero\r\nContent-Length: 2\r\n\r\n{}", .network, nil),
        ("SSH-2.0-OpenSSH_9.2\r\n", .network, nil),
        ("HTTP/1.1 150 Interim\r\n\r\n", .network, nil),
    ] as [(String, TogglError.Code, Int?)])
    func serverSideOddAnswersAreNeverTheCallersFault(raw: String, code: TogglError.Code, status: Int?) throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "raw", "raw": \#(jsonString(raw))}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.maxRetries = 0 }.sendRaw(.me()) }
        #expect(error?.code == code, "\(error?.message ?? "")")
        if let status { #expect(error?.httpStatus == status) }
    }

    // MARK: 8, 16, 17 — pages

    @Test func hugePageOfEmptyObjectsIsHandedOverAndEndsTheWalk() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "oversize", "element": "{}", "size_bytes": 8000000}]"#)
        let page = try tenant.client().rawPage(try .projects(), at: 0)
        #expect(page.count == (8_000_000 - 2 + 1) / 3)
        #expect(page.next == nil, "no id to continue from: the walk ends")
    }

    @Test(arguments: ["0", "-5", "199999999"])
    func aCursorThatDoesNotAdvanceIsADecodeErrorWithItsStatus(lastID: String) throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 200, "body": "[{\"id\": 200000000}, {\"id\": \#(lastID)}]", "times": -1}]"#)
        let client = try tenant.client()
        var pages = client.rawPages(try .projects(perPage: 2))
        let error = #expect(throws: TogglError.self) {
            for _ in 0..<5 { _ = try pages.next() }
        }
        #expect(error?.code == .decode)
        #expect(error?.httpStatus == 200)
        // The first page's cursor already fails for 0 and -5; 199999999 goes backwards on page 2.
        #expect(try tenant.requestCount() == (lastID == "199999999" ? 2 : 1), "no request once the cursor stops advancing")
        let direct = #expect(throws: TogglError.self) { try client.rawPage(try .projects(perPage: 2), at: 200000000) }
        #expect(direct?.httpStatus == 200)
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

    // MARK: 18 — trailers

    @Test func aTrailerThatLooksLikeAStatusLineChangesNothing() throws {
        let tenant = try Sandbox.tenant()
        let raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "b\r\n[{\"id\":42}]\r\n0\r\nHTTP/1.1 500 Broken: 1\r\nX-Late: 2\r\n\r\n"
        try tenant.faults(#"[{"action": "raw", "raw": \#(jsonString(raw))}]"#)
        let response = try tenant.client().sendRaw(.projects())
        #expect(response.status == 200)
        #expect(response.text == #"[{"id":42}]"#)
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

    // MARK: 9–12 — secrets in messages

    @Test func anEchoedAuthorizationHeaderIsRedacted() throws {
        let tenant = try Sandbox.tenant()
        let basic = Base64.encode(Array("\(Sandbox.token):api_token".utf8))
        try tenant.faults(#"[{"status": 400, "body_kind": "plain", "message": "bad request; you sent Authorization: Basic \#(basic)"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.message.contains(String(basic.prefix(SecretRedactor.minimumFragment * 2))) == false)
        #expect(error?.message.contains("[redacted]") == true)
    }

    @Test func aSecretStraddlingTheClipLeavesNoFragment() throws {
        let tenant = try Sandbox.tenant()
        for offset in [290, 295, 299, 300] {
            let filler = String(repeating: "x", count: offset)
            try tenant.faults(#"[{"status": 400, "body_kind": "plain", "message": "\#(filler)\#(Sandbox.token)"}]"#)
            let error = #expect(throws: TogglError.self) { try tenant.client().me() }
            let message = error?.message ?? ""
            for length in [SecretRedactor.minimumFragment, 16] {
                for start in 0...(Sandbox.token.count - length) {
                    let fragment = Sandbox.token.dropFirst(start).prefix(length)
                    #expect(!message.contains(fragment), "offset \(offset) leaks \(fragment)")
                }
            }
        }
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

    @Test func passwordsOfAPutBodyAreRedactedFromItsErrors() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 400, "body_kind": "json_string", "message": "bad current_password 'Old-Secret-123' for 'New-Secret-456'", "times": 2}]"#)
        let client = try tenant.client()
        let typed = #expect(throws: TogglError.self) {
            try client.updateMe(MeUpdate(currentPassword: "Old-Secret-123", password: "New-Secret-456"))
        }
        #expect(typed?.message == "bad current_password '[redacted]' for '[redacted]'")
        let raw = #expect(throws: TogglError.self) {
            try client.sendRaw(try .updateMe(jsonObject: Array(#"{"current_password":"Old-Secret-123","password":"New-Secret-456"}"#.utf8)))
        }
        #expect(raw?.message == "bad current_password '[redacted]' for '[redacted]'")
    }

    @Test func everyPasswordOfARawPutBodyIsASecretRepeatedKeysAndNumbersToo() throws {
        let body = #"{"password":"Alpha-Bravo-777","current_password":97531975319,"password":"New-Secret-456","x":{"password":"nested"}}"#
        #expect(JSONScan.topLevelValues(forKeys: MeUpdate.secretKeys, in: Array(body.utf8))
                == ["Alpha-Bravo-777", "97531975319", "New-Secret-456"])
        let escaped = Array(#"{"p\u0061ssword": "esc\"aped"}"#.utf8)
        let values = JSONScan.topLevelValues(forKeys: ["password"], in: escaped)
        #expect(values == [#"esc"aped"#])
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 400, "body_kind": "plain", "message": "you sent Alpha-Bravo-777, 97531975319 and New-Secret-456"}]"#)
        let error = #expect(throws: TogglError.self) {
            try tenant.client().sendRaw(try .updateMe(jsonObject: Array(body.utf8)))
        }
        #expect(error?.message == "you sent [redacted], [redacted] and [redacted]")
    }

    @Test func aSecretInARedirectTargetIsRedactedBeforeTheClip() throws {
        let tenant = try Sandbox.tenant()
        for cut in [1, 7, 8, 20] {
            let prefix = "http://localhost:1/"
            let reason = "HTTP 302 not followed: it leads to another origin (scheme, host or port), which never gets the credentials; it points to "
            let padding = String(repeating: "x", count: ServerMessage.maxLength - reason.count - prefix.count - cut)
            try tenant.faults(#"[{"action": "redirect", "location": "\#(prefix)\#(padding)\#(Sandbox.token)"}]"#)
            let error = #expect(throws: TogglError.self) { try tenant.client().me() }
            let message = error?.message ?? ""
            #expect(message.count <= ServerMessage.maxLength + 1)
            #expect(!message.contains(Sandbox.token.prefix(cut)) || cut < 4, "cut \(cut): \(message)")
        }
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
            try TogglClient(apiToken: Sandbox.token, baseURL: url)
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test func valuesThatWouldBreakEveryCall() throws {
        let client = try TogglClient(apiToken: Sandbox.token)
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
