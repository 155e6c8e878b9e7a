/// One object of a collection as a local store keeps it: the columns a read filters on and
/// where the object's bytes are, so that they are written verbatim (unknown keys included).
package struct StoreRow: Sendable {
    package var id: Int64
    /// nil when missing or null.
    package var workspaceID: Int64?
    /// false for `"active": false` (archived projects, done tasks) or `"archived": true` (clients).
    package var active: Bool
    /// The `at` text, nil when missing or not a string.
    package var at: String?
    /// `server_deleted_at` or `deleted_at` is set: the item was deleted on the server.
    package var deleted: Bool
    /// The object's bytes in the body it was read from.
    package var range: Range<Int>
    /// The object without its `api_token` members when it had any (a credential is never
    /// stored); nil when `range` is to be stored as it is.
    package var rewritten: [UInt8]?

    /// Calls `body` with the bytes to store, borrowed from `source` (the body) or `rewritten`.
    package func withJSON<R>(in source: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(TogglError) -> R) throws(TogglError) -> R {
        if let rewritten {
            return try rewritten.withUnsafeBufferPointer { (buffer) throws(TogglError) -> R in try body(buffer) }
        }
        return try body(UnsafeBufferPointer(rebasing: source[range]))
    }
}

/// Reads the rows of a store from response bodies that already passed `JSONValidator`
/// (`RawResponse` bodies): one scan, no tree, the objects' bytes kept where they are.
package enum StoreRows {
    /// Never written to a store: the user's and each workspace's API token are credentials.
    package static let droppedKey = "api_token"

    /// The elements of the top-level array of `body`; `collection` names it in errors.
    package static func elements(of body: UnsafeBufferPointer<UInt8>, collection: String) throws(TogglError) -> [StoreRow] {
        var scan = JSONScan(bytes: body)
        scan.skipWhitespace()
        return try elements(&scan, collection: collection)
    }

    /// `GET /me` (with related data or not): the user object without `listKeys` and without
    /// `api_token`, and the elements of each of `listKeys` the object holds as an array (a
    /// missing or null list is absent from the result).
    package static func me(_ body: UnsafeBufferPointer<UInt8>, listKeys: Set<String>) throws(TogglError)
        -> (user: [UInt8], userID: Int64, lists: [String: [StoreRow]]) {
        var scan = JSONScan(bytes: body)
        scan.skipWhitespace()
        guard scan.current == UInt8(ascii: "{") else { throw TogglError(.decode, "GET /me did not answer an object") }
        var user: [UInt8] = [UInt8(ascii: "{")]
        var lists: [String: [StoreRow]] = [:]
        var userID: Int64?
        scan.index += 1
        while let member = scan.nextMember() {
            if let key = member.key, listKeys.contains(key) {
                scan.index = member.valueStart
                if scan.current == UInt8(ascii: "[") { lists[key] = try elements(&scan, collection: key) }
                scan.index = member.end
                continue
            }
            if member.key == droppedKey { continue }
            if member.key == "id", case .integer(let id) = JSONScan.id(from: body[member.valueStart..<member.end]) {
                userID = id
            }
            if user.count > 1 { user.append(UInt8(ascii: ",")) }
            user.append(contentsOf: body[member.start..<member.end])
        }
        user.append(UInt8(ascii: "}"))
        guard let userID else { throw TogglError(.decode, "GET /me answered a user without an integer id") }
        return (user, userID, lists)
    }

    private static func elements(_ scan: inout JSONScan, collection: String) throws(TogglError) -> [StoreRow] {
        guard scan.current == UInt8(ascii: "[") else { throw TogglError(.decode, "\(collection): expected an array") }
        scan.index += 1
        var rows: [StoreRow] = []
        while scan.index < scan.bytes.count {
            scan.skipWhitespace()
            if scan.current == UInt8(ascii: "]") { scan.index += 1; break }
            rows.append(try row(&scan, collection: collection, position: rows.count))
            scan.skipWhitespace()
            if scan.current == UInt8(ascii: ",") { scan.index += 1 }
        }
        return rows
    }

    private static func row(_ scan: inout JSONScan, collection: String, position: Int) throws(TogglError) -> StoreRow {
        let start = scan.index
        guard scan.current == UInt8(ascii: "{") else {
            throw TogglError(.decode, "\(collection)[\(position)] is not an object")
        }
        scan.index += 1
        var id: Int64?
        var row = StoreRow(id: 0, workspaceID: nil, active: true, at: nil, deleted: false, range: start..<start)
        var dropped: [Range<Int>] = []
        var members: [Range<Int>] = []
        while let member = scan.nextMember() {
            members.append(member.start..<member.end)
            let value = scan.bytes[member.valueStart..<member.end]
            switch member.key {
            case "id":
                if case .integer(let value) = JSONScan.id(from: value) { id = value } else { id = nil }
            case "workspace_id":
                if case .integer(let value) = JSONScan.id(from: value) { row.workspaceID = value } else { row.workspaceID = nil }
            case "active":
                if value.first == UInt8(ascii: "f") { row.active = false }
            case "archived":
                if value.first == UInt8(ascii: "t") { row.active = false }
            case "at":
                row.at = value.first == UInt8(ascii: "\"") ? JSONScan.text(of: value) : nil
            case "server_deleted_at", "deleted_at":
                if value.first != UInt8(ascii: "n") { row.deleted = true }
            case droppedKey:
                dropped.append(member.start..<member.end)
            default:
                break
            }
        }
        scan.skipWhitespace()
        scan.index += 1 // '}'
        row.range = start..<scan.index
        guard let id else { throw TogglError(.decode, "\(collection)[\(position)] has no integer id") }
        row.id = id
        if !dropped.isEmpty {
            var bytes: [UInt8] = [UInt8(ascii: "{")]
            for member in members where !dropped.contains(member) {
                if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: scan.bytes[member])
            }
            bytes.append(UInt8(ascii: "}"))
            row.rewritten = bytes
        }
        return row
    }
}

extension JSONScan {
    struct Member {
        /// The key's text; nil only if jansson could not read an escaped key.
        var key: String?
        /// From the key's opening quote to the end of the value.
        var start: Int
        var valueStart: Int
        var end: Int
    }

    /// The next member of the object whose `{` (or previous member) was just passed, or nil at
    /// its `}` (left unconsumed).
    mutating func nextMember() -> Member? {
        skipWhitespace()
        if current == UInt8(ascii: ",") { index += 1; skipWhitespace() }
        guard current == UInt8(ascii: "\"") else { return nil }
        let start = index
        skipString()
        let key = Self.text(of: bytes[start..<index])
        skipWhitespace()
        index += 1 // ':'
        skipWhitespace()
        let valueStart = index
        skipValue()
        return Member(key: key, start: start, valueStart: valueStart, end: index)
    }
}
