#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One decode over a `JSONTape`: the tape, where decoding is, and what it dropped.
///
/// Decoding is depth-first and synchronous, so one path stack serves every container, and the
/// path is turned into text only when something is dropped. A member is found by comparing key
/// bytes in place, starting after the member found last at the same depth: models read their
/// keys in about the order the server writes them, so most lookups match at the first try.
final class TapeContext {
    enum Step {
        /// The member whose value is at this tape index.
        case member(Int)
        case element(Int)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let tape: UnsafeBufferPointer<TapeEntry>
    var issues: [DecodingIssue] = []
    // The path and the lookup hints live in fixed buffers, not arrays: they change on every
    // member, and a class's array property pays a dynamic exclusivity check on each change.
    private let steps: UnsafeMutablePointer<Step>
    /// `depth` in a buffer of its own for the same reason (it changes on every member).
    private let depthStorage: UnsafeMutablePointer<Int>
    var depth: Int {
        @inline(__always) get { depthStorage.pointee }
    }
    private static let capacity = TogglJSON.maxDepth + 4
    /// Per depth, the tape index after the member found last: where the next lookup starts.
    private let hints: UnsafeMutablePointer<Int>
    /// Per depth, the object whose lookup left the hint.
    private let hintOwners: UnsafeMutablePointer<Int>
    /// False once `TogglJSON` has returned: the buffers are gone, so a decoder or container a
    /// caller's `init(from:)` kept must throw instead of reading them.
    var isOpen = true

    init(bytes: UnsafeBufferPointer<UInt8>, tape: UnsafeBufferPointer<TapeEntry>) {
        self.bytes = bytes
        self.tape = tape
        steps = .allocate(capacity: Self.capacity)
        depthStorage = .allocate(capacity: 1)
        depthStorage.initialize(to: 0)
        hints = .allocate(capacity: Self.capacity)
        hints.initialize(repeating: 0, count: Self.capacity)
        hintOwners = .allocate(capacity: Self.capacity)
        hintOwners.initialize(repeating: -1, count: Self.capacity)
    }

    deinit {
        steps.deinitialize(count: depth)
        steps.deallocate()
        depthStorage.deallocate()
        hints.deallocate()
        hintOwners.deallocate()
    }

    /// Enters a member or element; false (nothing entered) past `TogglJSON.maxDepth`.
    @inline(__always)
    func push(_ step: Step) -> Bool {
        let depth = depthStorage.pointee
        guard depth < TogglJSON.maxDepth + 2 else { return false }
        (steps + depth).initialize(to: step)
        depthStorage.pointee = depth + 1
        return true
    }

    @inline(__always)
    func pop() {
        let depth = depthStorage.pointee - 1
        depthStorage.pointee = depth
        (steps + depth).deinitialize(count: 1)
    }

    var path: UnsafeBufferPointer<Step> { UnsafeBufferPointer(start: steps, count: depth) }

    /// Thrown by every entry point once the decode is over (see `isOpen`).
    func closed() -> DecodingError {
        DecodingError.dataCorrupted(.init(
            codingPath: [], debugDescription: "a decoder was used after TogglJSON.decode returned"))
    }

    func tooDeep() -> DecodingError {
        DecodingError.dataCorrupted(.init(
            codingPath: codingPath, debugDescription: "nested deeper than \(TogglJSON.maxDepth) levels"))
    }

    /// The tape index of the value after the one at `index` (past its descendants).
    @inline(__always)
    func next(_ index: Int) -> Int {
        let entry = tape[index]
        return entry.kind == .object || entry.kind == .array ? Int(entry.value) : index + 1
    }

    // MARK: Finding members

    /// The member of `object` named `name`. Hints are kept per depth, with the object they
    /// belong to: a hint left by another object at the same depth is ignored. An object whose
    /// scan found a repeated key is searched whole, and the last occurrence wins, as in jansson.
    func member(named name: String, in object: Int, depth: Int) -> Int? {
        let entry = tape[object]
        let end = Int(entry.value)
        guard end > object + 1 else { return nil }
        var name = name
        if entry.flags & TapeEntry.duplicateKeys != 0 {
            return name.withUTF8 { target -> Int? in
                var found: Int?
                var index = object + 1
                while index < end {
                    if keyMatches(index, target) { found = index }
                    index = next(index)
                }
                return found
            }
        }
        let slot = min(depth, Self.capacity - 1)
        if entry.flags & TapeEntry.hasKeyFilter != 0 {
            // Models ask for keys the server left out: the filter answers most of those without a scan.
            let hash = name.withUTF8 { JSONValidator.Scanner.keyHash($0) }
            guard entry.mayHaveKey(hash: hash) else { return nil }
        }
        var index = hintOwners[slot] == object ? hints[slot] : object + 1
        if index <= object || index >= end { index = object + 1 }
        let first = index
        return name.withUTF8 { target -> Int? in
            repeat {
                if keyMatches(index, target) {
                    let after = next(index)
                    hints[slot] = after < end ? after : object + 1
                    hintOwners[slot] = object
                    return index
                }
                index = next(index)
                if index >= end { index = object + 1 }
            } while index != first
            return nil
        }
    }

    @inline(__always)
    private func keyMatches(_ index: Int, _ target: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = tape[index]
        let start = Int(entry.key)
        if entry.flags & TapeEntry.keyEscaped != 0 {
            return Array(TapeText.unescape(bytes, from: start).utf8).elementsEqual(target)
        }
        let count = target.count
        guard start + count < bytes.count, bytes[start + count] == UInt8(ascii: "\"") else { return false }
        guard let base = target.baseAddress else { return true }
        guard memcmp(bytes.baseAddress! + start, base, count) == 0 else { return false }
        // A name holding a quote could match bytes running past the key's own closing quote.
        return memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\"")), count) == nil
    }

    func keyText(_ index: Int) -> String {
        let entry = tape[index]
        return TapeText.string(bytes, from: Int(entry.key), escaped: entry.flags & TapeEntry.keyEscaped != 0)
    }

    // MARK: Scalars

    func isNull(_ index: Int) -> Bool { tape[index].kind == .null }

    func string(_ index: Int) -> String? {
        let entry = tape[index]
        guard entry.kind == .string else { return nil }
        return TapeText.string(bytes, from: Int(entry.value), escaped: entry.flags & TapeEntry.escaped != 0)
    }

    /// Where the number at `index` starts and ends.
    @inline(__always)
    func numberBounds(_ entry: TapeEntry) -> (Int, Int) {
        let start = Int(entry.value)
        return (start, TapeText.numberEnd(bytes, start))
    }

    func bool(_ index: Int) -> Bool? {
        switch tape[index].kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// Integers, and reals that hold an integral value that fits (`50.0` where the reference says
    /// integer); nil for anything else.
    func integer<T: FixedWidthInteger>(_ type: T.Type, _ index: Int) -> T? {
        let entry = tape[index]
        guard entry.kind == .number else { return nil }
        let (start, end) = numberBounds(entry)
        if entry.flags & TapeEntry.real == 0 {
            return TapeText.integer(bytes, start, end).flatMap { T(exactly: $0) }
        }
        guard let real = TapeText.double(bytes, start, end), real.rounded(.towardZero) == real else { return nil }
        return T(exactly: real)
    }

    func double(_ index: Int) -> Double? {
        let entry = tape[index]
        guard entry.kind == .number else { return nil }
        let (start, end) = numberBounds(entry)
        if entry.flags & TapeEntry.real == 0, let integer = TapeText.integer(bytes, start, end) { return Double(integer) }
        return TapeText.double(bytes, start, end)
    }

    // MARK: Values

    /// The value at `index` as `T`: the common types directly, arrays element by element
    /// (an element that does not decode is dropped and reported), anything else by `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        if T.self == String.self { return same(try expect(string(index), index)) }
        if T.self == Int64.self { return same(try expect(integer(Int64.self, index), index)) }
        if T.self == Int.self { return same(try expect(integer(Int.self, index), index)) }
        if T.self == Bool.self { return same(try expect(bool(index), index)) }
        if T.self == Double.self { return same(try expect(double(index), index)) }
        if T.self == Int32.self { return same(try expect(integer(Int32.self, index), index)) }
        if T.self == TogglTimestamp.self { return same(try timestamp(index)) }
        if T.self == JSONValue.self { return same(try jsonValue(index)) }
        guard depth < TogglJSON.maxDepth else { throw tooDeep() }
        if tape[index].kind == .array {
            // The arrays of scalars every time entry carries, without a dynamic cast.
            if T.self == [String].self { return same(try [String].decodeLossy(self, at: index)) }
            if T.self == [Int64].self { return same(try [Int64].decodeLossy(self, at: index)) }
            if T.self == [Int].self { return same(try [Int].decodeLossy(self, at: index)) }
        }
        if tape[index].kind == .array, let lossy = T.self as? any LossyArray.Type {
            // `lossy` is `T.Type`, so the cast always succeeds; `as?` keeps a trap out of the library.
            return try expect(try lossy.decodeLossy(self, at: index) as? T, index)
        }
        return try T(from: TapeDecoder(context: self, index: index))
    }

    /// `value` as `T`, which the caller has checked is its type: a copy, not a dynamic cast.
    @inline(__always)
    private func same<Value, T>(_ value: Value) -> T {
        withUnsafePointer(to: value) { $0.withMemoryRebound(to: T.self, capacity: 1) { $0.pointee } }
    }

    /// An optional member's value: null is nil; a value that does not decode is nil too, and
    /// reported (one drifted field never fails the whole response).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, member index: Int) -> T? {
        guard !isNull(index) else { return nil }
        guard push(.member(index)) else {
            drop(tooDeep())
            return nil
        }
        defer { pop() }
        do {
            return try decode(T.self, at: index)
        } catch {
            drop(error)
            return nil
        }
    }

    /// The slow half of a scalar member's decode (the fast half read the value directly): null
    /// is nil; any other kind is dropped and reported.
    func dropMismatch<T>(_ type: T.Type, member index: Int) -> T? {
        guard !isNull(index) else { return nil }
        guard push(.member(index)) else { return nil }
        defer { pop() }
        drop(DecodingError.typeMismatch(T.self, .init(
            codingPath: codingPath, debugDescription: "expected \(Self.label(T.self)), found \(foundLabel(index))")))
        return nil
    }

    func expect<T>(_ value: T?, _ index: Int) throws -> T {
        guard let value else {
            throw DecodingError.typeMismatch(T.self, .init(
                codingPath: codingPath, debugDescription: "expected \(Self.label(T.self)), found \(foundLabel(index))"))
        }
        return value
    }

    func foundLabel(_ index: Int) -> String {
        let entry = tape[index]
        if entry.kind == .number {
            let (start, end) = numberBounds(entry)
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return "the number \(text.count > 40 ? String(text.prefix(40)) + "…" : text)"
        }
        return entry.kind.label
    }

    static func label(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Double.Type, is Float.Type: "a number"
        case is any FixedWidthInteger.Type: "an integer that fits \(type)"
        default: "\(type)"
        }
    }

    private func timestamp(_ index: Int) throws -> TogglTimestamp {
        let text = try expect(string(index), index) as String
        guard let parsed = TogglTimestamp(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\" is not a timestamp (expected RFC 3339 or YYYY-MM-DD)"))
        }
        return parsed
    }

    /// Any JSON value, built bottom-up from the tape without recursion; at most
    /// `TogglJSON.maxDepth` levels (deeper values would also be destroyed recursively).
    func jsonValue(_ root: Int) throws -> JSONValue {
        struct Open {
            let index: Int
            let end: Int
            var elements: [JSONValue] = []
            var members: [String: JSONValue] = [:]
            var keys: [String] = []
        }
        var stack: [Open] = []
        var index = root
        while true {
            var value: JSONValue
            let entry = tape[index]
            switch entry.kind {
            case .object, .array:
                guard depth + stack.count < TogglJSON.maxDepth else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: codingPath, debugDescription: "nested deeper than \(TogglJSON.maxDepth) levels"))
                }
                let end = Int(entry.value)
                if end > index + 1 {
                    stack.append(Open(index: index, end: end))
                    index += 1
                    continue
                }
                value = entry.kind == .object ? .object([:]) : .array([])
            case .string: value = .string(string(index) ?? "")
            case .number:
                if entry.flags & TapeEntry.real == 0, let integer = integer(Int64.self, index) {
                    value = .int(integer)
                } else {
                    value = .double(double(index) ?? 0)
                }
            case .true: value = .bool(true)
            case .false: value = .bool(false)
            case .null: value = .null
            }
            // Hand the value to its container; close every container it completes.
            var after = entry.kind == .object || entry.kind == .array ? Int(entry.value) : index + 1
            while true {
                guard var open = stack.popLast() else { return value }
                if tape[open.index].kind == .object {
                    open.members[keyText(index)] = value
                } else {
                    open.elements.append(value)
                }
                if after < open.end {
                    stack.append(open)
                    break
                }
                value = tape[open.index].kind == .object ? .object(open.members) : .array(open.elements)
                index = open.index
                after = open.end
            }
            index = after
        }
    }

    // MARK: Paths and issues

    var codingPath: [any CodingKey] {
        path.map { step -> any CodingKey in
            switch step {
            case .member(let index): TapeKey(stringValue: keyText(index))
            case .element(let offset): TapeKey(intValue: offset)
            }
        }
    }

    func drop(_ error: any Error) {
        let reason: String
        var where_ = codingPath
        if let decoding = error as? DecodingError, let context = decoding.context {
            reason = context.debugDescription
            if context.codingPath.count >= where_.count { where_ = context.codingPath }
        } else if let toggl = error as? TogglError {
            reason = toggl.message
        } else {
            reason = "\(error)"
        }
        issues.append(DecodingIssue(path: TapeKey.text(of: where_), reason: reason + " (dropped)"))
    }
}

/// A key of a decode path: a member name or an array index.
struct TapeKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = "[\(intValue)]"
        self.intValue = intValue
    }

    /// `projects[31].estimated_hours`; "top level" for the empty path.
    static func text(of path: [any CodingKey]) -> String {
        let text = path.map { $0.intValue != nil ? "[\($0.intValue!)]" : "." + $0.stringValue }.joined()
        return text.isEmpty ? "top level" : String(text.drop { $0 == "." })
    }
}

extension DecodingError {
    var context: Context? {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            context
        @unknown default:
            nil
        }
    }

    /// "invalid response at projects[31].estimated_hours: expected …".
    var readableDescription: String {
        guard let context else { return "response does not match the documented model" }
        let prefix = if case .valueNotFound = self { "missing value: " } else { "" }
        return "invalid response at \(TapeKey.text(of: context.codingPath)): \(prefix)\(context.debugDescription)"
    }
}

/// Arrays decode element by element: one element that does not decode is dropped and reported.
protocol LossyArray {
    static func decodeLossy(_ context: TapeContext, at index: Int) throws -> Self
}

extension Array: LossyArray where Element: Decodable {
    static func decodeLossy(_ context: TapeContext, at index: Int) throws -> [Element] {
        let end = Int(context.tape[index].value)
        // Exactly the elements' count: a doubling array would keep up to twice the models' memory.
        var count = 0
        var element = index + 1
        while element < end {
            count += 1
            element = context.next(element)
        }
        var result: [Element] = []
        result.reserveCapacity(count)
        element = index + 1
        var offset = 0
        while element < end {
            guard context.push(.element(offset)) else { throw context.tooDeep() }
            do {
                result.append(try context.decode(Element.self, at: element))
            } catch {
                context.drop(error)
            }
            context.pop()
            element = context.next(element)
            offset += 1
        }
        return result
    }
}
