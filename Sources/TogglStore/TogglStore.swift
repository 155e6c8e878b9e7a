import TogglKit

/// A local mirror of the account's data in SQLite: a sync spends a request per collection that
/// is due (one for a whole snapshot), reads spend none, and the quota as last seen survives
/// restarts, so that no process spends a request the server would refuse.
///
/// A store may be shared by threads. A file store has a connection for reads and one for
/// syncs, so reads go on (seeing the last committed sync) while a sync waits on the network;
/// an in-memory store has one connection, and its reads wait for a sync under way.
/// Processes share a file store safely: syncs take turns, reads never wait for them.
public final class TogglStore: Sendable {
    /// The file, or nil in memory.
    public let path: String?
    private let writer: Locked<Connection>
    private let reader: Locked<Connection>
    /// The size of the last read of each collection, to reserve for the next one.
    private let readSizes = Locked<[String: Int]>([:])
    /// Naps of this handle's syncs waiting for another connection's write lock (for tests).
    let lockWaits = LockWaits()

    /// Opens the store at `path`, creating it (mode 0600) when it does not exist; nil or
    /// ":memory:" opens a new store in memory. A file that is not a store, or a store written by
    /// a newer libtoggl, is refused with `.store` and left untouched; an older store is migrated.
    public init(path: String? = nil) throws(TogglError) {
        let (writer, reader) = try StoreFile.open(path)
        self.path = path == ":memory:" ? nil : path
        let lockedWriter = Locked(writer)
        self.writer = lockedWriter
        self.reader = reader.map { Locked($0) } ?? lockedWriter
    }

    /// Brings the store up to date with what `client` sees: a snapshot when the store is empty
    /// or `.full` is given, else one `since` request per collection that is due. With `maxAge`
    /// (seconds, >= 0), a collection refreshed less than that long ago is not requested, so a
    /// sync of a fresh store sends nothing. A quota spent in an earlier sync (any process)
    /// fails with `.quota` before anything is sent; another account's client with `.store`.
    /// `client.cancel()` ends it with `.cancelled`, keeping every collection as it was or
    /// fully updated.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    @discardableResult
    public func sync(with client: TogglClient, options: SyncOptions = [], maxAge: Int64? = nil) throws(TogglError) -> SyncReport {
        try Self.check(options: options, maxAge: maxAge)
        let control = CallControl()
        return try client.run(as: control) { () throws(TogglError) -> SyncReport in
            try self.sync(client, options: options, maxAge: maxAge, control: control)
        }
    }

    /// `sync` (see the blocking overload) on the client's worker threads; cancelling the `Task`
    /// ends it with `.cancelled`.
    @discardableResult
    public func sync(with client: TogglClient, options: SyncOptions = [], maxAge: Int64? = nil) async throws(TogglError) -> SyncReport {
        try Self.check(options: options, maxAge: maxAge)
        return try await client.callAsync { (control) throws(TogglError) -> SyncReport in
            try client.run(as: control) { () throws(TogglError) -> SyncReport in
                try self.sync(client, options: options, maxAge: maxAge, control: control)
            }
        }
    }

    /// Refreshes only the user row, with one `GET /me` (after a `PUT /me`, say); an empty store
    /// takes a snapshot instead. The quota gate and the account check apply as for `sync`.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    @discardableResult
    public func refreshUser(with client: TogglClient) throws(TogglError) -> SyncReport {
        let control = CallControl()
        return try client.run(as: control) { () throws(TogglError) -> SyncReport in
            try self.sync(client, options: [], maxAge: nil, userOnly: true, control: control)
        }
    }

    /// `refreshUser` on the client's worker threads; cancelling the `Task` ends it.
    @discardableResult
    public func refreshUser(with client: TogglClient) async throws(TogglError) -> SyncReport {
        try await client.callAsync { (control) throws(TogglError) -> SyncReport in
            try client.run(as: control) { () throws(TogglError) -> SyncReport in
                try self.sync(client, options: [], maxAge: nil, userOnly: true, control: control)
            }
        }
    }

    /// The file name (no folder) of the store that belongs to `authentication`'s account, the
    /// same in every process and found without a request: a SHA-256 of the credential under a
    /// fixed salt, so that the name tells nothing about the credential. The `toggl` tool keeps
    /// its stores under `$XDG_CACHE_HOME/toggl/` with these names.
    public static func fileName(for authentication: TogglConfiguration.Authentication) throws(TogglError) -> String {
        let digest = try CredentialDigest.digest(authentication, salt: Array("libtoggl store file v1".utf8))
        let hex = Array("0123456789abcdef".utf8)
        return "store-" + String(decoding: digest.prefix(16).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self) + ".db"
    }

    private func sync(_ client: TogglClient, options: SyncOptions, maxAge: Int64?, userOnly: Bool = false,
                      control: CallControl) throws(TogglError) -> SyncReport {
        try writer.withLock { (connection) throws(TogglError) -> SyncReport in
            var sync = Sync(connection: connection, client: client, control: control, options: options, maxAge: maxAge,
                            userOnly: userOnly, lockWaits: lockWaits)
            return try sync.run()
        }
    }

    /// Runs `body` on the writer connection (tests write rows without a server this way).
    func withWriter<R>(_ body: (Connection) throws(TogglError) -> R) throws(TogglError) -> R {
        try writer.withLock { (connection: inout Connection) throws(TogglError) -> R in try body(connection) }
    }

    private static func check(options: SyncOptions, maxAge: Int64?) throws(TogglError) {
        guard SyncOptions.all.isSuperset(of: options) else {
            throw TogglError(.invalidArgument, "unknown sync flags 0x\(String(options.subtracting(.all).rawValue, radix: 16))")
        }
        if let maxAge, maxAge < 0 { throw TogglError(.invalidArgument, "max_age_s must be >= 0 (or nil: always refresh)") }
    }

    /// Keeps the quota as `client` last heard it, after a request made outside a sync (a
    /// `GET /me/organizations`, say), and a `.quota` error if that is how it ended: the gate of
    /// every process then knows what that request learnt. Nothing is sent.
    public func recordQuota(of client: TogglClient, after error: TogglError? = nil) throws(TogglError) {
        try writer.withLock { (connection) throws(TogglError) in
            try StoreTables(connection: connection).recordQuota(of: client, after: error)
        }
    }

    // MARK: reads (nothing is sent)

    /// The collection as the server's JSON, as last synced: an array ordered by id, or for
    /// `.user` an object (`null` before the first sync). `activeOnly` keeps active projects,
    /// tasks not done and clients not archived.
    public func json(_ collection: StoreCollection, activeOnly: Bool = false) throws(TogglError) -> [UInt8] {
        let key = collection.rawValue + (activeOnly ? "+active" : "")
        let expected = readSizes.withLock { $0[key] ?? 0 }
        let json = try reader.withLock { (connection) throws(TogglError) -> [UInt8] in
            try StoreTables(connection: connection).json(collection, activeOnly: activeOnly, expectedBytes: expected)
        }
        readSizes.withLock { $0[key] = json.count }
        return json
    }

    /// Seconds since `collection` was last refreshed (this machine's clock), nil if never.
    public func age(of collection: StoreCollection) throws(TogglError) -> Int64? {
        try reader.withLock { (connection) throws(TogglError) -> Int64? in
            guard let state = try StoreTables(connection: connection).syncState()[collection] else { return nil }
            return max(0, LocalClock.now() - state.refreshedAt)
        }
    }

    /// The quota as the last sync (of any process) saw it: requests left and seconds until the
    /// reset, each nil when unknown.
    public func quota() throws(TogglError) -> (remaining: Int64?, resetsInSeconds: Int64?) {
        try reader.withLock { (connection) throws(TogglError) -> (remaining: Int64?, resetsInSeconds: Int64?) in
            guard let gate = try StoreTables(connection: connection).gate() else { return (nil, nil) }
            let now = LocalClock.now()
            // Saturating: the file may hold any number (another program wrote it, or a bad disk).
            let left = gate.resetsAt.map { resetsAt -> Int64 in
                let (difference, overflow) = resetsAt.subtractingReportingOverflow(now)
                return overflow ? (resetsAt < 0 ? 0 : .max) : max(0, difference)
            }
            // After the reset the window is fresh, but how fresh is not known.
            let remaining = left == 0 ? nil : gate.remaining
            return (remaining, left == 0 ? nil : left)
        }
    }
}
