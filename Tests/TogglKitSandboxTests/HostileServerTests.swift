import Testing
@testable import TogglKit
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A hostile server on 127.0.0.1: each test is one way a response once crashed the host, doubled
/// a PUT, outlived its deadline, ballooned memory or leaked a secret (issue 8, numbered as there).
@Suite struct HostileServerTests {
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
        #expect(client.lastQuota == nil, "a negative number is no reading at all")
        _ = try client.sendRaw(.me())
        let later = ContinuousClock.now + .seconds(1)
        #expect(client.lastQuota?.remaining == 5)
        #expect(client.lastQuota?.resetsInSeconds == HeaderNumber.maxSeconds)
        #expect(client.lastQuota?.secondsUntilReset(now: later) == HeaderNumber.maxSeconds - 1)
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
}
