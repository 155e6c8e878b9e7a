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

    /// The `documents` row that keeps this collection's whole read ready (see
    /// `StoreTables.json`): the collections read whole often and changed seldom. None for the
    /// user (one row already) and time entries (nearly every sync changes some, and they are
    /// the largest: rewriting theirs would add most of a body to each snapshot).
    var documentID: Int64? {
        switch self {
        case .workspaces: 1
        case .clients: 2
        case .projects: 3
        case .tags: 4
        case .tasks: 5
        case .user, .timeEntries: nil
        }
    }

    /// Reads in the order every surface documents: by id.
    var selectAll: String { "SELECT json FROM \(table) ORDER BY id" }
    var selectActive: String { "SELECT json FROM \(table) WHERE active = 1 ORDER BY id" }
}
