import CJansson

/// Entry points for turning response bytes into typed models.
public enum TogglJSON {
    /// Typed decoding recurses once per nesting level; deeper input fails with `.decode` instead
    /// of running out of stack. 64 levels is far beyond any model (a user with related data
    /// nests 5 deep) and was measured safe on a 512 KiB thread in a debug build
    /// (`HardeningTests.deepNestingFailsCleanlyOnASmallStack`).
    public static let maxDepth = 64

    /// Decodes `type` from JSON bytes through jansson.
    ///
    /// Tolerant like the real API needs: missing keys and `null` decode as nil for optionals,
    /// unknown keys are ignored, integral reals are accepted where an integer is expected.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(TogglError) -> T {
        try decode(type, from: JSONDocument.parse(bytes))
    }

    static func decode<T: Decodable>(_ type: T.Type, from document: JSONDocument) throws(TogglError) -> T {
        do {
            return try T(from: JanssonDecoder(node: document.root, codingPath: [], document: document))
        } catch let error as DecodingError {
            throw TogglError(.decode, error.readableDescription)
        } catch let error as TogglError {
            throw error
        } catch {
            throw TogglError(.decode, "\(error)")
        }
    }
}

/// A `Swift.Decoder` reading a borrowed jansson node; `document` keeps the tree alive.
struct JanssonDecoder: Decoder {
    let node: UnsafeMutablePointer<json_t>
    let codingPath: [any CodingKey]
    let document: JSONDocument
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try requireDepth()
        guard json_typeof(node) == JSON_OBJECT else {
            throw mismatch([String: Int].self, node, codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try requireDepth()
        guard json_typeof(node) == JSON_ARRAY else {
            throw mismatch([Int].self, node, codingPath)
        }
        return UnkeyedContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValue(decoder: self)
    }

    private func requireDepth() throws {
        guard codingPath.count < TogglJSON.maxDepth else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath, debugDescription: "nested more than \(TogglJSON.maxDepth) levels deep"))
        }
    }

    func child(_ node: UnsafeMutablePointer<json_t>, _ key: any CodingKey) -> JanssonDecoder {
        JanssonDecoder(node: node, codingPath: codingPath + [key], document: document)
    }
}

private func mismatch(_ type: Any.Type, _ node: UnsafeMutablePointer<json_t>, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(type, .init(codingPath: path,
                              debugDescription: "expected \(type) but found \(json_typeof(node).label)"))
}

/// Scalar conversions shared by the three container kinds.
private enum Scalar {
    static func bool(_ node: UnsafeMutablePointer<json_t>, _ path: [any CodingKey]) throws -> Bool {
        switch json_typeof(node) {
        case JSON_TRUE: return true
        case JSON_FALSE: return false
        default: throw mismatch(Bool.self, node, path)
        }
    }

    static func string(_ node: UnsafeMutablePointer<json_t>, _ path: [any CodingKey]) throws -> String {
        guard let value = jsonStringValue(node) else { throw mismatch(String.self, node, path) }
        return value
    }

    static func double(_ node: UnsafeMutablePointer<json_t>, _ path: [any CodingKey]) throws -> Double {
        switch json_typeof(node) {
        case JSON_REAL: return json_real_value(node)
        case JSON_INTEGER: return Double(json_integer_value(node))
        default: throw mismatch(Double.self, node, path)
        }
    }

    /// Integers, and reals that hold an integral value that fits (`50.0` where the reference says integer).
    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ node: UnsafeMutablePointer<json_t>,
                                              _ path: [any CodingKey]) throws -> T {
        switch json_typeof(node) {
        case JSON_INTEGER:
            if let value = T(exactly: json_integer_value(node)) { return value }
        case JSON_REAL:
            let real = json_real_value(node)
            if real.rounded(.towardZero) == real, let value = T(exactly: real) { return value }
        default:
            break
        }
        throw DecodingError.typeMismatch(type, .init(
            codingPath: path,
            debugDescription: "expected \(type) but found \(json_typeof(node).label) that does not fit it losslessly"))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ decoder: JanssonDecoder) throws -> T {
        let node = decoder.node
        let path = decoder.codingPath
        let value: Any
        switch type {
        case is Bool.Type: value = try bool(node, path)
        case is String.Type: value = try string(node, path)
        case is Double.Type: value = try double(node, path)
        case is Float.Type: value = Float(try double(node, path))
        case is Int.Type: value = try integer(Int.self, node, path)
        case is Int64.Type: value = try integer(Int64.self, node, path)
        case is Int32.Type: value = try integer(Int32.self, node, path)
        case is UInt64.Type: value = try integer(UInt64.self, node, path)
        default: return try T(from: decoder)
        }
        guard let typed = value as? T else { throw mismatch(type, node, path) }
        return typed
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JanssonDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        var keys: [Key] = []
        var iterator = json_object_iter(decoder.node)
        while let current = iterator {
            if let name = json_object_iter_key(current), let key = Key(stringValue: String(cString: name)) {
                keys.append(key)
            }
            iterator = json_object_iter_next(decoder.node, current)
        }
        return keys
    }

    private func node(_ key: Key) -> UnsafeMutablePointer<json_t>? {
        json_object_get(decoder.node, key.stringValue)
    }

    private func require(_ key: Key) throws -> JanssonDecoder {
        guard let found = node(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                                                       debugDescription: "key \"\(key.stringValue)\" is missing"))
        }
        return decoder.child(found, key)
    }

    func contains(_ key: Key) -> Bool { node(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let found = node(key) else { return true }
        return json_typeof(found) == JSON_NULL
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Scalar.decode(type, require(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try require(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try require(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { try require(key) }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "[\(intValue ?? 0)]" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: JanssonDecoder
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { json_array_size(decoder.node) }
    var isAtEnd: Bool { currentIndex >= json_array_size(decoder.node) }

    init(decoder: JanssonDecoder) { self.decoder = decoder }

    private mutating func next() throws -> JanssonDecoder {
        guard !isAtEnd, let element = json_array_get(decoder.node, currentIndex) else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [IndexKey(currentIndex)],
                                                              debugDescription: "array has no more elements"))
        }
        defer { currentIndex += 1 }
        return decoder.child(element, IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, let element = json_array_get(decoder.node, currentIndex) else { return false }
        if json_typeof(element) == JSON_NULL {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Scalar.decode(type, next())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValue: SingleValueDecodingContainer {
    let decoder: JanssonDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { json_typeof(decoder.node) == JSON_NULL }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Scalar.decode(type, decoder)
    }
}

extension DecodingError {
    /// "at user.workspaces[2].id: expected Int64 but found a string".
    var readableDescription: String {
        let (context, prefix): (DecodingError.Context?, String) = switch self {
        case .typeMismatch(_, let context): (context, "")
        case .valueNotFound(_, let context): (context, "missing value: ")
        case .keyNotFound(_, let context): (context, "")
        case .dataCorrupted(let context): (context, "")
        @unknown default: (nil, "")
        }
        guard let context else { return "response does not match the documented model" }
        let path = context.codingPath.map { key in
            key.intValue != nil ? key.stringValue : "." + key.stringValue
        }.joined()
        let location = path.isEmpty ? "top level" : String(path.drop { $0 == "." })
        return "invalid response at \(location): \(prefix)\(context.debugDescription)"
    }
}
