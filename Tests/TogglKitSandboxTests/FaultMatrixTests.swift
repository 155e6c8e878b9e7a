import Testing
@testable import TogglKit
import TestSupport

/// The resilience policy against injected faults: each row asserts the outcome and how many
/// requests the sandbox received (a wasted request is a wasted piece of a 30-per-hour quota).
@Suite struct FaultMatrixTests {
    @Test func rateLimitedWithRetryAfterThenSuccess() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 429, "body_kind": "json_string", "message": "slow down", "headers": {"Retry-After": "1"}}]"#)
        let clock = ContinuousClock()
        let start = clock.now
        let response = try tenant.client().sendRaw(.me())
        #expect(response.retries == 1)
        #expect(clock.now - start >= .seconds(1), "Retry-After was honoured")
        #expect(try tenant.requestCount() == 2)
    }

    @Test func rateLimitedWithHTMLAndNoRetryAfterUntilRetriesRunOut() throws {
        let tenant = try Sandbox.tenant()
        let html = try Fixtures.string("errors/error_429_nginx_html_2019.html")
        try tenant.faults(#"[{"status": 429, "body": \#(jsonString(html)), "content_type": "text/html", "times": -1}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .rateLimited)
        #expect(error?.message == "429 Too Many Requests")
        #expect(error?.httpStatus == 429)
        #expect(error?.retries == 2)
        #expect(try tenant.requestCount() == 3)
    }

    @Test func serverErrorsTwiceThenSuccess() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 503, "body_kind": "empty", "times": 2}]"#)
        let projects = try tenant.client().projects()
        #expect(!projects.isEmpty)
        #expect(try tenant.requestCount() == 3)
    }

    @Test func serverErrorOnPutIsNeverRetried() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 500, "body_kind": "json_string", "message": "Internal Server Error", "times": -1}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().updateMe(MeUpdate(fullname: "X")) }
        #expect(error?.code == .server)
        #expect(error?.message == "Internal Server Error")
        #expect(error?.retries == 0)
        #expect(try tenant.requestCount() == 1)
    }

    @Test func resetOnPutOverAReusedConnectionIsNotResent() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        try client.logged()   // leaves a kept-alive connection in the pool
        try tenant.faults(#"[{"action": "reset", "method": "PUT", "path": "/me"}]"#)
        let error = #expect(throws: TogglError.self) { try client.updateMe(MeUpdate(fullname: "Once")) }
        #expect(error?.code == .network)
        #expect(try tenant.requestLines() == ["GET /me/logged", "PUT /me"])
    }

    @Test func rateLimitOnPutIsNotRetried() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 429, "body_kind": "empty", "headers": {"Retry-After": "1"}}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().updateMe(MeUpdate(fullname: "X")) }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfterSeconds == 1)
        #expect(try tenant.requestCount() == 1)
    }

    @Test func quotaExhaustedWithHeadersThenNothingIsSent() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"""
            [{"status": 402, "body_kind": "json_string",
              "message": "You have hit your hourly limit for API calls. Your quota will reset in 1200 seconds.",
              "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "1200"}}]
            """#)
        let client = try tenant.client()
        let first = #expect(throws: TogglError.self) { try client.me() }
        #expect(first?.code == .quota)
        #expect(first?.httpStatus == 402)
        #expect(first?.retryAfterSeconds == 1200)
        #expect(first?.retries == 0)
        let second = #expect(throws: TogglError.self) { try client.projects() }
        #expect(second?.code == .quota)
        #expect((1_199...1_200).contains(second?.retryAfterSeconds ?? 0))
        #expect(second?.message.contains("nothing was sent") == true)
        #expect(second?.httpStatus == nil, "no response, so no HTTP status")
        #expect(try tenant.requestCount() == 1)
        #expect(client.lastQuota?.remaining == 0)
    }

    @Test func quotaExhaustedWithoutHeadersReadsTheBody() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 402, "body_kind": "json_string", "message": "You have hit your hourly limit for API calls. Your quota will reset in 42 seconds."}]"#)
        let client = try tenant.client()
        let error = #expect(throws: TogglError.self) { try client.me() }
        #expect(error?.code == .quota)
        #expect(error?.retryAfterSeconds == 42)
        #expect(throws: TogglError.self) { try client.me() }
        #expect(try tenant.requestCount() == 1)
    }

    @Test func quotaExhaustedWithNoResetTimeBlocksForTheDefault() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 402, "body_kind": "empty"}]"#)
        let client = try tenant.client()
        let error = #expect(throws: TogglError.self) { try client.me() }
        #expect(error?.code == .quota)
        #expect(error?.retryAfterSeconds == QuotaTracker.defaultBlock)
        #expect(throws: TogglError.self) { try client.me() }
        #expect(try tenant.requestCount() == 1)
        _ = try tenant.client().me()   // the gate is per client; the server was fine all along
    }

    @Test func failFastCanBeTurnedOff() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 402, "body_kind": "empty", "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "600"}}]"#)
        let client = try tenant.client { $0.failFastWhenQuotaExhausted = false }
        #expect(throws: TogglError.self) { try client.me() }
        _ = try client.me()
        #expect(try tenant.requestCount() == 2)
    }

    @Test func quotaHeadersOnSuccessAreReadBack() throws {
        let tenant = try Sandbox.tenant()
        try tenant.config(#"{"quota_limit": 3}"#)
        let client = try tenant.client()
        #expect(client.lastQuota == nil)
        _ = try client.me()
        #expect(client.lastQuota?.remaining == 2)
        let resets = try #require(client.lastQuota?.resetsInSeconds)
        #expect((3_590...3_600).contains(resets))
        _ = try client.tags()
        _ = try client.clients()
        #expect(client.lastQuota?.remaining == 0)
        // The server said nothing is left: the next call fails here instead of burning a 402.
        let error = #expect(throws: TogglError.self) { try client.features() }
        #expect(error?.code == .quota)
        #expect(try tenant.requestCount() == 3)
    }

    @Test func realQuotaOf402FromTheSandbox() throws {
        let tenant = try Sandbox.tenant()
        try tenant.config(#"{"quota_limit": 1}"#)
        let client = try tenant.client { $0.failFastWhenQuotaExhausted = false }
        _ = try client.me()
        let error = #expect(throws: TogglError.self) { try client.me() }
        #expect(error?.code == .quota)
        #expect(error?.message.hasPrefix("You have hit your hourly limit") == true)
        #expect((3_590...3_600).contains(error?.retryAfterSeconds ?? 0))
    }

    @Test func connectionResetOnceThenSuccess() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "reset"}]"#)
        let response = try tenant.client().sendRaw(.tags())
        #expect(response.retries == 1)
        #expect(try tenant.requestCount() == 2)
    }

    @Test func connectionResetEveryTime() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "reset", "times": -1}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().tags() }
        #expect(error?.code == .network)
        #expect(error?.httpStatus == nil)
        #expect(error?.retries == 2)
        #expect(try tenant.requestCount() == 3)
    }

    @Test func truncatedBody() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "truncate", "times": -1}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.maxRetries = 0 }.projects() }
        #expect(error?.code == .network)
        #expect(try tenant.requestCount() == 1)
        // A body cut short is a broken connection: a GET is retried and then succeeds.
        let healed = try Sandbox.tenant()
        try healed.faults(#"[{"action": "truncate"}]"#)
        #expect(try healed.client().projects().count > 0)
        #expect(try healed.requestCount() == 2)
    }

    @Test func malformedJSON() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "malformed"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .decode)
        #expect(error?.message.contains("malformed JSON") == true)
        #expect(error?.httpStatus == 200)
        #expect(try tenant.requestCount() == 1)
    }

    @Test func wrongTopLevelShape() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "malformed", "body": "{\"not\": \"an array\"}"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().sendRaw(.projects()) }
        #expect(error?.code == .decode)
        #expect(error?.message == "expected a JSON array but the response is an object")
    }

    @Test(arguments: [false, true])
    func bodyOverTheCap(withoutLength: Bool) throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "oversize", "size_bytes": 4194304, "no_length": \#(withoutLength)}]"#)
        let error = #expect(throws: TogglError.self) {
            try tenant.client { $0.maxResponseBytes = 65_536 }.projects()
        }
        #expect(error?.code == .tooLarge)
        #expect(try tenant.requestCount() == 1)
    }

    @Test func bodyJustUnderTheCapIsAccepted() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "oversize", "size_bytes": 65536}]"#)
        let response = try tenant.client { $0.maxResponseBytes = 65_536 }.sendRaw(.projects())
        #expect(response.body.count == 65_536)
    }

    @Test func stallAgainstATotalTimeout() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "stall", "stall_ms": 3000}]"#)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.timeout = .milliseconds(500) }.me() }
        let elapsed = clock.now - start
        #expect(error?.code == .timeout)
        #expect(elapsed < .milliseconds(1_200), "returned \(elapsed) after the call started")
        #expect(try tenant.requestCount() == 1)
    }

    @Test func tricklingServerAgainstTheLowSpeedLimit() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "trickle", "interval_ms": 200}]"#)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: TogglError.self) {
            try tenant.client { $0.lowSpeedLimit = LowSpeedLimit(bytesPerSecond: 1_000, duration: .seconds(1)) }.me()
        }
        #expect(error?.code == .timeout)
        #expect(clock.now - start < .seconds(4))
        #expect(try tenant.requestCount() == 1)
    }

    @Test func redirectToAnotherHostIsNotFollowed() throws {
        let tenant = try Sandbox.tenant()
        let other = try Sandbox.tenant("other")
        // 127.0.0.1 and localhost are different hosts to the client, though the same server here.
        let target = "http://localhost:\(other.sandbox.port)/t/\(other.name)/api/v9/me"
        try tenant.faults(#"[{"action": "redirect", "location": "\#(target)"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .request)
        #expect(error?.httpStatus == 302)
        #expect(try other.requestCount() == 0)
        #expect(try tenant.requests().first?.headers["authorization"] != nil)
    }

    @Test func redirectOnTheSameOriginIsFollowedWithCredentials() throws {
        let tenant = try Sandbox.tenant()
        let other = try Sandbox.tenant("same-origin")
        try tenant.faults(#"[{"action": "redirect", "status": 307, "location": "\#(other.baseURL)/me"}]"#)
        let user = try tenant.client().me()
        #expect(user.fullname == "Sandbox User")
        #expect(try other.requests().first?.headers["authorization"] != nil)
    }

    @Test func redirectLoopStopsAfterThree() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"action": "redirect", "location": "\#(tenant.baseURL)/me", "times": -1}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .request)
        #expect(error?.httpStatus == 302)
        #expect(error?.message.contains("redirects") == true)
        #expect(try tenant.requestCount() == 4)
    }

    @Test func unauthorizedWithAnEmptyBody() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 401, "body_kind": "empty", "headers": {"X-Authorization-Missing": "true"}}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .auth)
        #expect(error?.httpStatus == 401)
        #expect(error?.message == "HTTP 401 Unauthorized (empty body)")
        #expect(try tenant.requestCount() == 1)
    }

    @Test func forbiddenWithPlainText() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client { $0.authentication = .apiToken("wrong-token-abcdef") }
        let error = #expect(throws: TogglError.self) { try client.logged() }
        #expect(error?.code == .auth)
        #expect(error?.httpStatus == 403)
        #expect(error?.message == "Incorrect username and/or password")
        #expect(try tenant.requestCount() == 1)
    }

    @Test func notFound() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 404, "body_kind": "json_string", "message": "could not load user data"}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .notFound)
        #expect(error?.message == "could not load user data")
        #expect(try tenant.requestCount() == 1)
    }

    @Test func badRequestWithAJSONString() throws {
        let tenant = try Sandbox.tenant()
        let body = try Fixtures.string("errors/error_invalid_include_archived.json")
        try tenant.faults(#"[{"status": 400, "body": \#(jsonString(body))}]"#)
        let error = #expect(throws: TogglError.self) { try tenant.client().projects(includeArchived: true) }
        #expect(error?.code == .request)
        #expect(error?.httpStatus == 400)
        #expect(error?.message == "Invalid include_archived")
        #expect(try tenant.requestCount() == 1)
    }

    @Test func retryAfterLongerThanAllowedIsReportedNotSlept() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 429, "body_kind": "empty", "headers": {"Retry-After": "120"}}]"#)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: TogglError.self) { try tenant.client().me() }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfterSeconds == 120)
        #expect(clock.now - start < .seconds(1))
        #expect(try tenant.requestCount() == 1)
    }

    @Test func retryAfterAsAnHTTPDate() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 503, "body_kind": "empty", "headers": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}}]"#)
        // A date in the past means "now".
        let response = try tenant.client().sendRaw(.me())
        #expect(response.retries == 1)
        #expect(try tenant.requestCount() == 2)
    }

    @Test func retriesStopAtTheDeadline() throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults(#"[{"status": 503, "body_kind": "empty", "times": -1, "headers": {"Retry-After": "2"}}]"#)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: TogglError.self) { try tenant.client { $0.timeout = .seconds(1) }.me() }
        #expect(error?.code == .server)
        #expect(error?.retryAfterSeconds == 2)
        #expect(clock.now - start < .seconds(1))
        #expect(try tenant.requestCount() == 1)
    }

    @Test func unreachableServerIsANetworkError() throws {
        // Port 9 (discard) on loopback has nothing listening here: connection refused.
        let client = try TogglClient(configuration: {
            var configuration = TogglConfiguration(authentication: .apiToken(Sandbox.token),
                                                   baseURL: "http://127.0.0.1:9/api/v9")
            configuration.retryBaseDelay = .milliseconds(5)
            return configuration
        }())
        let error = #expect(throws: TogglError.self) { try client.me() }
        #expect(error?.code == .network)
        #expect(error?.retries == 2)
    }

    @Test func tlsVerificationUsesTheConfiguredCAFile() throws {
        let sandbox = try Sandbox.start()
        let client = try TogglClient(configuration: {
            var configuration = TogglConfiguration(authentication: .apiToken(Sandbox.token),
                                                   baseURL: "https://127.0.0.1:\(sandbox.port)/api/v9")
            configuration.caFile = "/nonexistent/ca.pem"
            configuration.maxRetries = 0
            return configuration
        }())
        let error = #expect(throws: TogglError.self) { try client.me() }
        #expect(error?.code == .network)
    }

    @Test func secretsNeverAppearInErrors() throws {
        let tenant = try Sandbox.tenant()
        let token = "secret-token-9f8e7d6c5b4a"
        // A server that echoes the credentials back must not get them into the message.
        try tenant.faults(#"[{"status": 400, "body_kind": "plain", "message": "bad token \#(token) for user"}]"#)
        let error = #expect(throws: TogglError.self) {
            try tenant.client { $0.authentication = .apiToken(token) }.me()
        }
        #expect(error?.message == "bad token [redacted] for user")
        #expect(!"\(String(describing: error))".contains(token))
    }
}

/// A JSON string literal of `text`, for embedding fixture bodies in fault definitions.
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
