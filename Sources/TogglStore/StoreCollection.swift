/// What a store mirrors: the user row and six collections, each its own table.
///
/// The raw value is the name on every surface (`toggl_store_get`, the sync report) and the table.
public enum StoreCollection: String, Sendable, CaseIterable, Hashable {
    case user
    case workspaces
    case clients
    case projects
    case tags
    case tasks
    case timeEntries = "time_entries"

    /// The collections a snapshot (`GET /me?with_related_data=true`) replaces; tasks only when
    /// the body carries them.
    static let snapshot: [StoreCollection] = [.user, .workspaces, .clients, .projects, .tags, .timeEntries]

    /// The collections an incremental refresh asks with `since` (tasks and the user on request).
    static let incremental: [StoreCollection] = [.clients, .projects, .tags]

    /// The key of this collection's list in `GET /me?with_related_data=true`.
    var relatedDataKey: String? { self == .user ? nil : rawValue }

    var table: String { rawValue }

    /// Archived projects and clients, done tasks: the collections `activeOnly` filters.
    var hasInactiveItems: Bool { self == .projects || self == .clients || self == .tasks }

    /// Reads in the order every surface documents: by id.
    var selectAll: String { "SELECT json FROM \(table) ORDER BY id" }
    var selectActive: String { "SELECT json FROM \(table) WHERE active = 1 ORDER BY id" }
}
