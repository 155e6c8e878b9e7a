import TogglKit
import TogglStore

/// One run of a command: the credential, the client and the store, each made when first
/// needed (`toggl status` with TOGGL_STORE set needs no token; `--offline` needs no client).
final class Session {
    private let access: AccessOptions
    private var authenticationCache: TogglConfiguration.Authentication?
    private var clientCache: TogglClient?
    private var pathCache: String?
    private var storeCache: TogglStore?

    init(access: AccessOptions) {
        self.access = access
    }

    func authentication() throws(Failure) -> TogglConfiguration.Authentication {
        if let authenticationCache { return authenticationCache }
        let authentication = try Credentials.authentication(tokenFile: access.tokenFile)
        authenticationCache = authentication
        return authentication
    }

    /// The client for TOGGL_BASE_URL (else the real API); Ctrl-C cancels its calls from now on.
    func client() throws(Failure) -> TogglClient {
        if let clientCache { return clientCache }
        let authentication = try authentication()
        let baseURL = Environment.value("TOGGL_BASE_URL") ?? TogglConfiguration.defaultBaseURL
        var configuration = TogglConfiguration(authentication: authentication, baseURL: baseURL)
        configuration.userAgent = "toggl/\(TogglVersion.string) libtoggl/\(TogglVersion.string)"
        let client: TogglClient
        do {
            client = try TogglClient(configuration: configuration)
        } catch {
            // The library checks the token and the URL with one error code; a stand-in token
            // tells which of the two it refused.
            let placeholder = TogglConfiguration(authentication: .apiToken("placeholder"), baseURL: baseURL)
            if (try? TogglClient(configuration: placeholder)) == nil {
                throw Failure(ExitCodes.usage, "TOGGL_BASE_URL is not usable: \(Failure.oneLine(error.message)); unset it for the real API")
            }
            throw Failure(ExitCodes.noPermission, "the API token is not usable: \(Failure.oneLine(error.message)); \(Credentials.whereToGetOne)")
        }
        Interrupt.watch(client)
        clientCache = client
        return client
    }

    func storePath() throws(Failure) -> String {
        if let pathCache { return pathCache }
        let path = try StoreLocation.path(authentication: authentication)
        pathCache = path
        return path
    }

    /// The store, created (0600) when it does not exist.
    func store() throws(Failure) -> TogglStore {
        if let storeCache { return storeCache }
        let path = try storePath()
        do {
            let store = try TogglStore(path: path)
            storeCache = store
            return store
        } catch {
            throw Failure(error)
        }
    }

    /// The store if its file exists: reading never creates one.
    func existingStore() throws(Failure) -> TogglStore? {
        if storeCache == nil, !StoreLocation.exists(try storePath()) { return nil }
        return try store()
    }

    /// A quota the store saw spent (in any process) fails here, before anything is sent; the
    /// commands the store does not answer obey it too. A store that cannot be read does not
    /// stop them: the server keeps the quota in any case.
    func checkQuotaGate() throws(Failure) {
        guard let store = try? existingStore(), let quota = try? store.quota(),
              let remaining = quota.remaining, remaining <= 0,
              let left = quota.resetsInSeconds, left > 0 else { return }
        throw Failure(ExitCodes.tempFail, "quota spent; \(TimeText.resetsIn(seconds: left)); nothing was sent")
    }

    /// One call of the client; Ctrl-C during it ends it with exit 130.
    func send<Result>(_ call: (TogglClient) throws(TogglError) -> Result) throws(Failure) -> Result {
        let client = try client()
        try Interrupt.check()
        do {
            let result = try call(client)
            try? existingStore()?.recordQuota(of: client)
            return result
        } catch {
            // A spent quota is kept even without a store yet: the next invocation then sends
            // nothing before the reset, whatever it runs.
            if error.code == .quota {
                try? store().recordQuota(of: client, after: error)
            } else {
                try? existingStore()?.recordQuota(of: client, after: error)
            }
            throw Failure(error)
        }
    }
}
