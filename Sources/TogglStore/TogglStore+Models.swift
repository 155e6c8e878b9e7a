import TogglKit

extension TogglStore {
    /// The user as last synced, nil before the first sync.
    public func user() throws(TogglError) -> User? { try decode(User?.self, .user) }

    public func workspaces() throws(TogglError) -> [Workspace] { try decode([Workspace].self, .workspaces) }

    /// `activeOnly`: clients not archived.
    public func clients(activeOnly: Bool = false) throws(TogglError) -> [Client] {
        try decode([Client].self, .clients, activeOnly: activeOnly)
    }

    /// `activeOnly`: projects not archived.
    public func projects(activeOnly: Bool = false) throws(TogglError) -> [Project] {
        try decode([Project].self, .projects, activeOnly: activeOnly)
    }

    public func tags() throws(TogglError) -> [TogglTag] { try decode([TogglTag].self, .tags) }

    /// `activeOnly`: tasks not done.
    public func tasks(activeOnly: Bool = false) throws(TogglError) -> [TogglTask] {
        try decode([TogglTask].self, .tasks, activeOnly: activeOnly)
    }

    public func timeEntries() throws(TogglError) -> [TimeEntry] { try decode([TimeEntry].self, .timeEntries) }

    private func decode<T: Decodable & Sendable>(_ type: T.Type, _ collection: StoreCollection,
                                                 activeOnly: Bool = false) throws(TogglError) -> T {
        try TogglJSON.decode(type, from: json(collection, activeOnly: activeOnly))
    }
}
