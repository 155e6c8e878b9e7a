/// One object of a collection as a local store keeps it: the columns a read filters on and
/// where the object's bytes are, so that they are written verbatim (unknown keys included).
package struct StoreRow: Sendable {
    package var id: Int64
    /// nil when missing or null.
    package var workspaceID: Int64?
    /// false for `"active": false` (archived projects, done tasks) or `"archived": true` (clients).
    package var active: Bool
    /// Where the `at` string (quotes included) is in the body, nil when missing or not a
    /// string. Read as text only for rows that are written (`at(in:)`): a snapshot mostly finds
    /// rows unchanged, and a String for each of 40,000 was a tenth of its scan.
    package var atToken: Range<Int>?
    /// `server_deleted_at` or `deleted_at` is set: the item was deleted on the server.
    package var deleted: Bool
    /// The object's bytes in the body it was read from.
    package var range: Range<Int>
    /// The object without its `api_token` members when it had any (a credential is never
    /// stored); nil when `range` is to be stored as it is.
    package var rewritten: [UInt8]?

    /// The `at` text, nil when missing, not a string, or an escape jansson cannot read.
    package func at(in source: UnsafeBufferPointer<UInt8>) -> String? {
        atToken.flatMap { JSONScan.text(of: source[$0]) }
    }

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

    /// `GET /me` (with related data or not): the user object without `api_token` and without
    /// the members of `listKeys` that hold an array or null, and the elements of each such array
    /// (a missing or null list is absent from the result).
    package static func me(_ body: UnsafeBufferPointer<UInt8>, listKeys: Set<String>) throws(TogglError)
        -> (user: [UInt8], userID: Int64, lists: [String: [StoreRow]]) {
        var scan = JSONScan(bytes: body)
        scan.skipWhitespace()
        guard scan.current == UInt8(ascii: "{") else { throw TogglError(.decode, "GET /me did not answer an object") }
        // A repeated key counts with its last value, as jansson reads it: a list key whose last
        // value is an array or null leaves the user row (every occurrence of it), and the same
        // key holding anything else stays. Each array is read into rows where it stands (a
        // second walk over 20 MB cost as much as validating it); an occurrence that a later one
        // replaces may fail to read without failing the sync.
        var members: [(key: String?, member: JSONScan.Member)] = []
        // The list keys whose last value is an array or null: they leave the user row.
        var related: Set<String> = []
        var listRows: [String: Result<[StoreRow], TogglError>] = [:]
        var userID: Int64?
        scan.index += 1
        while var member = scan.nextMemberHead() {
            let key = scan.key(of: member)
            if let key, listKeys.contains(key) {
                listRows[key] = nil
                switch scan.current {
                case UInt8(ascii: "["):
                    related.insert(key)
                    do throws(TogglError) {
                        listRows[key] = .success(try elements(&scan, collection: key))
                    } catch {
                        listRows[key] = .failure(error)
                        scan.index = member.valueStart
                        scan.skipValue()
                    }
                case UInt8(ascii: "n"):
                    related.insert(key)
                    scan.skipValue()
                default:
                    related.remove(key)
                    scan.skipValue()
                }
            } else {
                scan.skipValue()
            }
            member.end = scan.index
            members.append((key, member))
            if key == "id" {
                if case .integer(let id) = JSONScan.id(from: body[member.valueStart..<member.end]) { userID = id } else { userID = nil }
            }
        }
        guard let userID else { throw TogglError(.decode, "GET /me answered a user without an integer id") }
        var user: [UInt8] = [UInt8(ascii: "{")]
        for (key, member) in members where key != droppedKey && !(key.map(related.contains) ?? false) {
            if user.count > 1 { user.append(UInt8(ascii: ",")) }
            user.append(contentsOf: body[member.start..<member.end])
        }
        user.append(UInt8(ascii: "}"))
        var lists: [String: [StoreRow]] = [:]
        for (key, rows) in listRows { lists[key] = try rows.get() }
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
        var row = StoreRow(id: 0, workspaceID: nil, active: true, atToken: nil, deleted: false, range: start..<start)
        var dropped: [Range<Int>] = []
        // A repeated key counts with its last value, as jansson reads it.
        var activeFalse = false, archivedTrue = false, serverDeleted = false, deleted = false
        while let member = scan.nextMember() {
            let value = scan.bytes[member.valueStart..<member.end]
            switch RowKey(scan.bytes[member.start..<member.keyEnd]) {
            case .id:
                if case .integer(let value) = JSONScan.id(from: value) { id = value } else { id = nil }
            case .workspaceID:
                if case .integer(let value) = JSONScan.id(from: value) { row.workspaceID = value } else { row.workspaceID = nil }
            case .active:
                activeFalse = value.first == UInt8(ascii: "f")
            case .archived:
                archivedTrue = value.first == UInt8(ascii: "t")
            case .at:
                row.atToken = value.first == UInt8(ascii: "\"") ? value.startIndex..<value.endIndex : nil
            case .serverDeletedAt:
                serverDeleted = value.first != UInt8(ascii: "n")
            case .deletedAt:
                deleted = value.first != UInt8(ascii: "n")
            case .apiToken:
                dropped.append(member.start..<member.end)
            case .other:
                break
            }
        }
        scan.skipWhitespace()
        scan.index += 1 // '}'
        row.range = start..<scan.index
        row.active = !activeFalse && !archivedTrue
        row.deleted = serverDeleted || deleted
        guard let id else { throw TogglError(.decode, "\(collection)[\(position)] has no integer id") }
        row.id = id
        if !dropped.isEmpty {
            // Rare (workspaces): the members are walked again to copy all but the token.
            var again = JSONScan(bytes: scan.bytes, index: start + 1)
            var bytes: [UInt8] = [UInt8(ascii: "{")]
            while let member = again.nextMember() {
                if dropped.contains(member.start..<member.end) { continue }
                if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: scan.bytes[member.start..<member.end])
            }
            bytes.append(UInt8(ascii: "}"))
            row.rewritten = bytes
        }
        return row
    }
}

/// The keys a row's columns come from, told from the key's bytes (quotes included) without
/// making a String for every member of every object.
private enum RowKey {
    case id, workspaceID, active, archived, at, serverDeletedAt, deletedAt, apiToken, other

    init(_ token: Slice<UnsafeBufferPointer<UInt8>>) {
        let name = token.dropFirst().dropLast()
        guard !name.contains(UInt8(ascii: "\\")) else {
            self = JSONScan.text(of: token).map(RowKey.init(text:)) ?? .other
            return
        }
        func equals(_ text: StaticString) -> Bool {
            name.count == text.utf8CodeUnitCount
                && name.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        switch name.count {
        case 2: self = equals("id") ? .id : equals("at") ? .at : .other
        case 6: self = equals("active") ? .active : .other
        case 8: self = equals("archived") ? .archived : .other
        case 9: self = equals("api_token") ? .apiToken : .other
        case 10: self = equals("deleted_at") ? .deletedAt : .other
        case 12: self = equals("workspace_id") ? .workspaceID : .other
        case 17: self = equals("server_deleted_at") ? .serverDeletedAt : .other
        default: self = .other
        }
    }

    /// A key written with escapes (`"\u0069d"`), read by its text.
    init(text: String) {
        switch text {
        case "id": self = .id
        case "workspace_id": self = .workspaceID
        case "active": self = .active
        case "archived": self = .archived
        case "at": self = .at
        case "server_deleted_at": self = .serverDeletedAt
        case "deleted_at": self = .deletedAt
        case StoreRows.droppedKey: self = .apiToken
        default: self = .other
        }
    }
}

extension JSONScan {
    /// Where one member of an object is. Plain offsets, no key text: a snapshot reads about
    /// a million of them, and a String in here made every copy retain and release.
    struct Member {
        /// From the key's opening quote to the end of the value.
        var start: Int
        /// Past the key's closing quote.
        var keyEnd: Int
        var valueStart: Int
        var end: Int
    }

    /// The next member of the object whose `{` (or previous member) was just passed, or nil at
    /// its `}` (left unconsumed).
    mutating func nextMember() -> Member? {
        guard var member = nextMemberHead() else { return nil }
        skipValue()
        member.end = index
        return member
    }

    /// `nextMember` up to its value: the scan is left at the value's first byte, and `end` is
    /// `valueStart` until the caller moves past the value and sets it.
    mutating func nextMemberHead() -> Member? {
        skipWhitespace()
        if current == UInt8(ascii: ",") { index += 1; skipWhitespace() }
        guard current == UInt8(ascii: "\"") else { return nil }
        let start = index
        skipString()
        let keyEnd = index
        skipWhitespace()
        index += 1 // ':'
        skipWhitespace()
        return Member(start: start, keyEnd: keyEnd, valueStart: index, end: index)
    }

    /// The member's key as text; nil if jansson could not read an escaped key.
    func key(of member: Member) -> String? { Self.text(of: bytes[member.start..<member.keyEnd]) }
}
