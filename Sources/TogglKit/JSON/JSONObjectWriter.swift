import CJansson

/// Builds a flat JSON object of strings and integers with jansson (request bodies: PUT /me),
/// so that escaping is jansson's, the same library that checks caller-built bodies.
struct JSONObjectWriter: ~Copyable {
    private let object: UnsafeMutablePointer<json_t>?

    init() { object = json_object() }

    deinit { if let object { toggl_json_decref(object) } }

    /// Sets `key` to the string `value` (kept byte for byte, NUL included); nil leaves it out.
    mutating func set(_ key: String, _ value: String?) {
        guard let object, let value else { return }
        let utf8 = Array(value.utf8)
        let node = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // json_stringn wants a non-NULL pointer even for length 0.
                chars.isEmpty ? json_string("") : json_stringn(chars.baseAddress, chars.count)
            }
        }
        _ = json_object_set_new(object, key, node)
    }

    /// Sets `key` to the integer `value`; nil leaves it out.
    mutating func set(_ key: String, _ value: Int64?) {
        guard let object, let value else { return }
        _ = json_object_set_new(object, key, json_integer(json_int_t(value)))
    }

    /// The compact encoding, keys in the order they were set.
    func bytes() -> [UInt8] {
        guard let object else { return Array("{}".utf8) }
        return JSONDocument.dump(object)
    }
}

extension JSONDocument {
    /// Checks a caller-built request body: well-formed JSON whose top level is an object.
    /// Errors are `.invalidArgument` (nothing has been sent).
    static func requireObject(_ bytes: [UInt8], _ what: String) throws(TogglError) {
        let document: JSONDocument
        do {
            document = try parse(bytes)
        } catch {
            throw TogglError(.invalidArgument, "\(what) is not valid JSON: \(error.message)")
        }
        guard document.type == JSON_OBJECT else {
            throw TogglError(.invalidArgument, "\(what) must be a JSON object")
        }
    }
}
