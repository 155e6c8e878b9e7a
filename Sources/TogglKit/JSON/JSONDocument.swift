import CJansson

/// An owned, parsed jansson tree. The root reference is released on deinit;
/// nodes handed out by it are borrowed and must not outlive the document.
///
/// Sendable because it is immutable once parsed: readers only call jansson's lookup functions,
/// which do not write, and the one jansson refcount is released once, in deinit.
final class JSONDocument: @unchecked Sendable {
    let root: UnsafeMutablePointer<json_t>

    private init(root: UnsafeMutablePointer<json_t>) { self.root = root }

    deinit { toggl_json_decref(root) }

    /// Parses any JSON value. Invalid UTF-8, trailing garbage and cut-off input are errors.
    static func parse(_ bytes: [UInt8]) throws(TogglError) -> JSONDocument {
        var error = json_error_t()
        let flags = Int(JSON_DECODE_ANY | JSON_ALLOW_NUL)
        let parsed: UnsafeMutablePointer<json_t>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    json_loadb($0, buffer.count, flags, &error)
                }
            }
        }
        guard let parsed else {
            if bytes.isEmpty { throw TogglError(.decode, "empty response body where JSON was expected") }
            let text = withUnsafeBytes(of: error.text) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw TogglError(.decode, "malformed JSON at line \(error.line), column \(error.column): \(text)")
        }
        return JSONDocument(root: parsed)
    }

    var type: json_type { json_typeof(root) }

    static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}

func json_typeof(_ node: UnsafePointer<json_t>) -> json_type {
    node.pointee.type
}

/// A Swift string from a jansson string node (which may contain NUL when JSON_ALLOW_NUL is set).
func jsonStringValue(_ node: UnsafeMutablePointer<json_t>) -> String? {
    guard let chars = json_string_value(node) else { return nil }
    let length = json_string_length(node)
    return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}

extension JSONDocument {
    /// Compact UTF-8 encoding of a jansson tree (the caller keeps its reference).
    static func dump(_ node: UnsafeMutablePointer<json_t>) -> [UInt8] {
        let flags = Int(JSON_COMPACT | JSON_ENCODE_ANY)
        let size = json_dumpb(node, nil, 0, flags)
        guard size > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: size)
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { json_dumpb(node, $0.baseAddress, size, flags) }
        }
        return written == size ? bytes : []
    }
}

extension JSONDocument {
    /// The text of an error body that is a JSON string, or an object with a `message`, `error`
    /// or `error_message` string; nil for anything else.
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard let document = try? parse(body) else { return nil }
        let root = document.root
        if let string = jsonStringValue(root) { return string }
        guard json_typeof(root) == JSON_OBJECT else { return nil }
        for key in ["message", "error", "error_message"] {
            if let node = json_object_get(root, key), let string = jsonStringValue(node) { return string }
        }
        return nil
    }
}
