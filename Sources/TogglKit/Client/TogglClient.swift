
/// A client of the Toggl Track API v9 "me" endpoints.
///
/// Safe to share across threads and tasks: connections, the DNS and TLS caches and the quota
/// reading are per client and internally synchronised. Blocking methods block the calling thread
/// (and are unavailable from async code); async methods run the transfer on a bounded pool of
/// threads and end promptly, with `.cancelled`, when their `Task` is cancelled.
public final class TogglClient: Sendable {
    private let settings: Locked<RequestExecutor.Settings>
    private let transport: CurlTransport
    private let quotaTracker = QuotaTracker()
    private let calls = CallRegistry()

    /// Validates `configuration` (nothing is sent) and sets up the connection pool.
    public init(configuration: TogglConfiguration) throws(TogglError) {
        settings = Locked(try RequestExecutor.Settings(configuration))
        transport = try CurlTransport()
    }

    /// A client that authenticates with an API token (Profile settings in Toggl Track).
    public convenience init(apiToken: String, baseURL: String = TogglConfiguration.defaultBaseURL) throws(TogglError) {
        try self.init(configuration: TogglConfiguration(authentication: .apiToken(apiToken), baseURL: baseURL))
    }

    /// The configuration in force (validated and normalised).
    public var configuration: TogglConfiguration { settings.withLock { $0.configuration } }

    /// Changes the configuration of a live client; calls already under way keep the old one.
    /// Connections, caches and the quota reading are kept. An invalid result changes nothing.
    public func reconfigure(_ change: (inout TogglConfiguration) -> Void) throws(TogglError) {
        try settings.withLock { (current: inout RequestExecutor.Settings) throws(TogglError) in
            var configuration = current.configuration
            change(&configuration)
            current = try RequestExecutor.Settings(configuration)
        }
    }

    /// The quota as the last response reported it, read locally (nothing is sent); nil before
    /// any response carried quota headers. `quota()` asks the server instead.
    public var lastQuota: QuotaStatus? { quotaTracker.status }

    /// Ends every call on this client that began before this one, from any thread: each throws
    /// `.cancelled` promptly (well under 100 ms), its connection closed if it was mid-transfer.
    /// Calls that begin later are unaffected; a cancelled page of a walk can be asked for again.
    /// A cancelled PUT may or may not have been applied.
    public func cancel() { calls.cancelAll() }

    var executor: RequestExecutor {
        RequestExecutor(settings: settings.withLock { $0 }, transport: transport, quota: quotaTracker)
    }

    /// Runs `body` as one call of this client, which `cancel()` reaches.
    func call<T>(_ control: CallControl = CallControl(),
                 _ body: (RequestExecutor, CallControl) throws(TogglError) -> T) throws(TogglError) -> T {
        try calls.run(control) { () throws(TogglError) -> T in try body(executor, control) }
    }

    /// Runs `body`, which sends its requests with `control`, as one call of this client: a
    /// `cancel()` at any point ends it, between requests too (a store's sync).
    package func run<T>(as control: CallControl, _ body: () throws(TogglError) -> T) throws(TogglError) -> T {
        try calls.run(control, body)
    }

    /// Runs the blocking `body` on the worker pool as one call of this client; cancelling the
    /// awaiting `Task` cancels the call (or withdraws it, while it still waits for a thread).
    package func callAsync<T: Sendable>(_ body: @escaping @Sendable (CallControl) throws(TogglError) -> T) async throws(TogglError) -> T {
        let control = CallControl()
        calls.register(control)
        defer { calls.unregister(control) }
        return try await BlockingWork.run(control) { () -> Result<T, TogglError> in
            do throws(TogglError) { return .success(try body(control)) } catch { return .failure(error) }
        }.get()
    }

    /// Sends `endpoint` and decodes the documented model. A value of the wrong type for an
    /// optional field decodes as nil; `sendDecoded` also says what was dropped.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func send<Response>(_ endpoint: Endpoint<Response>) throws(TogglError) -> Response {
        try sendDecoded(endpoint, control: CallControl()).value
    }

    /// Sends `endpoint` and decodes the documented model, with every value that was dropped
    /// because it did not fit the model (schema drift), for the caller to log.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func sendDecoded<Response>(_ endpoint: Endpoint<Response>) throws(TogglError) -> Decoded<Response> {
        try sendDecoded(endpoint, control: CallControl())
    }

    /// Sends `endpoint` and returns the server's JSON, checked only for its documented top-level
    /// shape: unknown keys and changed field types pass through untouched.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func sendRaw<Response>(_ endpoint: Endpoint<Response>) throws(TogglError) -> RawResponse {
        try sendRaw(endpoint, control: CallControl())
    }

    /// Sends `endpoint` and decodes the documented model; a cancelled `Task` ends it with `.cancelled`.
    public func send<Response>(_ endpoint: Endpoint<Response>) async throws(TogglError) -> Response {
        try await sendDecoded(endpoint).value
    }

    /// `sendDecoded` (see the blocking overload); a cancelled `Task` ends it with `.cancelled`.
    public func sendDecoded<Response>(_ endpoint: Endpoint<Response>) async throws(TogglError) -> Decoded<Response> {
        try await callAsync { (control) throws(TogglError) in try self.sendDecoded(endpoint, control: control) }
    }

    /// Sends `endpoint` and returns the server's JSON (see the blocking overload); a cancelled
    /// `Task` ends it with `.cancelled`.
    public func sendRaw<Response>(_ endpoint: Endpoint<Response>) async throws(TogglError) -> RawResponse {
        try await callAsync { (control) throws(TogglError) in try self.sendRaw(endpoint, control: control) }
    }

    func sendDecoded<Response>(_ endpoint: Endpoint<Response>, control: CallControl) throws(TogglError) -> Decoded<Response> {
        let raw = try call(control) { (executor, control) throws(TogglError) in
            try executor.execute(method: endpoint.method, pathAndQuery: endpoint.pathAndQuery, body: endpoint.body,
                                 shape: endpoint.shape, validate: false, secrets: endpoint.secrets, control: control)
        }
        do {
            return try endpoint.decode(raw.body)
        } catch {
            var error = error
            error.httpStatus = raw.status
            error.retries = raw.retries
            throw error
        }
    }

    package func sendRaw<Response>(_ endpoint: Endpoint<Response>, control: CallControl) throws(TogglError) -> RawResponse {
        try call(control) { (executor, control) throws(TogglError) in
            try executor.execute(method: endpoint.method, pathAndQuery: endpoint.pathAndQuery, body: endpoint.body,
                                 shape: endpoint.shape, validate: true, secrets: endpoint.secrets, control: control)
        }
    }
}
