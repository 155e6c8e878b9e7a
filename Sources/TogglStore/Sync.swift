import TogglKit

/// One sync of a store: decides what is due, spends as few requests as that takes, and writes
/// each collection with its new watermark so that a failure leaves it exactly as it was.
///
/// Runs on the writer connection inside one `BEGIN IMMEDIATE` transaction, from deciding what
/// to fetch until the writes commit: another process syncing the same store waits for it and
/// then finds the data fresh, so each request is spent once. Each collection is written in a
/// savepoint; a request that fails keeps what earlier requests brought (they cost quota) and
/// records the quota, then commits. A process killed mid-sync commits nothing.
struct Sync {
    /// Subtracted from the server's `Date` to make a watermark: an item the server stamps just
    /// before answering may become visible to queries only after the answer (replicas, commit
    /// order). Ten minutes covers that; the cost is items changed in the last ten minutes
    /// arriving once more, which an upsert absorbs.
    static let watermarkMargin: Int64 = 600

    let tables: StoreTables
    let client: TogglClient
    let control: CallControl
    let options: SyncOptions
    let maxAge: Int64?
    /// Only the user row (after a PUT /me); a snapshot still when the store is empty.
    let userOnly: Bool
    let now: Int64
    /// How long to wait for another process's sync of the store: as long as that one may take.
    let lockBudget: Duration
    let lockWaits: LockWaits
    var report = SyncReport()

    init(connection: Connection, client: TogglClient, control: CallControl, options: SyncOptions, maxAge: Int64?,
         userOnly: Bool = false, lockWaits: LockWaits) {
        tables = StoreTables(connection: connection)
        self.client = client
        self.control = control
        self.options = options
        self.maxAge = maxAge
        self.userOnly = userOnly
        now = LocalClock.now()
        lockBudget = Self.lockBudget(client.configuration)
        self.lockWaits = lockWaits
    }

    /// One client timeout for each request a sync can send (an identifying GET /me, four
    /// collections, a fallback snapshot and its tasks), and a margin.
    static func lockBudget(_ configuration: TogglConfiguration) -> Duration {
        configuration.timeout * 7 + .seconds(10)
    }

    private var connection: Connection { tables.connection }

    /// The writer's page cache during a sync, in KiB: a snapshot compares and writes tens of MB,
    /// and SQLite's default 2 MB would read most pages twice. Given back when the sync ends.
    static let cacheKiB = 65_536

    mutating func run() throws(TogglError) -> SyncReport {
        try connection.execute("PRAGMA cache_size = -\(Self.cacheKiB)", "sizing the cache")
        defer { try? connection.execute("PRAGMA cache_size = -2000; PRAGMA shrink_memory", "shrinking the cache") }
        try connection.beginImmediate(control: control, deadline: ContinuousClock().now + lockBudget, waits: lockWaits)
        do throws(TogglError) {
            try runLocked()
            try connection.execute("COMMIT", "committing the sync")
        } catch {
            // A store error (another account, a full disk) keeps nothing. Any other failure
            // keeps what earlier requests brought, written in savepoints that completed (they
            // cost quota), and the quota as the failure reported it.
            if error.code != .store, control.requestsSent > 0 || error.code == .quota { try? recordQuota(after: error) }
            if connection.inTransaction {
                if error.code == .store || (try? connection.execute("COMMIT", "committing a partial sync")) == nil {
                    try? connection.execute("ROLLBACK", "rolling back")
                }
            }
            throw error
        }
        report.requests = control.requestsSent
        return report
    }

    private mutating func runLocked() throws(TogglError) {
        let states = try tables.syncState()
        func due(_ collection: StoreCollection) -> Bool {
            guard let state = states[collection] else { return true }
            guard let maxAge else { return true }
            return now - state.refreshedAt >= maxAge
        }
        let hasSnapshot = states[.user] != nil
        let snapshot = !hasSnapshot || (options.contains(.full) && StoreCollection.snapshot.contains(where: due))
        var plan: [StoreCollection] = []
        if userOnly, !snapshot {
            plan = [.user]
        } else if !snapshot {
            plan = StoreCollection.incremental.filter(due)
            if options.contains(.tasks), due(.tasks) { plan.append(.tasks) }
            if options.contains(.user), due(.user) { plan.append(.user) }
        }
        let tasksAfterSnapshot = snapshot && options.contains(.tasks) && due(.tasks)
        guard snapshot || !plan.isEmpty else { return }

        try checkGate()
        let account = try tables.account()
        let salt = account?.salt ?? CredentialDigest.newSalt()
        let digest = try CredentialDigest.digest(client.configuration.authentication, salt: salt)
        // A snapshot learns the account from its own answer, before it writes anything.
        if let account, !snapshot, !(try tables.knows(digest: digest)) {
            try identify(as: account.userID, digest: digest, refreshesUser: plan.contains(.user))
            plan.removeAll { $0 == .user }
        }

        if snapshot {
            try takeSnapshot(tasks: tasksAfterSnapshot, account: account, salt: salt, digest: digest)
            return
        }
        for collection in plan {
            do throws(TogglError) {
                try refresh(collection, watermark: states[collection]?.watermark)
            } catch where error.httpStatus == 400 && states[collection]?.watermark != nil {
                // The server refuses a `since` that is too old. Tasks are fetched whole (a
                // snapshot may not carry them); the others only a snapshot can catch up.
                if collection == .tasks {
                    try refresh(.tasks, watermark: nil)
                    continue
                }
                try takeSnapshot(tasks: options.contains(.tasks), account: account, salt: salt, digest: digest)
                return
            }
        }
    }

    /// A recorded 402 (or a spent quota) stops the sync before anything is sent, in any process.
    private func checkGate() throws(TogglError) {
        guard let gate = try tables.gate(), let remaining = gate.remaining, remaining <= 0,
              let resetsAt = gate.resetsAt, resetsAt > now else { return }
        let left = resetsAt - now
        throw TogglError(.quota, "the hourly API quota is spent (recorded by an earlier sync); it resets in \(Self.describe(seconds: left)); nothing was sent",
                         retryAfterSeconds: left)
    }

    /// A client whose credential the store does not know: one `GET /me` tells its account.
    private mutating func identify(as userID: Int64, digest: [UInt8], refreshesUser: Bool) throws(TogglError) {
        let response = try fetch(.me())
        try response.body.withUnsafeBufferPointer { (body) throws(TogglError) in
            let me = try StoreRows.me(body, listKeys: [])
            guard me.userID == userID else {
                throw TogglError(.store, "\(connection.path): the store belongs to another Toggl account (user \(userID)); this client is user \(me.userID): open another store for it")
            }
            try tables.remember(digest: digest)
            if refreshesUser {
                try write(.user, response: response) { (tables) throws(TogglError) in
                    try tables.replaceUser(me.user, id: me.userID)
                    return (1, 0)
                }
            }
        }
    }

    private mutating func takeSnapshot(tasks: Bool, account: (userID: Int64, salt: [UInt8])?,
                                       salt: [UInt8], digest: [UInt8]) throws(TogglError) {
        report.snapshot = true
        // A fallback replaces what the refresh before it wrote: the report says what is stored.
        report.collections = SyncReport().collections
        let response = try fetch(.me(withRelatedData: true))
        let listKeys = Set(StoreCollection.allCases.compactMap(\.relatedDataKey))
        var bodyHadTasks = false
        try response.body.withUnsafeBufferPointer { (body) throws(TogglError) in
            let me = try StoreRows.me(body, listKeys: listKeys)
            if let account {
                guard me.userID == account.userID else {
                    throw TogglError(.store, "\(connection.path): the store belongs to another Toggl account (user \(account.userID)); this client is user \(me.userID): open another store for it")
                }
            } else {
                try tables.setAccount(userID: me.userID, salt: salt)
            }
            try tables.remember(digest: digest)
            try write(.user, response: response) { (tables) throws(TogglError) in
                try tables.replaceUser(me.user, id: me.userID)
                return (1, 0)
            }
            for collection in StoreCollection.allCases where collection != .user {
                guard let key = collection.relatedDataKey, let rows = me.lists[key] else { continue }
                if collection == .tasks { bodyHadTasks = true }
                try write(collection, response: response) { (tables) throws(TogglError) in
                    (try tables.replace(collection, with: rows, from: body), 0)
                }
            }
        }
        if tasks, !bodyHadTasks { try refresh(.tasks, watermark: nil) }
    }

    /// One collection's request: with `since` from its watermark, or whole without one.
    private mutating func refresh(_ collection: StoreCollection, watermark: Int64?) throws(TogglError) {
        let since = watermark.map { TogglTimestamp(secondsSinceEpoch: $0) }
        let response: RawResponse
        switch collection {
        case .clients: response = try fetch(.clients(since: since))
        case .projects: response = try fetch(.projects(includeArchived: true, since: since))
        case .tags: response = try fetch(.tags(since: since))
        case .tasks: response = try fetch(.tasks(since: since, includeNotActive: true))
        case .user:
            let response = try fetch(.me())
            try response.body.withUnsafeBufferPointer { (body) throws(TogglError) in
                let me = try StoreRows.me(body, listKeys: [])
                try write(.user, response: response) { (tables) throws(TogglError) in
                    try tables.replaceUser(me.user, id: me.userID)
                    return (1, 0)
                }
            }
            return
        case .workspaces, .timeEntries:
            return // only a snapshot refreshes them
        }
        try response.body.withUnsafeBufferPointer { (body) throws(TogglError) in
            let rows = try StoreRows.elements(of: body, collection: collection.rawValue)
            try write(collection, response: response) { (tables) throws(TogglError) in
                watermark == nil ? (try tables.replace(collection, with: rows, from: body), 0)
                                 : try tables.apply(rows, to: collection, from: body)
            }
        }
    }

    /// Sends one request of the sync and records the quota it reported.
    private func fetch<Response>(_ endpoint: Endpoint<Response>) throws(TogglError) -> RawResponse {
        let response = try client.sendRaw(endpoint, control: control)
        try recordQuota()
        return response
    }

    /// Writes one collection and its new watermark in a savepoint: both or neither.
    private mutating func write(_ collection: StoreCollection, response: RawResponse,
                                _ body: (StoreTables) throws(TogglError) -> (upserted: Int, deleted: Int)) throws(TogglError) {
        try connection.execute("SAVEPOINT collection", "writing \(collection.rawValue)")
        do throws(TogglError) {
            let (upserted, deleted) = try body(tables)
            let watermark = response.serverDate.flatMap(HTTPDate.seconds).map { $0 - Self.watermarkMargin }
            try tables.setSyncState(collection, StoreTables.SyncState(watermark: watermark, refreshedAt: now))
            try connection.execute("RELEASE collection", "writing \(collection.rawValue)")
            var entry = report.collections[collection] ?? SyncReport.CollectionReport()
            entry.requested = true
            entry.upserted += upserted
            entry.deleted += deleted
            report.collections[collection] = entry
        } catch {
            try? connection.execute("ROLLBACK TO collection; RELEASE collection", "undoing \(collection.rawValue)")
            throw error
        }
    }

    /// The quota as the client last heard it (see `StoreTables.recordQuota`).
    private func recordQuota(after error: TogglError? = nil) throws(TogglError) {
        try tables.recordQuota(of: client, after: error)
    }

    static func describe(seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds) s" }
        let minutes = (seconds + 59) / 60
        return minutes < 120 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }
}
