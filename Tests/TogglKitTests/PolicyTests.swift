import Testing
@testable import TogglKit
import TestSupport

/// The retry and quota decisions on their own, without a server.
@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(500), maxDelay: .seconds(8),
                             maxRetryAfter: .seconds(30))

    @Test func backoffIsFullJitterUnderAnExponentialCeiling() {
        // The random source returns the top of its range: the ceiling itself.
        let top: (ClosedRange<Double>) -> Double = { $0.upperBound }
        #expect(policy.decide(attempt: 0, retryAfter: nil, timeLeft: .seconds(60), random: top) == .retry(after: .milliseconds(500)))
        #expect(policy.decide(attempt: 1, retryAfter: nil, timeLeft: .seconds(60), random: top) == .retry(after: .seconds(1)))
        let bottom: (ClosedRange<Double>) -> Double = { $0.lowerBound }
        #expect(policy.decide(attempt: 1, retryAfter: nil, timeLeft: .seconds(60), random: bottom) == .retry(after: .zero))
        let capped = RetryPolicy(maxRetries: 10, baseDelay: .milliseconds(500), maxDelay: .seconds(8), maxRetryAfter: .seconds(30))
        #expect(capped.decide(attempt: 9, retryAfter: nil, timeLeft: .seconds(60), random: top) == .retry(after: .seconds(8)))
    }

    @Test func retriesRunOut() {
        #expect(policy.decide(attempt: 2, retryAfter: nil, timeLeft: .seconds(60)) == .fail(retryAfterSeconds: nil))
        #expect(policy.decide(attempt: 2, retryAfter: .seconds(3), timeLeft: .seconds(60)) == .fail(retryAfterSeconds: 3))
    }

    @Test func retryAfterIsHonouredWithinLimits() {
        #expect(policy.decide(attempt: 0, retryAfter: .seconds(2), timeLeft: .seconds(60)) == .retry(after: .seconds(2)))
        #expect(policy.decide(attempt: 0, retryAfter: .seconds(31), timeLeft: .seconds(60)) == .fail(retryAfterSeconds: 31))
        #expect(policy.decide(attempt: 0, retryAfter: .seconds(5), timeLeft: .seconds(4)) == .fail(retryAfterSeconds: 5))
    }

    @Test func neverWaitsPastTheDeadline() {
        let top: (ClosedRange<Double>) -> Double = { $0.upperBound }
        #expect(policy.decide(attempt: 1, retryAfter: nil, timeLeft: .milliseconds(900), random: top) == .fail(retryAfterSeconds: nil))
    }

    @Test func retryAfterHeaderForms() {
        let now: Int64 = 1_445_412_400 // Wed, 21 Oct 2015 07:26:40 GMT
        #expect(RetryAfter.parse("7", now: now) == .seconds(7))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(80))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:20:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("Wed, 21 Foo 2015 07:28:00 GMT", now: now) == nil)
        #expect(RetryAfter.parse(nil, now: now) == nil)
    }
}

@Suite struct QuotaTrackerTests {
    let clock = ContinuousClock()

    @Test func blocksUntilTheReportedResetThenOpens() {
        let tracker = QuotaTracker()
        let start = clock.now
        #expect(tracker.localRefusal(at: start) == nil)
        tracker.exhausted(resetsIn: 10, message: "spent", at: start)
        let refusal = tracker.localRefusal(at: start + .seconds(4))
        #expect(refusal?.code == .quota)
        #expect(refusal?.retryAfterSeconds == 6)
        #expect(tracker.localRefusal(at: start + .seconds(10)) == nil)
        #expect(tracker.localRefusal(at: start + .seconds(4)) == nil, "once open it stays open until the next 402")
    }

    @Test func remainingCountsDown() {
        let tracker = QuotaTracker()
        let start = clock.now
        tracker.record(HTTPResponse(status: 200, headers: [("x-toggl-quota-remaining", "12"),
                                                           ("x-toggl-quota-resets-in", "100")], body: []), at: start)
        #expect(tracker.status?.remaining == 12)
        #expect(tracker.status?.secondsUntilReset(now: start + .seconds(30)) == 70)
        #expect(tracker.status?.secondsUntilReset(now: start + .seconds(300)) == 0)
        #expect(tracker.localRefusal(at: start) == nil)
    }

    @Test func responsesWithoutQuotaHeadersKeepTheLastReading() {
        let tracker = QuotaTracker()
        let start = clock.now
        tracker.record(HTTPResponse(status: 200, headers: [("x-toggl-quota-remaining", "5")], body: []), at: start)
        tracker.record(HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: []), at: start)
        #expect(tracker.status?.remaining == 5)
    }
}

/// The text handed to callers for every kind of error body the API produces.
@Suite struct ServerMessageTests {
    @Test(arguments: [
        ("errors/error_400_invalid_beginning_of_week.json", "Invalid beginning_of_week"),
        ("errors/error_400_since_not_unix_timestamp.json", "Since is expected to be an unix timestamp, integer value"),
        ("errors/error_403_incorrect_credentials_plaintext.txt", "Incorrect username and/or password"),
        ("errors/error_429_nginx_html_2019.html", "429 Too Many Requests"),
    ])
    func recordedBodies(fixture: String, expected: String) throws {
        let body = try Fixtures.bytes(fixture)
        #expect(ServerMessage.readable(body: body, status: 400, contentType: nil) == expected)
    }

    @Test func emptyBodiesAreDescribedByStatus() {
        #expect(ServerMessage.readable(body: [], status: 401, contentType: nil) == "HTTP 401 Unauthorized (empty body)")
        #expect(ServerMessage.readable(body: Array(" \r\n".utf8), status: 418, contentType: nil) == "HTTP 418 with an empty body")
    }

    @Test func htmlWithoutTitleIsReducedToText() {
        let html = "<html><body><h1>Bad\r\n Gateway</h1><p>try later</p></body></html>"
        #expect(ServerMessage.readable(body: Array(html.utf8), status: 502, contentType: "text/html") == "Bad Gateway try later")
    }

    @Test func jsonObjectsWithAMessage() {
        #expect(ServerMessage.readable(body: Array(#"{"message":"nope","code":3}"#.utf8), status: 400, contentType: nil) == "nope")
        #expect(ServerMessage.readable(body: Array(#"{"other":1}"#.utf8), status: 400, contentType: nil) == #"{"other":1}"#)
    }

    @Test func longAndInvalidBodiesStayReadable() {
        let long = ServerMessage.readable(body: Array(String(repeating: "x", count: 5_000).utf8), status: 500, contentType: nil)
        #expect(long.count == ServerMessage.maxLength + 1)
        let invalid = ServerMessage.readable(body: [0x66, 0xFF, 0x6F], status: 500, contentType: nil)
        #expect(invalid == "f\u{FFFD}o")
    }

    @Test func quotaResetFromTheBody() {
        #expect(ServerMessage.resetSeconds(inQuotaMessage: "Your quota will reset in 1234 seconds.") == 1_234)
        #expect(ServerMessage.resetSeconds(inQuotaMessage: "Quota resets in 5s") == 5)
        #expect(ServerMessage.resetSeconds(inQuotaMessage: "no number") == nil)
    }

    @Test func redactorRemovesCredentials() {
        let redactor = SecretRedactor(Credentials(user: "me@example.com", password: "hunter22"))
        #expect(redactor.redact("user me@example.com with hunter22!") == "user [redacted] with [redacted]!")
        let token = SecretRedactor(Credentials(user: "tok-123456", password: "api_token"))
        #expect(token.redact("api_token tok-123456") == "api_token [redacted]")
    }
}

@Suite struct ConfigurationTests {
    func configuration(_ change: (inout TogglConfiguration) -> Void) -> TogglConfiguration {
        var configuration = TogglConfiguration(authentication: .apiToken("token-1234"))
        change(&configuration)
        return configuration
    }

    @Test func defaults() throws {
        let client = try TogglClient(apiToken: "token-1234")
        let configuration = client.configuration
        #expect(configuration.baseURL == "https://api.track.toggl.com/api/v9")
        #expect(configuration.timeout == .seconds(60))
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.maxRetries == 2)
        #expect(configuration.maxResponseBytes == 64 << 20)
        #expect(configuration.failFastWhenQuotaExhausted)
        #expect(configuration.userAgent == "libtoggl/\(TogglVersion.string)")
    }

    @Test(arguments: [
        "ftp://example.com", "example.com/api", "https://user:pw@example.com/api/v9", "https://",
        "https://exa mple.com", "https://example.com/api?x=1", "",
    ])
    func badBaseURLs(url: String) {
        let error = #expect(throws: TogglError.self) { try TogglClient(apiToken: "token-1234", baseURL: url) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func trailingSlashesAreIgnored() throws {
        let client = try TogglClient(apiToken: "token-1234", baseURL: "http://127.0.0.1:1/api/v9//")
        #expect(client.configuration.baseURL == "http://127.0.0.1:1/api/v9")
    }

    @Test func badValuesAreRejectedBeforeAnythingIsSent() {
        let bad: [TogglConfiguration] = [
            configuration { $0.authentication = .apiToken("") },
            configuration { $0.authentication = .apiToken("a:b") },
            configuration { $0.authentication = .apiToken("tok\nen") },
            configuration { $0.authentication = .emailPassword(email: "", password: "x") },
            configuration { $0.authentication = .emailPassword(email: "a@b.c", password: "") },
            configuration { $0.timeout = .zero },
            configuration { $0.connectTimeout = .seconds(-1) },
            configuration { $0.maxRetries = -1 },
            configuration { $0.maxResponseBytes = 0 },
            configuration { $0.userAgent = "agent\r\nX-Evil: 1" },
            configuration { $0.lowSpeedLimit = LowSpeedLimit(bytesPerSecond: 0, duration: .seconds(5)) },
            configuration { $0.caFile = "" },
        ]
        for configuration in bad {
            let error = #expect(throws: TogglError.self) { try TogglClient(configuration: configuration) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func reconfigureIsAtomicAndValidated() throws {
        let client = try TogglClient(apiToken: "token-1234")
        try client.reconfigure { $0.timeout = .seconds(5) }
        #expect(client.configuration.timeout == .seconds(5))
        #expect(throws: TogglError.self) { try client.reconfigure { $0.timeout = .seconds(7); $0.maxRetries = -3 } }
        #expect(client.configuration.timeout == .seconds(5))
        #expect(client.configuration.maxRetries == 2)
    }

    @Test func errorDescriptions() {
        let error = TogglError(.quota, "spent", httpStatus: 402, retryAfterSeconds: 10)
        #expect(error.description == "quota exceeded: spent (HTTP 402)")
        #expect(Set(TogglError.Code.allCases.map(\.name)).count == TogglError.Code.allCases.count)
        #expect(TogglError.Code.allCases.map(\.rawValue) == Array((-14)...(-1)).reversed())
    }
}

/// Typed decoding's tolerance rules.
@Suite struct JSONDecodingRulesTests {
    struct Numbers: Decodable, Equatable {
        var int: Int64?
        var small: Int32?
        var real: Double?
        var text: String?
        var flag: Bool?
    }

    @Test func integralRealsBecomeIntegersAndIntegersBecomeReals() throws {
        let value = try TogglJSON.decode(Numbers.self, from: Array(#"{"int": 12.0, "small": 7, "real": 3, "flag": false}"#.utf8))
        #expect(value == Numbers(int: 12, small: 7, real: 3, text: nil, flag: false))
    }

    /// Number <-> string, integer <-> real, object <-> array, booleans: a value that does not fit
    /// its optional field losslessly is dropped and reported; the other fields decode.
    @Test(arguments: [
        (#"{"int": 1.5, "text": "kept"}"#, "int", "the number 1.5"),
        (#"{"small": 3000000000, "text": "kept"}"#, "small", "the number 3000000000"),
        (#"{"int": "12", "text": "kept"}"#, "int", "a string"),
        (#"{"flag": 1, "text": "kept"}"#, "flag", "the number 1"),
        (#"{"real": {"a": 1}, "text": "kept"}"#, "real", "an object"),
        (#"{"real": [1], "text": "kept"}"#, "real", "an array"),
    ])
    func lossyOrWrongTypesAreDroppedAndReported(json: String, field: String, found: String) throws {
        let decoded = try TogglJSON.decodeReportingIssues(Numbers.self, from: Array(json.utf8))
        #expect(decoded.value == Numbers(text: "kept"))
        #expect(decoded.issues.map(\.path) == [field])
        #expect(decoded.issues.first?.reason.contains("found \(found)") == true, "\(decoded.issues)")
    }

    @Test func aStringWhereANumberWasOrTheOtherWayRound() throws {
        let decoded = try TogglJSON.decodeReportingIssues(Numbers.self, from: Array(#"{"text": 5, "int": 7}"#.utf8))
        #expect(decoded.value == Numbers(int: 7))
        #expect(decoded.issues.map(\.path) == ["text"])
    }

    @Test func nullsMissingAndUnknownKeys() throws {
        let value = try TogglJSON.decode(Numbers.self, from: Array(#"{"int": null, "extra": {"a": [1, 2]}}"#.utf8))
        #expect(value == Numbers())
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1} x", "\u{FEFF}{}", "nul"])
    func malformedDocuments(json: String) {
        let error = #expect(throws: TogglError.self) { try TogglJSON.decode([String: Int].self, from: Array(json.utf8)) }
        #expect(error?.code == .decode)
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: TogglError.self) { try TogglJSON.decode(String.self, from: [0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func stringsWithEscapedNULKeepTheirLength() throws {
        #expect(try TogglJSON.decode(String.self, from: Array(#""a\u0000b""#.utf8)) == "a\u{0}b")
    }

    @Test func issuePathsNameTheField() throws {
        let decoded = try TogglJSON.decodeReportingIssues([User].self, from: Array(#"[{"id": 1}, {"id": "two", "fullname": "B"}]"#.utf8))
        #expect(decoded.value.map(\.id) == [1, nil])
        #expect(decoded.value[1].fullname == "B")
        #expect(decoded.issues.map(\.path) == ["[1].id"])
    }

    /// An element that is not an object at all is dropped from its array, the others kept.
    @Test func elementsOfTheWrongKindAreDropped() throws {
        let decoded = try TogglJSON.decodeReportingIssues(User.self, from: Array(
            #"{"id": 1, "projects": [{"id": 5}, "oops", null, {"id": 6}], "tags": {"not": "an array"}}"#.utf8))
        #expect(decoded.value.projects?.map(\.id) == [5, 6])
        #expect(decoded.value.tags == nil)
        #expect(decoded.issues.map(\.path) == ["projects[1]", "projects[2]", "tags"])
    }

    /// Only the wrong shape at the top level fails the call.
    @Test func theWrongTopLevelShapeFails() {
        let error = #expect(throws: TogglError.self) { try TogglJSON.decode(User.self, from: Array("[1]".utf8)) }
        #expect(error?.code == .decode)
        #expect(error?.message.hasPrefix("invalid response at top level") == true)
        #expect(throws: TogglError.self) { try TogglJSON.decode([User].self, from: Array("{}".utf8)) }
    }

    @Test func shapesForTheJSONSurfaces() throws {
        try JSONValidator.check(Array("{}".utf8), as: .object)
        try JSONValidator.check(Array("[]".utf8), as: .array)
        try JSONValidator.check(Array("null".utf8), as: .objectOrNull)
        try JSONValidator.check([], as: .objectOrNull)
        try JSONValidator.check(Array("garbage".utf8), as: .empty)
        #expect(throws: TogglError.self) { try JSONValidator.check(Array("[]".utf8), as: .object) }
        #expect(throws: TogglError.self) { try JSONValidator.check(Array("null".utf8), as: .array) }
        #expect(throws: TogglError.self) { try JSONValidator.check(Array("\"x\"".utf8), as: .objectOrNull) }
    }

    @Test func jsonValueRoundTripsThroughTheDecoder() throws {
        let value = try TogglJSON.decode(JSONValue.self, from: Array(#"{"a": [1, 2.5, "x", true, null], "b": {}}"#.utf8))
        #expect(value == .object(["a": .array([.int(1), .double(2.5), .string("x"), .bool(true), .null]), "b": .object([:])]))
    }
}

@Suite struct MeUpdateBodyTests {
    @Test func onlySetFieldsAreEncoded() throws {
        let body = MeUpdate(beginningOfWeek: 0, fullname: "Zoë \"Q\"").jsonBody()
        let decoded = try TogglJSON.decode([String: JSONValue].self, from: body)
        #expect(decoded == ["beginning_of_week": .int(0), "fullname": .string("Zoë \"Q\"")])
        #expect(MeUpdate().jsonBody() == Array("{}".utf8))
    }
}
