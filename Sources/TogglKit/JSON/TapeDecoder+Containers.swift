/// A `Swift.Decoder` reading the value at one tape index.
struct TapeDecoder: Decoder {
    let context: TapeContext
    let index: Int
    /// Containers nested by hand (`nestedContainer`) count as one level deeper.
    var extraDepth = 0

    var codingPath: [any CodingKey] { context.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard context.isOpen else { throw context.closed() }
        let depth = context.depth + extraDepth
        guard depth < TogglJSON.maxDepth + 2 else { throw context.tooDeep() }
        guard context.tape[index].kind == .object else {
            throw DecodingError.typeMismatch([String: Any].self, .init(
                codingPath: codingPath, debugDescription: "expected an object, found \(context.foundLabel(index))"))
        }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(context: context, object: index, depth: depth))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard context.isOpen else { throw context.closed() }
        guard context.depth + extraDepth < TogglJSON.maxDepth + 2 else { throw context.tooDeep() }
        guard context.tape[index].kind == .array else {
            throw DecodingError.typeMismatch([Any].self, .init(
                codingPath: codingPath, debugDescription: "expected an array, found \(context.foundLabel(index))"))
        }
        return TapeUnkeyedContainer(context: context, array: index, depth: context.depth + extraDepth)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard context.isOpen else { throw context.closed() }
        return TapeSingleValue(context: context, index: index)
    }
}

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let context: TapeContext
    let object: Int
    let depth: Int

    var codingPath: [any CodingKey] { context.codingPath }

    var allKeys: [Key] {
        guard context.isOpen else { return [] }
        var keys: [Key] = []
        var index = object + 1
        let end = Int(context.tape[object].value)
        while index < end {
            if let key = Key(stringValue: context.keyText(index)) { keys.append(key) }
            index = context.next(index)
        }
        return keys
    }

    private func find(_ key: Key) -> Int? {
        guard context.isOpen else { return nil }
        return context.member(named: key.stringValue, in: object, depth: depth)
    }

    private func require(_ key: Key) throws -> Int {
        guard context.isOpen else { throw context.closed() }
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                                                       debugDescription: "key \"\(key.stringValue)\" is missing"))
        }
        return index
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let index = find(key) else { return true }
        return context.isNull(index)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decode(type, key) }

    // Every primitive, as KeyedDecodingContainerProtocol requires, through the one generic path.
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type as Int16.Type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type as UInt8.Type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type as UInt16.Type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type as UInt32.Type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type as UInt64.Type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let index = try require(key)
        guard context.push(.member(index)) else { throw context.tooDeep() }
        defer { context.pop() }
        return try context.decode(T.self, at: index)
    }

    // The synthesized `init(from:)` of the models calls these for every optional property: a
    // value that does not fit is dropped and reported, never thrown.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let index = find(key) else { return nil }
        if let value = context.bool(index) { return value }
        return context.dropMismatch(Bool.self, member: index)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let index = find(key) else { return nil }
        if let value = context.string(index) { return value }
        return context.dropMismatch(String.self, member: index)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let index = find(key) else { return nil }
        if let value = context.double(index) { return value }
        return context.dropMismatch(Double.self, member: index)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { scalar(key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let index = find(key) else { return nil }
        if let value = context.integer(Int.self, index) { return value }
        return context.dropMismatch(Int.self, member: index)
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { scalar(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { scalar(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { scalar(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let index = find(key) else { return nil }
        if let value = context.integer(Int64.self, index) { return value }
        return context.dropMismatch(Int64.self, member: index)
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { scalar(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { scalar(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { scalar(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { scalar(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { scalar(key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = find(key) else { return nil }
        return context.decodeIfPresent(T.self, member: index)
    }

    @inline(__always)
    private func scalar<T: Decodable>(_ key: Key) -> T? {
        guard let index = find(key) else { return nil }
        return context.decodeIfPresent(T.self, member: index)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try nested(try require(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try nested(try require(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { nested(object) }

    func superDecoder(forKey key: Key) throws -> any Decoder { nested(try require(key)) }

    private func nested(_ index: Int) -> TapeDecoder {
        TapeDecoder(context: context, index: index, extraDepth: depth + 1 - context.depth)
    }
}

struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let context: TapeContext
    let array: Int
    let depth: Int
    private var element: Int
    private(set) var currentIndex = 0
    let count: Int?

    init(context: TapeContext, array: Int, depth: Int) {
        self.context = context
        self.array = array
        self.depth = depth
        element = array + 1
        var count = 0
        var index = array + 1
        let end = Int(context.tape[array].value)
        while index < end {
            count += 1
            index = context.next(index)
        }
        self.count = count
    }

    var codingPath: [any CodingKey] { context.codingPath }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    private mutating func take() throws -> Int {
        guard context.isOpen else { throw context.closed() }
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath,
                                                              debugDescription: "the array has no more elements"))
        }
        let index = element
        element = context.next(element)
        currentIndex += 1
        return index
    }

    mutating func decodeNil() throws -> Bool {
        guard context.isOpen else { throw context.closed() }
        guard !isAtEnd, context.isNull(element) else { return false }
        _ = try take()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }

    private mutating func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        let offset = currentIndex
        let index = try take()
        guard context.push(.element(offset)) else { throw context.tooDeep() }
        defer { context.pop() }
        return try context.decode(T.self, at: index)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nested(try take()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nested(try take()).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { nested(try take()) }

    private func nested(_ index: Int) -> TapeDecoder {
        TapeDecoder(context: context, index: index, extraDepth: depth + 1 - context.depth)
    }
}

struct TapeSingleValue: SingleValueDecodingContainer {
    let context: TapeContext
    let index: Int

    var codingPath: [any CodingKey] { context.codingPath }

    func decodeNil() -> Bool { !context.isOpen || context.isNull(index) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }

    private func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        guard context.isOpen else { throw context.closed() }
        if T.self == Float.self {
            // A finite number too large for a Float does not fit it (no silent infinity).
            let float = context.double(index).map(Float.init).flatMap { $0.isFinite ? $0 : nil }
            return try context.expect(float as? T, index)
        }
        // The integer widths the context has no direct path for (Int32, Int16, UInt8, ...).
        if let integer = T.self as? any FixedWidthInteger.Type {
            func read<I: FixedWidthInteger>(_ width: I.Type) -> T? { context.integer(I.self, index) as? T }
            return try context.expect(read(integer), index)
        }
        return try context.decode(T.self, at: index)
    }
}
