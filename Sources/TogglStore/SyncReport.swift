/// What one sync did. `requests` counts every request it sent: retries, a `GET /me` that
/// identified the client, a rejected `since` before a fallback snapshot.
public struct SyncReport: Sendable, Hashable {
    public struct CollectionReport: Sendable, Hashable {
        /// The collection was asked for (by a snapshot or its own request).
        public var requested = false
        /// Items stored: all of them for a snapshot, the live items received incrementally.
        public var upserted = 0
        /// Items removed because the server reported them deleted.
        public var deleted = 0

        public init(requested: Bool = false, upserted: Int = 0, deleted: Int = 0) {
            self.requested = requested
            self.upserted = upserted
            self.deleted = deleted
        }
    }

    public init() {}

    public var requests = 0
    /// The store was replaced by a snapshot (asked for, an empty store, or a fallback after
    /// the server refused an old `since`).
    public var snapshot = false
    /// Every collection, requested or not.
    public var collections: [StoreCollection: CollectionReport] =
        Dictionary(uniqueKeysWithValues: StoreCollection.allCases.map { ($0, CollectionReport()) })

    /// The report as the C and Python surfaces hand it over:
    /// `{"requests":n,"snapshot":b,"collections":{"user":{"requested":b,"upserted":n,"deleted":n},...}}`.
    public var json: String {
        let entries = StoreCollection.allCases.map { collection -> String in
            let entry = collections[collection] ?? CollectionReport()
            return "\"\(collection.rawValue)\":{\"requested\":\(entry.requested),\"upserted\":\(entry.upserted),\"deleted\":\(entry.deleted)}"
        }
        return "{\"requests\":\(requests),\"snapshot\":\(snapshot),\"collections\":{\(entries.joined(separator: ","))}}"
    }
}
