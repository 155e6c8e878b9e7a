/// What a sync does beyond the default (a snapshot of an empty store, else an incremental
/// refresh of clients, projects and tags). The raw values are the C flags `TOGGL_SYNC_*`.
public struct SyncOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A snapshot even when the store has data (`TOGGL_SYNC_FULL`).
    public static let full = SyncOptions(rawValue: 1)
    /// Also mirror tasks (`TOGGL_SYNC_TASKS`).
    public static let tasks = SyncOptions(rawValue: 2)
    /// Incrementally, also refresh the user profile with `GET /me` (`TOGGL_SYNC_USER`).
    public static let user = SyncOptions(rawValue: 4)

    static let all: SyncOptions = [.full, .tasks, .user]
}
