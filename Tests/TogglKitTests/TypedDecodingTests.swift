import CJansson
import Testing
import TestSupport
@testable import TogglKit

/// Typed decoding from the tape: the recorded samples, drift in a real response, and the values
/// it reads held to jansson's reading of the same bytes.
@Suite struct TypedDecodingTests {
    /// Every JSON sample of ../shared/samples (copied into Fixtures/, see SOURCES.txt).
    static let samples = [
        "me.json", "me_with_related_data.json", "me_put.json", "me_put_ta9mi141.json", "clients.json",
        "clients_from_related_data.json", "projects.json", "projects_from_related_data.json",
        "projects_paginated.json", "projects_evrone_fixture.json", "tags.json", "tags_from_related_data.json",
        "tasks.json", "organizations.json", "organizations_ta9mi141.json", "features.json", "location.json",
        "time_entry_current_running.json", "time_entry_current_none.json",
    ]

    /// One project's `estimated_hours` at 7.5 (evrone/toggl-python#99), a time entry's duration as
    /// a string, a client's name as a number, a tag's workspace as an object, a project that is
    /// not an object: each drops only itself; the other 20,000-odd values are as without drift.
    @Test func driftInARealResponseDropsOnlyTheDriftedValues() throws {
        let bytes = try Fixtures.bytes("me_with_related_data.json")
        let clean = try TogglJSON.decodeReportingIssues(User.self, from: bytes)
        #expect(clean.issues.isEmpty)

        var tree = try TogglJSON.decode(JSONValue.self, from: bytes)
        tree["projects", 3, "estimated_hours"] = .double(7.5)
        tree["time_entries", 5, "duration"] = .string("3600")
        tree["clients", 1, "name"] = .int(42)
        tree["tags", 2, "workspace_id"] = .object(["id": .int(1)])
        tree["projects", 7] = .string("not a project")
        let drifted = try TogglJSON.decodeReportingIssues(User.self, from: Array(tree.encoded().utf8))

        #expect(Set(drifted.issues.map(\.path)) == [
            "clients[1].name", "projects[3].estimated_hours", "projects[7]", "tags[2].workspace_id",
            "time_entries[5].duration",
        ])
        #expect(drifted.issues.count == 5)
        var expected = clean.value
        expected.projects?[3].estimatedHours = nil
        expected.projects?.remove(at: 7)
        expected.timeEntries?[5].duration = nil
        expected.clients?[1].name = nil
        expected.tags?[2].workspaceID = nil
        #expect(drifted.value == expected)
    }

    @Test(arguments: samples)
    func everySampleDecodesWithoutIssues(sample: String) throws {
        let bytes = try Fixtures.bytes(sample)
        let issues: [DecodingIssue] = switch sample {
        case _ where sample.hasPrefix("me"): try TogglJSON.decodeReportingIssues(User.self, from: bytes).issues
        case _ where sample.hasPrefix("clients"): try TogglJSON.decodeReportingIssues([Client].self, from: bytes).issues
        case _ where sample.hasPrefix("tags"): try TogglJSON.decodeReportingIssues([TogglTag].self, from: bytes).issues
        case "tasks.json": try TogglJSON.decodeReportingIssues([TogglTask].self, from: bytes).issues
        case _ where sample.hasPrefix("organizations"):
            try TogglJSON.decodeReportingIssues([Organization].self, from: bytes).issues
        case "features.json": try TogglJSON.decodeReportingIssues([WorkspaceFeatures].self, from: bytes).issues
        case "location.json": try TogglJSON.decodeReportingIssues(Location?.self, from: bytes).issues
        case _ where sample.hasPrefix("time_entry"): try TogglJSON.decodeReportingIssues(TimeEntry?.self, from: bytes).issues
        default: try TogglJSON.decodeReportingIssues([Project].self, from: bytes).issues
        }
        #expect(issues.isEmpty, "\(issues)")
    }

    /// Every value of every sample, and of hand-written edge cases, reads the same from the tape
    /// as from jansson's tree: strings with escapes and surrogate pairs, numbers at the edges.
    @Test(arguments: samples)
    func samplesReadAsJanssonReadsThem(sample: String) throws {
        let bytes = try Fixtures.bytes(sample)
        #expect(try TogglJSON.decode(JSONValue.self, from: bytes) == Self.jansson(bytes))
    }

    @Test(arguments: [
        #"["plain", "a\"b\\c\/d", "\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude00 smile", "\u0000nul", "mixed é€😀"]"#,
        #"[0, -0, 1, -1, 9223372036854775807, -9223372036854775808, 1.5, -2.25e-3, 1E+2, 0.1, 1e308]"#,
        #"{"a\u0062c": 1, "": 2, "k\"q": {"nested": [true, false, null, [], {}]}}"#,
        #"  {"spaced" :  [ 1 , 2 ] }  "#,
    ])
    func edgeValuesReadAsJanssonReadsThem(json: String) throws {
        let bytes = Array(json.utf8)
        #expect(try TogglJSON.decode(JSONValue.self, from: bytes) == Self.jansson(bytes))
    }

    /// Both refuse the same malformed bodies (the tape is the validator's scan).
    @Test(arguments: ["[1,]", "{\"a\":}", "\"\\ud800\"", "[01]", "{\"a\" 1}", "[1e999]", "\"\u{1}\""])
    func malformedBodiesAreRefusedLikeJansson(json: String) {
        #expect(throws: TogglError.self) { try TogglJSON.decode(JSONValue.self, from: Array(json.utf8)) }
        #expect(Self.janssonAccepts(Array(json.utf8)) == false)
    }

    // MARK: jansson's reading, as a JSONValue

    static func janssonAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONDocument.parse(bytes)) != nil
    }

    static func jansson(_ bytes: [UInt8]) throws -> JSONValue {
        let document = try JSONDocument.parse(bytes)
        return value(document.root)
    }

    private static func value(_ node: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch json_typeof(node) {
        case JSON_OBJECT:
            var members: [String: JSONValue] = [:]
            var iterator = json_object_iter(node)
            while let current = iterator {
                members[String(cString: json_object_iter_key(current))] = value(json_object_iter_value(current))
                iterator = json_object_iter_next(node, current)
            }
            return .object(members)
        case JSON_ARRAY:
            return .array((0..<json_array_size(node)).map { value(json_array_get(node, $0)) })
        case JSON_STRING: return .string(jsonStringValue(node) ?? "")
        case JSON_INTEGER: return .int(json_integer_value(node))
        case JSON_REAL: return .double(json_real_value(node))
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        default: return .null
        }
    }
}

// Test helpers: edit a JSONValue in place, and write it back out as JSON.
extension JSONValue {
    enum PathStep: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)
        init(stringLiteral value: String) { self = .key(value) }
        init(integerLiteral value: Int) { self = .index(value) }
    }

    subscript(_ steps: PathStep...) -> JSONValue {
        get { fatalError("write-only in tests") }
        set { set(newValue, at: steps[...]) }
    }

    private mutating func set(_ value: JSONValue, at steps: ArraySlice<PathStep>) {
        guard let step = steps.first else { self = value; return }
        switch (self, step) {
        case (.object(var members), .key(let key)):
            var child = members[key] ?? .null
            child.set(value, at: steps.dropFirst())
            members[key] = child
            self = .object(members)
        case (.array(var elements), .index(let index)):
            elements[index].set(value, at: steps.dropFirst())
            self = .array(elements)
        default:
            fatalError("no \(step) in \(self)")
        }
    }

    func encoded() -> String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): "\(value)"
        case .string(let value): Self.quoted(value)
        case .array(let elements): "[" + elements.map { $0.encoded() }.joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { Self.quoted($0.key) + ":" + $0.value.encoded() }
                .joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Decoders written by hand against the tape: nested containers, a decoder kept past the call,
/// repeated keys, names holding a quote, numbers that do not fit.
@Suite struct TapeDecoderContractTests {
    struct Nested: Decodable {
        var x: Int?
        var y: Int?
        var a: Int?
        var missing: Int?
        enum Keys: String, CodingKey { case inner, x, y, a, missing }

        init(from decoder: any Decoder) throws {
            let outer = try decoder.container(keyedBy: Keys.self)
            let inner = try outer.nestedContainer(keyedBy: Keys.self, forKey: .inner)
            x = try inner.decodeIfPresent(Int.self, forKey: .x)
            // The parent's lookups must not start from where the nested container's left off.
            missing = try outer.decodeIfPresent(Int.self, forKey: .missing)
            y = try outer.decodeIfPresent(Int.self, forKey: .y)
            a = try outer.decodeIfPresent(Int.self, forKey: .a)
        }
    }

    @Test func aNestedContainerDoesNotLeadTheParentsLookupsAstray() throws {
        let value = try TogglJSON.decode(Nested.self, from: Array(#"{"inner": {"x": 1, "y": 2}, "a": 3}"#.utf8))
        #expect(value.x == 1 && value.missing == nil && value.y == nil && value.a == 3)
    }

    final class Kept: Decodable, @unchecked Sendable {
        let decoder: any Decoder
        init(from decoder: any Decoder) throws { self.decoder = decoder }
    }

    @Test func aDecoderKeptPastTheCallThrowsInsteadOfReadingFreedMemory() throws {
        let kept = try TogglJSON.decode(Kept.self, from: Array(#"{"a": 1}"#.utf8))
        #expect(throws: DecodingError.self) { try kept.decoder.container(keyedBy: TapeKey.self) }
        #expect(throws: DecodingError.self) { try kept.decoder.singleValueContainer() }
    }

    struct AB: Decodable, Equatable { var a: Int?; var b: Int? }
    struct BA: Decodable, Equatable { var b: Int?; var a: Int? }

    /// As in jansson (and `JSONValue`), the last occurrence of a repeated key wins, whatever
    /// order the model reads its keys in.
    @Test(arguments: [#"{"a": 1, "b": 2, "a": 3}"#, #"{"a": 1, "b": 2, "\u0061": 3}"#])
    func aRepeatedKeyReadsItsLastValue(json: String) throws {
        #expect(try TogglJSON.decode(AB.self, from: Array(json.utf8)) == AB(a: 3, b: 2))
        #expect(try TogglJSON.decode(BA.self, from: Array(json.utf8)) == BA(b: 2, a: 3))
        #expect(try TogglJSON.decode(JSONValue.self, from: Array(json.utf8)) == .object(["a": .int(3), "b": .int(2)]))
    }

    /// Objects in arrays carry a filter of their keys: a key written with escapes is still
    /// found, and keys the object lacks are nil.
    @Test func keysOfObjectsInArraysAreFoundHoweverTheyAreWritten() throws {
        let json = #"[{"\u0061": 1, "b": 2}, {"b": 4}, {"a": 5, "x": {"a": 6}}]"#
        #expect(try TogglJSON.decode([AB].self, from: Array(json.utf8)) == [AB(a: 1, b: 2), AB(a: nil, b: 4), AB(a: 5, b: nil)])
    }

    struct Quoted: Decodable {
        var value: String?
        enum CodingKeys: String, CodingKey { case value = #"a":""# }
    }

    @Test func aNameHoldingAQuoteMatchesOnlyThatName() throws {
        #expect(try TogglJSON.decode(Quoted.self, from: Array(#"{"a":""}"#.utf8)).value == nil)
        #expect(try TogglJSON.decode(Quoted.self, from: Array(#"{"a\":\"": "yes"}"#.utf8)).value == "yes")
    }

    struct Widths: Decodable, Equatable { var a: Int8?; var b: UInt16?; var c: Int32?; var d: UInt64? }

    @Test func everyIntegerWidthReadsWhatFitsAndDropsWhatDoesNot() throws {
        let fits = try TogglJSON.decodeReportingIssues(Widths.self, from: Array(#"{"a": -128, "b": 65535, "c": 7.0, "d": 9223372036854775807}"#.utf8))
        #expect(fits.value == Widths(a: -128, b: 65535, c: 7, d: 9_223_372_036_854_775_807))
        #expect(fits.issues.isEmpty)
        let overflow = try TogglJSON.decodeReportingIssues(Widths.self, from: Array(#"{"a": 128, "b": -1, "c": 2147483648, "d": -1}"#.utf8))
        #expect(overflow.value == Widths())
        #expect(overflow.issues.map(\.path) == ["a", "b", "c", "d"])
    }

    struct Small: Decodable { var f: Float? }

    @Test func aNumberTooLargeForAFloatIsDropped() throws {
        let decoded = try TogglJSON.decodeReportingIssues(Small.self, from: Array(#"{"f": 1e39}"#.utf8))
        #expect(decoded.value.f == nil)
        #expect(decoded.issues.map(\.path) == ["f"])
        #expect(try TogglJSON.decode(Small.self, from: Array(#"{"f": 1.5}"#.utf8)).f == 1.5)
    }
}
