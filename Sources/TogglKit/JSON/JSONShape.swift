/// The top-level shape the API documents for a response body.
public enum JSONShape: Sendable, Hashable {
    case object
    case array
    /// An object, or `null` / an empty body (GET /me/location).
    case objectOrNull
    /// No body expected (GET /me/logged); anything the server sends is ignored.
    case empty
}

extension JSONShape {
    var label: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .objectOrNull: "object or null"
        case .empty: "empty body"
        }
    }
}
