import CJansson

/// The top-level shape the API documents for a response body.
public enum JSONShape: Sendable, Hashable {
    case object
    case array
    /// An object, or `null` / an empty body (GET /me/location).
    case objectOrNull
    /// No body expected (GET /me/logged); anything the server sends is ignored.
    case empty
}

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

    /// Checks a body against the documented top-level shape, as the JSON surfaces do:
    /// well-formed and of the right kind, field types are not inspected (schema drift is not an error).
    /// Returns the parsed tree (nil where no body is expected, or a blank body means `null`) so a
    /// typed caller decodes it without parsing again.
    @discardableResult
    static func validate(_ bytes: [UInt8], as shape: JSONShape) throws(TogglError) -> JSONDocument? {
        switch shape {
        case .empty:
            return nil
        case .objectOrNull where isBlank(bytes):
            return nil
        default:
            break
        }
        let document = try parse(bytes)
        let type = document.type
        switch (shape, type) {
        case (.object, JSON_OBJECT), (.array, JSON_ARRAY), (.objectOrNull, JSON_OBJECT), (.objectOrNull, JSON_NULL):
            return document
        default:
            throw TogglError(.decode, "expected a JSON \(shape.label) but the response is \(type.label)")
        }
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
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

extension json_type {
    var label: String {
        switch self {
        case JSON_OBJECT: "an object"
        case JSON_ARRAY: "an array"
        case JSON_STRING: "a string"
        case JSON_INTEGER, JSON_REAL: "a number"
        case JSON_TRUE, JSON_FALSE: "a boolean"
        default: "null"
        }
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
