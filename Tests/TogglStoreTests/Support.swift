#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import TogglKit
@testable import TogglStore

/// A folder under /tmp removed with everything in it when the test ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        var template = Array("/tmp/toggl-store-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw TogglError(.internal, "mkdtemp failed")
        }
        path = String(cString: made)
    }

    deinit {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { unlink(path + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(path)
    }

    func exists(_ file: String) -> Bool { access(file, F_OK) == 0 }

    func write(_ file: String, _ bytes: [UInt8]) throws {
        guard let handle = fopen(file, "wb") else { throw TogglError(.internal, "cannot write \(file)") }
        defer { fclose(handle) }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    }

    func read(_ file: String) throws -> [UInt8] {
        guard let handle = fopen(file, "rb") else { throw TogglError(.internal, "cannot read \(file)") }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}

/// Plain SQLite, beside the store: makes the hand-made files the tests open.
func sqliteExecute(_ path: String, _ sql: String) throws {
    let connection = try Connection(path: path, displayPath: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    try connection.execute(sql, "test setup")
}

func sqliteInteger(_ path: String, _ sql: String) throws -> Int64? {
    try Connection(path: path, displayPath: path, flags: SQLITE_OPEN_READWRITE).integer(sql)
}

func sqliteText(_ path: String, _ sql: String) throws -> String? {
    let statement = try Connection(path: path, displayPath: path, flags: SQLITE_OPEN_READWRITE).prepare(sql)
    return try statement.step() ? statement.text(0) : nil
}

extension TogglStore {
    /// Writes `rows` (a JSON array) into `collection` the way a sync does, without a server.
    func writeForTest(_ collection: StoreCollection, rows: String) throws {
        try withRowsForTest(collection, rows) { (tables, parsed, buffer) throws(TogglError) in
            _ = try tables.replace(collection, with: parsed, from: buffer)
        }
    }

    /// Applies `rows` (a JSON array) to `collection` the way an incremental refresh does.
    @discardableResult
    func applyForTest(_ collection: StoreCollection, rows: String) throws -> (upserted: Int, deleted: Int) {
        try withRowsForTest(collection, rows) { (tables, parsed, buffer) throws(TogglError) in
            try tables.apply(parsed, to: collection, from: buffer)
        }
    }

    private func withRowsForTest<R>(_ collection: StoreCollection, _ rows: String,
                                    _ body: (StoreTables, [StoreRow], UnsafeBufferPointer<UInt8>) throws(TogglError) -> R) throws -> R {
        let bytes = Array(rows.utf8)
        return try withWriter { (connection) throws(TogglError) in
            try bytes.withUnsafeBufferPointer { (buffer) throws(TogglError) in
                try body(StoreTables(connection: connection),
                         try StoreRows.elements(of: buffer, collection: collection.rawValue), buffer)
            }
        }
    }
}
