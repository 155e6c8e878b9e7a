// libFuzzer target: the rows a store writes (StoreRows), against jansson, differentially.
//
// `@testable import TogglKit` for the internal JSONValidator; StoreRows is `package`, visible
// because run.sh compiles TogglKit and this target with the same -package-name (libtoggl).
// For any input the validator accepts:
//   - a top-level array: StoreRows.elements either refuses it, and then some element is not an
//     object or has no integer id by JSONScan.id's rules, or returns one row per element whose
//     stored bytes parse (jansson) to that element without its "api_token" key, whose id,
//     workspace_id, active and deleted columns are what jansson reads in it;
//   - a top-level object: StoreRows.me keeps every member but "api_token" and the listed keys
//     holding an array or null, and reads each listed array as above.
// The scan skips strings with memchr and reads keys from their bytes: this holds it to jansson
// on escapes, repeated keys and odd white space. Any disagreement traps, naming the input.

@testable import TogglKit
import CJansson
#if canImport(Glibc)
import Glibc
#endif

private let listKeys: Set<String> = ["projects", "clients", "tags", "tasks", "workspaces", "time_entries"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoreRows(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    guard let kind = try? JSONValidator.validate(bytes), kind == .array || kind == .object else { return 0 }
    guard let root = parse(bytes) else { fatalError("jansson refused what the validator accepted: \(rowsDescribe(bytes))") }
    defer { toggl_json_decref(root) }
    bytes.withUnsafeBufferPointer { body in
        if kind == .array {
            check(try? StoreRows.elements(of: body, collection: "items"), against: root, in: body, bytes)
            return
        }
        guard let me = try? StoreRows.me(body, listKeys: listKeys) else {
            if expectedID(json_object_get(root, "id")) != nil, listKeys.allSatisfy({ key in
                guard let list = json_object_get(root, key), json_is_array(list) else { return true }
                return elementsUsable(list)
            }) {
                fatalError("StoreRows.me refused an object jansson reads with an integer id: \(rowsDescribe(bytes))")
            }
            return
        }
        guard me.userID == expectedID(json_object_get(root, "id")) else { fatalError("user id differs: \(rowsDescribe(bytes))") }
        guard let user = parse(me.user) else { fatalError("the user row is not JSON: \(rowsDescribe(bytes))") }
        defer { toggl_json_decref(user) }
        let expected = json_deep_copy(root)
        defer { if let expected { toggl_json_decref(expected) } }
        json_object_del(expected, StoreRows.droppedKey)
        for key in listKeys where json_is_array(json_object_get(root, key)) || json_is_null(json_object_get(root, key)) {
            json_object_del(expected, key)
        }
        guard json_equal(user, expected) == 1 else { fatalError("the user row lost or changed a member: \(rowsDescribe(bytes))") }
        for key in listKeys {
            guard let list = json_object_get(root, key), json_is_array(list) else {
                guard me.lists[key] == nil else { fatalError("\(key) read from a non-array: \(rowsDescribe(bytes))") }
                continue
            }
            check(me.lists[key], against: list, in: body, bytes)
        }
    }
    return 0
}

private func check(_ rows: [StoreRow]?, against array: UnsafeMutablePointer<json_t>,
                   in body: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8]) {
    guard let rows else {
        guard !elementsUsable(array) else { fatalError("rows refused, though every element has an integer id: \(rowsDescribe(bytes))") }
        return
    }
    guard rows.count == json_array_size(array) else { fatalError("\(rows.count) rows for \(json_array_size(array)) elements: \(rowsDescribe(bytes))") }
    for (index, row) in rows.enumerated() {
        let element = json_array_get(array, index)
        guard let stored = (try? row.withJSON(in: body) { (json) throws(TogglError) in Array(json) }).flatMap(parse) else {
            fatalError("row \(index) is not JSON: \(rowsDescribe(bytes))")
        }
        defer { toggl_json_decref(stored) }
        let expected = json_deep_copy(element)
        defer { if let expected { toggl_json_decref(expected) } }
        json_object_del(expected, StoreRows.droppedKey)
        guard json_equal(stored, expected) == 1 else { fatalError("row \(index) differs from its element: \(rowsDescribe(bytes))") }
        guard row.id == expectedID(json_object_get(element, "id")) else { fatalError("row \(index): id \(row.id): \(rowsDescribe(bytes))") }
        let workspace = expectedID(json_object_get(element, "workspace_id"))
        guard row.workspaceID == workspace else { fatalError("row \(index): workspace_id: \(rowsDescribe(bytes))") }
        let active = !json_is_false(json_object_get(element, "active")) && !json_is_true(json_object_get(element, "archived"))
        guard row.active == active else { fatalError("row \(index): active \(row.active): \(rowsDescribe(bytes))") }
        let deleted = [json_object_get(element, "server_deleted_at"), json_object_get(element, "deleted_at")]
            .contains { value in value.map { !json_is_null($0) } ?? false }
        guard row.deleted == deleted else { fatalError("row \(index): deleted \(row.deleted): \(rowsDescribe(bytes))") }
    }
}

/// Every element is an object with an id JSONScan.id reads.
private func elementsUsable(_ array: UnsafeMutablePointer<json_t>) -> Bool {
    (0..<json_array_size(array)).allSatisfy { index in
        let element = json_array_get(array, index)
        return json_is_object(element) && expectedID(json_object_get(element, "id")) != nil
    }
}

/// JSONScan.id's rules on jansson's value: an integer, an integral real that fits, or a string
/// holding a decimal integer.
private func expectedID(_ value: UnsafeMutablePointer<json_t>?) -> Int64? {
    guard let value else { return nil }
    if json_is_integer(value) { return Int64(json_integer_value(value)) }
    if json_is_real(value) {
        let real = json_real_value(value)
        return real.rounded(.towardZero) == real ? Int64(exactly: real) : nil
    }
    if json_is_string(value), let text = json_string_value(value) {
        // By its length: the string may hold a NUL (`"\u0000"`), which String(cString:) would end at.
        let string = text.withMemoryRebound(to: UInt8.self, capacity: json_string_length(value)) {
            String(decoding: UnsafeBufferPointer(start: $0, count: json_string_length(value)), as: UTF8.self)
        }
        guard string.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) }) else { return nil }
        return Int64(string)
    }
    return nil
}

private func parse(_ bytes: [UInt8]) -> UnsafeMutablePointer<json_t>? {
    var error = json_error_t()
    var empty: CChar = 0
    return bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return json_loadb(&empty, 0, Int(JSON_DECODE_ANY | JSON_ALLOW_NUL), &error) }
        return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            json_loadb($0, buffer.count, Int(JSON_DECODE_ANY | JSON_ALLOW_NUL), &error)
        }
    }
}

/// jansson's json_is_* are macros, which Swift does not import.
private func isType(_ value: UnsafeMutablePointer<json_t>?, _ type: json_type) -> Bool {
    value.map { json_typeof($0) == type } ?? false
}
private func json_is_array(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_ARRAY) }
private func json_is_object(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_OBJECT) }
private func json_is_integer(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_INTEGER) }
private func json_is_real(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_REAL) }
private func json_is_string(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_STRING) }
private func json_is_true(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_TRUE) }
private func json_is_false(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_FALSE) }
private func json_is_null(_ value: UnsafeMutablePointer<json_t>?) -> Bool { isType(value, JSON_NULL) }

private func rowsDescribe(_ bytes: [UInt8]) -> String {
    let head = bytes.prefix(200).map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }
    return "\(bytes.count) bytes: \(head.joined())\(bytes.count > 200 ? "…" : "")"
}
