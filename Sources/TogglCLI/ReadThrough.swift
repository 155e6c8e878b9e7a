import TogglKit
import TogglStore

/// How a collection is brought up to date when it is older than `--max-age`.
enum Refresh: Equatable {
    /// The `since` requests that are due (clients, projects, tags; tasks with `.tasks`).
    case incremental(SyncOptions)
    /// Workspaces and time entries change only with a snapshot (`GET /me?with_related_data=true`).
    case snapshot
    /// The user row alone: one `GET /me`.
    case user
}

/// A read of one collection through the store: fresh enough, or refreshed first, or — when the
/// quota is spent or the server cannot be reached — as cached, with the failure reported after
/// the data (and its exit code kept, so a script can tell).
struct ReadThrough {
    let store: TogglStore
    let collection: StoreCollection
    /// A refresh that failed while the store still had the collection.
    let deferred: Failure?

    /// Failures worth showing cached data for: the same command works later.
    private static let fallbackCodes: Set<TogglError.Code> = [.quota, .rateLimited, .network, .timeout, .server]

    static func open(_ collection: StoreCollection, refresh: Refresh, freshness: FreshnessOptions,
                     session: Session) throws(Failure) -> ReadThrough {
        if freshness.offline {
            guard let store = try session.existingStore(), try age(of: collection, in: store) != nil else {
                throw Failure(ExitCodes.unavailable,
                              "--offline, and the store has no \(Naming.noun(collection)) yet; run 'toggl \(Naming.command(collection))' without --offline first")
            }
            return ReadThrough(store: store, collection: collection, deferred: nil)
        }
        let store = try session.store()
        if let age = try age(of: collection, in: store), age < freshness.effectiveMaxAge {
            return ReadThrough(store: store, collection: collection, deferred: nil)
        }
        let client = try session.client()
        try Interrupt.check()
        let empty = try age(of: .user, in: store) == nil
        Progress.show(empty || refresh == .snapshot ? "syncing…" : "refreshing \(Naming.noun(collection))…")
        defer { Progress.clear() }
        do {
            switch refresh {
            case .incremental(let options):
                try store.sync(with: client, options: options, maxAge: freshness.effectiveMaxAge)
            case .snapshot:
                try store.sync(with: client, options: .full, maxAge: freshness.effectiveMaxAge)
            case .user:
                try store.refreshUser(with: client)
            }
        } catch {
            Progress.clear()
            guard fallbackCodes.contains(error.code), let age = try Self.age(of: collection, in: store) else {
                throw Failure(error)
            }
            var failure = Failure(error)
            if error.code == .quota, error.retryAfterSeconds == nil, let left = (try? store.quota())?.resetsInSeconds {
                failure.message = "quota spent; \(TimeText.resetsIn(seconds: left))"
            }
            failure.message += "; showing \(Naming.noun(collection)) cached \(TimeText.ago(seconds: age))"
            return ReadThrough(store: store, collection: collection, deferred: failure)
        }
        return ReadThrough(store: store, collection: collection, deferred: nil)
    }

    /// Reads from the store (nothing is sent).
    func read<Result>(_ body: (TogglStore) throws -> Result) throws(Failure) -> Result {
        do {
            return try body(store)
        } catch let error as TogglError {
            throw Failure(error)
        } catch {
            throw Failure(ExitCodes.software, "internal error: \(Failure.oneLine("\(error)")); please report it")
        }
    }

    /// After the data is printed: the refresh's failure, if there was one.
    func finish() throws(Failure) {
        if let deferred { throw deferred }
    }

    static func age(of collection: StoreCollection, in store: TogglStore) throws(Failure) -> Int64? {
        do {
            return try store.age(of: collection)
        } catch {
            throw Failure(error)
        }
    }
}

/// How collections are called in messages and which command shows each.
enum Naming {
    static func noun(_ collection: StoreCollection) -> String {
        switch collection {
        case .user: "profile data"
        case .timeEntries: "time entries"
        default: collection.rawValue
        }
    }

    static func command(_ collection: StoreCollection) -> String {
        switch collection {
        case .user: "me"
        case .timeEntries: "time-entries"
        default: collection.rawValue
        }
    }
}
