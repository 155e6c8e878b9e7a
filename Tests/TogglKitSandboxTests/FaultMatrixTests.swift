import Testing
@testable import TogglKit
import TestSupport

/// The retry and quota policy against injected faults, table-tested here once for every surface:
/// the C and Python suites only check how each kind of outcome reaches their callers.
///
/// Each row is one call: the faults the sandbox acts out, GET or PUT, the client settings, and
/// the outcome: the error code (nil: success), how many requests the sandbox received (a wasted
/// request is a wasted piece of a 30-per-hour quota), `retryAfterSeconds`, the HTTP status.
@Suite struct FaultMatrixTests {
    @Test(arguments: try PolicyRow.table())
    func policy(_ row: PolicyRow) throws {
        let tenant = try Sandbox.tenant("policy")
        let other = try Sandbox.tenant("policy-other")
        if let config = row.settings.config { try tenant.config(config) }
        let client = try row.settings.client(for: tenant)
        if row.settings.warmUp { try client.logged() }
        try tenant.faults(row.resolve(row.faults, tenant: tenant, other: other))
        let clock = ContinuousClock()
        let start = clock.now
        let result = Result { () throws(TogglError) -> RawResponse in try row.call.send(with: client) }
        let elapsed = clock.now - start

        switch result {
        case .success(let response):
            #expect(row.code == nil, "the call succeeded; expected \(String(describing: row.code))")
            #expect(response.status == row.httpStatus)
            if let retries = row.retries { #expect(response.retries == retries) }
            if let bytes = row.bodyBytes { #expect(response.body.count == bytes) }
        case .failure(let error):
            #expect(error.code == row.code, "\(error)")
            #expect(error.httpStatus == row.httpStatus, "\(error)")
            if let range = row.retryAfter {
                #expect(error.retryAfterSeconds.map(range.contains) == true,
                        "retryAfterSeconds \(String(describing: error.retryAfterSeconds)), expected \(range)")
            } else {
                #expect(error.retryAfterSeconds == nil)
            }
            if let retries = row.retries { #expect(error.retries == retries) }
            switch row.message.map({ $0.resolved(row, tenant: tenant, other: other) }) {
            case .exact(let text)?: #expect(error.message == text)
            case .contains(let text)?: #expect(error.message.contains(text), "\(error.message)")
            case .prefix(let text)?: #expect(error.message.hasPrefix(text), "\(error.message)")
            case nil: #expect(!error.message.isEmpty)
            }
            #expect(!error.message.contains(Sandbox.token), "the message holds the token")
        }
        if let atLeast = row.atLeast { #expect(elapsed >= atLeast, "took \(elapsed)") }
        if let under = row.under { #expect(elapsed < under, "took \(elapsed)") }
        #expect(try tenant.requestCount() == row.requests)
        if let expected = row.other {
            let received = try other.requests()
            #expect(received.count == expected.requests)
            #expect(received.allSatisfy { ($0.headers["authorization"] != nil) == expected.withCredentials })
            // The credentials were there to leak: the first request carried them.
            #expect(try tenant.requests().first?.headers["authorization"] != nil)
        }
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

/// The fail-fast gate after a 402 or a response saying no quota is left: sequences of calls on one
/// client, which a row of one call cannot show. What the 402 itself reports is in the table.
@Suite struct QuotaGateTests {
    /// Each kind of 402 (its reset time from the headers, from the body, or none: the default
    /// block) and the reset time the refusals that follow report.
    @Test(arguments: [
        (#"{"status": 402, "body_kind": "json_string", "message": "You have hit your hourly limit for API calls. Your quota will reset in 1200 seconds.", "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "1200"}}"#,
         Int64(1_199)...1_200),
        (#"{"status": 402, "body_kind": "json_string", "message": "You have hit your hourly limit for API calls. Your quota will reset in 42 seconds."}"#,
         41...42),
        (#"{"status": 402, "body_kind": "empty"}"#, (QuotaTracker.defaultBlock - 1)...QuotaTracker.defaultBlock),
    ])
    func after402NothingIsSentUntilTheReset(fault: String, refusedFor: ClosedRange<Int64>) throws {
        let tenant = try Sandbox.tenant()
        try tenant.faults("[\(fault)]")
        let client = try tenant.client()
        let first = #expect(throws: TogglError.self) { try client.me() }
        #expect(first?.code == .quota)
        // Any endpoint, a page of a walk too: refused here, nothing sent.
        let second = #expect(throws: TogglError.self) { try client.projects() }
        #expect(second?.code == .quota)
        #expect(refusedFor.contains(second?.retryAfterSeconds ?? 0), "\(String(describing: second?.retryAfterSeconds))")
        #expect(second?.message.contains("nothing was sent") == true, "\(second?.message ?? "")")
        #expect(second?.httpStatus == nil, "no response, so no HTTP status")
        var pages = client.rawPages(try .projects(perPage: 10))
        let page = #expect(throws: TogglError.self) { try pages.next() }
        #expect(page?.code == .quota)
        #expect(try tenant.requestCount() == 1)
        if fault.contains("X-Toggl-Quota-Remaining") { #expect(client.lastQuota?.remaining == 0) }
        // The gate is per client; the server was fine all along.
        _ = try tenant.client().me()
        #expect(try tenant.requestCount() == 2)
    }

    @Test func failFastCanBeTurnedOffUpFrontOrLater() throws {
        let fault = #"[{"status": 402, "body_kind": "empty", "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "600"}}]"#
        let tenant = try Sandbox.tenant()
        try tenant.faults(fault)
        let client = try tenant.client { $0.failFastWhenQuotaExhausted = false }
        #expect(throws: TogglError.self) { try client.me() }
        _ = try client.me()
        #expect(try tenant.requestCount() == 2)

        let later = try Sandbox.tenant()
        try later.faults(fault)
        let gated = try later.client()
        #expect(throws: TogglError.self) { try gated.me() }
        #expect(throws: TogglError.self) { try gated.me() }
        #expect(try later.requestCount() == 1)
        try gated.reconfigure { $0.failFastWhenQuotaExhausted = false }
        _ = try gated.me()
        #expect(try later.requestCount() == 2)
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
        #expect(error?.httpStatus == nil)
        #expect(try tenant.requestCount() == 3)
    }
}

// MARK: - The table

/// One row of the policy table: a call against injected faults and everything it must end with.
struct PolicyRow: Sendable, CustomTestStringConvertible {
    var name: String
    /// A JSON array for POST faults. `$BASE` is this tenant's base URL, `$OTHER` another tenant's
    /// (the same origin), `$FOREIGN` that tenant's through `localhost` (another origin).
    var faults: String
    var call: PolicyCall = .getMe
    var settings = PolicySettings()
    /// nil: the call succeeds.
    var code: TogglError.Code?
    /// Requests the sandbox received, the warm-up included.
    var requests: Int
    /// nil: no Retry-After is reported.
    var retryAfter: ClosedRange<Int64>? = nil
    /// The response's status (200 for a success); nil: there was no response.
    var httpStatus: Int?
    var retries: Int? = nil
    /// nil: any message that is not empty.
    var message: PolicyMessage? = nil
    var atLeast: Duration? = nil
    var under: Duration? = nil
    var bodyBytes: Int? = nil
    /// What reached the other tenant (redirect rows).
    var other: PolicyOther? = nil

    var testDescription: String { name }

    func resolve(_ text: String, tenant: Tenant, other: Tenant) -> String {
        text.replacing("$BASE", with: tenant.baseURL)
            .replacing("$OTHER", with: other.baseURL)
            .replacing("$FOREIGN", with: "http://localhost:\(other.sandbox.port)/t/\(other.name)/api/v9")
    }
}

enum PolicyCall: String, Sendable {
    case getMe = "GET /me", getProjects = "GET /me/projects", getTags = "GET /me/tags"
    case getLocation = "GET /me/location", putMe = "PUT /me"

    func send(with client: TogglClient) throws(TogglError) -> RawResponse {
        switch self {
        case .getMe: try client.sendRaw(.me())
        case .getProjects: try client.sendRaw(.projects())
        case .getTags: try client.sendRaw(.tags())
        case .getLocation: try client.sendRaw(.location())
        case .putMe: try client.sendRaw(.updateMe(MeUpdate(fullname: "Policy Row")))
        }
    }
}

/// What a row changes from `Tenant.client()` (fast retries, 2 of them, a 60 s timeout, …).
struct PolicySettings: Sendable {
    var maxRetries: Int? = nil
    var timeout: Duration? = nil
    var lowSpeedLimit: LowSpeedLimit? = nil
    var maxResponseBytes: Int64? = nil
    var failFast: Bool? = nil
    /// A token the sandbox does not know.
    var apiToken: String? = nil
    /// A base URL where nothing listens (port 9, discard, on loopback) instead of the tenant's.
    var unreachable = false
    /// POSTed to the tenant's config first.
    var config: String? = nil
    /// GET /me/logged before the faults are queued: a kept-alive connection and a counted request.
    var warmUp = false

    func client(for tenant: Tenant) throws -> TogglClient {
        try tenant.client {
            if let maxRetries { $0.maxRetries = maxRetries }
            if let timeout { $0.timeout = timeout }
            if let lowSpeedLimit { $0.lowSpeedLimit = lowSpeedLimit }
            if let maxResponseBytes { $0.maxResponseBytes = maxResponseBytes }
            if let failFast { $0.failFastWhenQuotaExhausted = failFast }
            if let apiToken { $0.authentication = .apiToken(apiToken) }
            if unreachable {
                $0.baseURL = "http://127.0.0.1:9/api/v9"
                $0.retryBaseDelay = .milliseconds(5)
            }
        }
    }
}

enum PolicyMessage: Sendable {
    case exact(String), contains(String), prefix(String)

    func resolved(_ row: PolicyRow, tenant: Tenant, other: Tenant) -> Self {
        switch self {
        case .exact(let text): .exact(row.resolve(text, tenant: tenant, other: other))
        case .contains(let text): .contains(row.resolve(text, tenant: tenant, other: other))
        case .prefix(let text): .prefix(row.resolve(text, tenant: tenant, other: other))
        }
    }
}

struct PolicyOther: Sendable {
    var requests: Int
    var withCredentials: Bool
}

extension PolicyRow {
    static func table() throws -> [PolicyRow] {
        let nginx429 = jsonString(try Fixtures.string("errors/error_429_nginx_html_2019.html"))
        let includeArchived400 = jsonString(try Fixtures.string("errors/error_invalid_include_archived.json"))
        let quotaMessage = "You have hit your hourly limit for API calls. Your quota will reset in"
        return [
            // MARK: retries on 429, 5xx and broken connections (GET only)
            PolicyRow(name: "429 with Retry-After: 1, then success: the wait is honoured",
                      faults: #"[{"status": 429, "body_kind": "json_string", "message": "slow down", "headers": {"Retry-After": "1"}}]"#,
                      code: nil, requests: 2, httpStatus: 200, retries: 1, atLeast: .seconds(1)),
            PolicyRow(name: "429 with Retry-After: 1 every time: two waits, then the 429",
                      faults: #"[{"status": 429, "body_kind": "json_string", "message": "Too many", "headers": {"Retry-After": "1"}, "times": -1}]"#,
                      code: .rateLimited, requests: 3, retryAfter: 1...1, httpStatus: 429, retries: 2,
                      message: .exact("Too many"), atLeast: .seconds(2)),
            PolicyRow(name: "nginx's 429 page without Retry-After every time: the retries run out",
                      faults: #"[{"status": 429, "body": \#(nginx429), "content_type": "text/html", "times": -1}]"#,
                      code: .rateLimited, requests: 3, httpStatus: 429, retries: 2, message: .exact("429 Too Many Requests")),
            PolicyRow(name: "429 with maxRetries 0: sent once",
                      faults: #"[{"status": 429, "body_kind": "empty", "times": -1}]"#,
                      settings: PolicySettings(maxRetries: 0),
                      code: .rateLimited, requests: 1, httpStatus: 429, retries: 0),
            PolicyRow(name: "the sandbox's own rate limiter: its HTML 429",
                      faults: "[]",
                      settings: PolicySettings(maxRetries: 0, config: #"{"rate_limit_per_s": 0.001}"#, warmUp: true),
                      code: .rateLimited, requests: 2, httpStatus: 429, message: .exact("429 Too Many Requests")),
            PolicyRow(name: "503 twice, then success",
                      faults: #"[{"status": 503, "body_kind": "empty", "times": 2}]"#, call: .getProjects,
                      code: nil, requests: 3, httpStatus: 200, retries: 2),
            PolicyRow(name: "503 every time: the retries run out",
                      faults: #"[{"status": 503, "body_kind": "plain", "message": "still down", "times": -1}]"#, call: .getTags,
                      code: .server, requests: 3, httpStatus: 503, retries: 2, message: .exact("still down")),
            PolicyRow(name: "502 with maxRetries 1: sent twice",
                      faults: #"[{"status": 502, "body_kind": "empty", "times": -1}]"#,
                      settings: PolicySettings(maxRetries: 1),
                      code: .server, requests: 2, httpStatus: 502, retries: 1),
            PolicyRow(name: "500, then 429 with Retry-After: 0, then success",
                      faults: #"[{"status": 500, "message": "oops"}, {"status": 429, "body_kind": "html", "message": "slow down", "headers": {"Retry-After": "0"}}]"#,
                      code: nil, requests: 3, httpStatus: 200, retries: 2),
            PolicyRow(name: "connection reset once, then success",
                      faults: #"[{"action": "reset"}]"#, call: .getTags,
                      code: nil, requests: 2, httpStatus: 200, retries: 1),
            PolicyRow(name: "connection reset every time: the retries run out",
                      faults: #"[{"action": "reset", "times": -1}]"#, call: .getTags,
                      code: .network, requests: 3, httpStatus: nil, retries: 2),
            PolicyRow(name: "nothing listening: a network error after the retries",
                      faults: "[]", settings: PolicySettings(unreachable: true),
                      code: .network, requests: 0, httpStatus: nil, retries: 2),

            // MARK: PUT is never sent twice
            PolicyRow(name: "500 on PUT: not retried",
                      faults: #"[{"status": 500, "body_kind": "json_string", "message": "Internal Server Error", "times": -1}]"#, call: .putMe,
                      code: .server, requests: 1, httpStatus: 500, retries: 0, message: .exact("Internal Server Error")),
            PolicyRow(name: "429 with Retry-After: 1 on PUT: not retried, Retry-After reported",
                      faults: #"[{"status": 429, "body_kind": "empty", "headers": {"Retry-After": "1"}}]"#, call: .putMe,
                      code: .rateLimited, requests: 1, retryAfter: 1...1, httpStatus: 429, retries: 0),
            PolicyRow(name: "connection reset on PUT: not resent",
                      faults: #"[{"action": "reset", "method": "PUT", "path": "/me"}]"#, call: .putMe,
                      code: .network, requests: 1, httpStatus: nil, retries: 0),
            PolicyRow(name: "connection reset on PUT over a kept-alive connection: not resent",
                      faults: #"[{"action": "reset", "method": "PUT", "path": "/me"}]"#, call: .putMe,
                      settings: PolicySettings(warmUp: true),
                      code: .network, requests: 2, httpStatus: nil, retries: 0),

            // MARK: Retry-After forms and waits that would be too long
            PolicyRow(name: "429 with Retry-After: 120: reported, not slept",
                      faults: #"[{"status": 429, "body_kind": "empty", "headers": {"Retry-After": "120"}}]"#,
                      code: .rateLimited, requests: 1, retryAfter: 120...120, httpStatus: 429, under: .seconds(1)),
            PolicyRow(name: "503 with Retry-After: 120: reported, not slept",
                      faults: #"[{"status": 503, "body_kind": "empty", "headers": {"Retry-After": "120"}, "times": -1}]"#,
                      code: .server, requests: 1, retryAfter: 120...120, httpStatus: 503, under: .milliseconds(2_500)),
            PolicyRow(name: "Retry-After as an HTTP date in the past: retried at once",
                      faults: #"[{"status": 503, "body_kind": "empty", "headers": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}}]"#,
                      code: nil, requests: 2, httpStatus: 200, retries: 1),
            PolicyRow(name: "Retry-After past the deadline: reported, not slept",
                      faults: #"[{"status": 503, "body_kind": "empty", "times": -1, "headers": {"Retry-After": "2"}}]"#,
                      settings: PolicySettings(timeout: .seconds(1)),
                      code: .server, requests: 1, retryAfter: 2...2, httpStatus: 503, under: .seconds(1)),

            // MARK: 402 (what the next calls do is QuotaGateTests)
            PolicyRow(name: "402 with quota headers: not retried, their reset time reported",
                      faults: #"[{"status": 402, "body_kind": "json_string", "message": "\#(quotaMessage) 1200 seconds.", "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "1200"}}]"#,
                      code: .quota, requests: 1, retryAfter: 1_200...1_200, httpStatus: 402, retries: 0,
                      message: .exact("\(quotaMessage) 1200 seconds.")),
            PolicyRow(name: "402 without quota headers: the reset time from the body",
                      faults: #"[{"status": 402, "body_kind": "json_string", "message": "\#(quotaMessage) 42 seconds."}]"#,
                      code: .quota, requests: 1, retryAfter: 42...42, httpStatus: 402, retries: 0),
            PolicyRow(name: "402 with an empty body: the default block",
                      faults: #"[{"status": 402, "body_kind": "empty"}]"#,
                      code: .quota, requests: 1, retryAfter: QuotaTracker.defaultBlock...QuotaTracker.defaultBlock,
                      httpStatus: 402, retries: 0),
            PolicyRow(name: "the sandbox's own 402, fail-fast off",
                      faults: "[]",
                      settings: PolicySettings(failFast: false, config: #"{"quota_limit": 1}"#, warmUp: true),
                      code: .quota, requests: 2, retryAfter: 3_590...3_600, httpStatus: 402, retries: 0,
                      message: .prefix("You have hit your hourly limit")),

            // MARK: redirects
            PolicyRow(name: "redirect to another origin: not followed, nothing sent there",
                      faults: #"[{"action": "redirect", "location": "$FOREIGN/me"}]"#,
                      code: .request, requests: 1, httpStatus: 302, message: .contains("$FOREIGN/me"),
                      other: PolicyOther(requests: 0, withCredentials: false)),
            PolicyRow(name: "307 on the same origin: followed, with the credentials",
                      faults: #"[{"action": "redirect", "status": 307, "location": "$OTHER/me"}]"#,
                      code: nil, requests: 1, httpStatus: 200, other: PolicyOther(requests: 1, withCredentials: true)),
            PolicyRow(name: "301 on the same origin: followed, with the credentials",
                      faults: #"[{"action": "redirect", "status": 301, "location": "$OTHER/me"}]"#,
                      code: nil, requests: 1, httpStatus: 200, other: PolicyOther(requests: 1, withCredentials: true)),
            PolicyRow(name: "redirect loop: stops after three redirects",
                      faults: #"[{"action": "redirect", "location": "$BASE/me", "times": -1}]"#,
                      code: .request, requests: 4, httpStatus: 302, message: .contains("redirects")),
            PolicyRow(name: "303 for a PUT: never followed, the target named",
                      faults: #"[{"action": "redirect", "status": 303, "location": "$OTHER/me"}]"#, call: .putMe,
                      code: .request, requests: 1, httpStatus: 303, retries: 0, message: .contains("$OTHER/me"),
                      other: PolicyOther(requests: 0, withCredentials: false)),

            // MARK: timeouts
            PolicyRow(name: "a stall against the total timeout",
                      faults: #"[{"action": "stall", "stall_ms": 3000}]"#,
                      settings: PolicySettings(timeout: .milliseconds(500)),
                      code: .timeout, requests: 1, httpStatus: nil, under: .milliseconds(1_200)),
            PolicyRow(name: "a trickle against the low-speed limit",
                      faults: #"[{"action": "trickle", "interval_ms": 200}]"#,
                      settings: PolicySettings(lowSpeedLimit: LowSpeedLimit(bytesPerSecond: 1_000, duration: .seconds(1))),
                      code: .timeout, requests: 1, httpStatus: nil, under: .seconds(4)),
            PolicyRow(name: "slow but within the timeout",
                      faults: #"[{"pass": true, "delay_ms": 300}]"#,
                      settings: PolicySettings(timeout: .seconds(5)),
                      code: nil, requests: 1, httpStatus: 200, retries: 0),

            // MARK: the size cap
            PolicyRow(name: "a body over the cap, with Content-Length",
                      faults: #"[{"action": "oversize", "size_bytes": 4194304}]"#, call: .getProjects,
                      settings: PolicySettings(maxResponseBytes: 65_536),
                      code: .tooLarge, requests: 1, httpStatus: nil),
            PolicyRow(name: "a body over the cap, without Content-Length",
                      faults: #"[{"action": "oversize", "size_bytes": 4194304, "no_length": true}]"#, call: .getProjects,
                      settings: PolicySettings(maxResponseBytes: 65_536),
                      code: .tooLarge, requests: 1, httpStatus: nil),
            PolicyRow(name: "a body of exactly the cap",
                      faults: #"[{"action": "oversize", "size_bytes": 65536}]"#, call: .getProjects,
                      settings: PolicySettings(maxResponseBytes: 65_536),
                      code: nil, requests: 1, httpStatus: 200, bodyBytes: 65_536),

            // MARK: truncated and malformed bodies
            PolicyRow(name: "a truncated body with maxRetries 0: a broken connection",
                      faults: #"[{"action": "truncate", "times": -1}]"#, call: .getProjects,
                      settings: PolicySettings(maxRetries: 0),
                      code: .network, requests: 1, httpStatus: nil, retries: 0),
            PolicyRow(name: "a truncated body once: retried, then success",
                      faults: #"[{"action": "truncate"}]"#, call: .getProjects,
                      code: nil, requests: 2, httpStatus: 200, retries: 1),
            PolicyRow(name: "malformed JSON: a decode error with the status, not retried",
                      faults: #"[{"action": "malformed"}]"#,
                      code: .decode, requests: 1, httpStatus: 200, retries: 0, message: .contains("malformed JSON")),
            PolicyRow(name: "an object where an array belongs",
                      faults: #"[{"action": "malformed", "body": "{\"not\": \"an array\"}"}]"#, call: .getProjects,
                      code: .decode, requests: 1, httpStatus: 200,
                      message: .exact("expected a JSON array but the response is an object")),
            PolicyRow(name: "an array where an object belongs",
                      faults: #"[{"action": "malformed", "body": "[]"}]"#,
                      code: .decode, requests: 1, httpStatus: 200),
            PolicyRow(name: "an HTML page where an array belongs",
                      faults: #"[{"action": "malformed", "body": "<html>oops</html>", "content_type": "text/html"}]"#, call: .getTags,
                      code: .decode, requests: 1, httpStatus: 200),
            PolicyRow(name: "an array where the location belongs",
                      faults: #"[{"action": "malformed", "body": "[1,2,3]"}]"#, call: .getLocation,
                      code: .decode, requests: 1, httpStatus: 200),

            // MARK: statuses that are never retried, and their messages
            PolicyRow(name: "401 with an empty body",
                      faults: #"[{"status": 401, "body_kind": "empty", "headers": {"X-Authorization-Missing": "true"}}]"#,
                      code: .auth, requests: 1, httpStatus: 401, retries: 0, message: .exact("HTTP 401 Unauthorized (empty body)")),
            PolicyRow(name: "403 in plain text from the sandbox for a wrong token",
                      faults: "[]", settings: PolicySettings(apiToken: "wrong-token-abcdef"),
                      code: .auth, requests: 1, httpStatus: 403, retries: 0, message: .exact("Incorrect username and/or password")),
            PolicyRow(name: "404 with a JSON string",
                      faults: #"[{"status": 404, "body_kind": "json_string", "message": "could not load user data"}]"#,
                      code: .notFound, requests: 1, httpStatus: 404, retries: 0, message: .exact("could not load user data")),
            PolicyRow(name: "400 with the recorded JSON string",
                      faults: #"[{"status": 400, "body": \#(includeArchived400)}]"#, call: .getProjects,
                      code: .request, requests: 1, httpStatus: 400, retries: 0, message: .exact("Invalid include_archived")),
            PolicyRow(name: "422 in plain text",
                      faults: #"[{"status": 422, "body_kind": "plain", "message": "Since is expected to be an unix timestamp, integer value"}]"#,
                      code: .request, requests: 1, httpStatus: 422, retries: 0,
                      message: .exact("Since is expected to be an unix timestamp, integer value")),
            PolicyRow(name: "409 with an HTML page: its title",
                      faults: #"[{"status": 409, "body_kind": "html", "message": "Conflict here"}]"#,
                      code: .request, requests: 1, httpStatus: 409, retries: 0, message: .exact("Conflict here")),
        ]
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
