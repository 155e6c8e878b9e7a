
/// A client of the Toggl Track API v9 "me" endpoints.
///
/// Safe to share across threads and tasks: connections, the DNS and TLS caches and the quota
/// reading are per client and internally synchronised. Sync methods block the calling thread;
/// async methods run the transfer on a thread of their own.
public final class TogglClient: Sendable {
    private let settings: Locked<RequestExecutor.Settings>
    private let transport: CurlTransport
    private let quotaTracker = QuotaTracker()

    /// Validates `configuration` (nothing is sent) and sets up the connection pool.
    public init(configuration: TogglConfiguration) throws(TogglError) {
        settings = Locked(try RequestExecutor.Settings(configuration))
        transport = try CurlTransport()
    }

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

    /// The quota as the last response reported it; nil before any response carried quota headers.
    public var quota: QuotaStatus? { quotaTracker.status }

    var executor: RequestExecutor {
        RequestExecutor(settings: settings.withLock { $0 }, transport: transport, quota: quotaTracker)
    }

    /// Sends `endpoint` and decodes the documented model.
    public func send<Response>(_ endpoint: Endpoint<Response>) throws(TogglError) -> Response {
        let validated = try executor.execute(method: endpoint.method, pathAndQuery: endpoint.pathAndQuery,
                                             body: endpoint.body, shape: endpoint.shape, buildTree: true,
                                             secrets: endpoint.secrets)
        do {
            return try endpoint.decode(validated.document)
        } catch {
            var error = error
            error.httpStatus = validated.raw.status
            error.retries = validated.raw.retries
            throw error
        }
    }

    /// Sends `endpoint` and returns the server's JSON, checked only for its documented top-level
    /// shape: unknown keys and changed field types pass through untouched.
    public func sendRaw<Response>(_ endpoint: Endpoint<Response>) throws(TogglError) -> RawResponse {
        try executor.execute(method: endpoint.method, pathAndQuery: endpoint.pathAndQuery,
                             body: endpoint.body, shape: endpoint.shape, buildTree: false,
                             secrets: endpoint.secrets).raw
    }

    public func send<Response>(_ endpoint: Endpoint<Response>) async throws(TogglError) -> Response {
        try await BlockingWork.run { () -> Result<Response, TogglError> in
            do throws(TogglError) { return .success(try self.send(endpoint)) } catch { return .failure(error) }
        }.get()
    }

    public func sendRaw<Response>(_ endpoint: Endpoint<Response>) async throws(TogglError) -> RawResponse {
        try await BlockingWork.run { () -> Result<RawResponse, TogglError> in
            do throws(TogglError) { return .success(try self.sendRaw(endpoint)) } catch { return .failure(error) }
        }.get()
    }
}
