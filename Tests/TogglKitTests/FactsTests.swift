import Testing
@testable import TogglKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts that are written once and copied where a build cannot derive them: each copy is checked
/// against its home here.
///
/// - The version's home is the repository's `VERSION` file. The Makefile reads it (library file
///   name, `toggl.pc`; `Tests/check-library.sh` checks what it builds and installs); SwiftPM and
///   the header cannot, so `TogglVersion`, the header's `TOGGL_VERSION*` macros,
///   `bindings/python/pyproject.toml` and `toggl.__version__` are compared with it.
/// - The status table's home is `TogglError.Code` (value, name). `toggl_status_string` derives
///   from it; the header's `enum toggl_status` is compared with it, and the Python binding's
///   constants with the header.
@Suite struct FactsTests {
    // MARK: - Version

    @Test func togglVersionIsTheVersionFile() throws {
        let version = try Repository.version()
        #expect(TogglVersion.string == version.text)
        #expect(TogglVersion.major == version.major)
        #expect(TogglVersion.minor == version.minor)
        #expect(TogglVersion.patch == version.patch)
        #expect(TogglVersion.number == version.major * 1_000_000 + version.minor * 1_000 + version.patch)
    }

    @Test func headerVersionMacrosAreTheVersionFile() throws {
        let version = try Repository.version()
        let header = try Repository.text("include/toggl.h")
        #expect(Repository.define("TOGGL_VERSION_MAJOR", in: header) == "\(version.major)")
        #expect(Repository.define("TOGGL_VERSION_MINOR", in: header) == "\(version.minor)")
        #expect(Repository.define("TOGGL_VERSION_PATCH", in: header) == "\(version.patch)")
        #expect(Repository.define("TOGGL_VERSION", in: header) == "\"\(version.text)\"")
        // TOGGL_VERSION_NUMBER is computed from the three above (its value is checked by
        // Tests/check-library.sh and the C suite).
        #expect(Repository.define("TOGGL_VERSION_NUMBER", in: header)
                == "(TOGGL_VERSION_MAJOR * 1000000 + TOGGL_VERSION_MINOR * 1000 + TOGGL_VERSION_PATCH)")
    }

    @Test func pythonPackageVersionIsTheVersionFile() throws {
        let version = try Repository.version().text
        let pyproject = try Repository.text("bindings/python/pyproject.toml")
        let projectTable = Repository.tomlTable("project", in: pyproject)
        #expect(Repository.quotedValue(of: "version", in: projectTable, separator: "=") == version,
                "bindings/python/pyproject.toml [project] version")
        let package = try Repository.text("bindings/python/toggl/__init__.py")
        #expect(Repository.quotedValue(of: "__version__", in: package, separator: "=") == version,
                "bindings/python/toggl/__init__.py __version__")
    }

    /// Every SwiftPM dependency line in README.md (quick start, Install) asks for this version.
    @Test func readmeAsksForThisVersion() throws {
        let version = try Repository.version().text
        let readme = try Repository.text("README.md")
        let lines = readme.split(separator: "\n").filter { $0.hasPrefix(".package(url:") && $0.contains("libtoggl") }
        #expect(!lines.isEmpty, "README.md: a `.package(url: …libtoggl…)` line")
        for line in lines {
            #expect(line.contains("from: \"\(version)\""), "README.md: \(line)")
        }
    }

    // MARK: - Status table

    @Test func headerStatusEnumIsTheSwiftTable() throws {
        let header = try Repository.text("include/toggl.h")
        let entries = try Repository.statusEnum(in: header)
        var byName: [String: Int32] = [:]
        for entry in entries {
            #expect(byName.updateValue(entry.value, forKey: entry.name) == nil, "\(entry.name) twice")
            #expect(!entry.doc.isEmpty, "\(entry.name) has no /**< */ description")
        }
        #expect(byName["TOGGL_OK"] == 0)
        #expect(byName["TOGGL_DONE"] == 1)
        let errors = entries.filter { $0.name != "TOGGL_OK" && $0.name != "TOGGL_DONE" }
        for entry in errors {
            #expect(entry.name.hasPrefix("TOGGL_E"), "\(entry.name) = \(entry.value) is not TOGGL_E*")
            #expect(TogglError.Code(rawValue: entry.value) != nil,
                    "\(entry.name) = \(entry.value) has no TogglError.Code")
        }
        // Exactly one TOGGL_E* per case, value for value.
        #expect(errors.map(\.value).sorted() == TogglError.Code.allCases.map(\.rawValue).sorted())
        #expect(entries.count == TogglError.Code.allCases.count + 2)
    }

    /// The Python binding's copy of the values (`bindings/python/toggl/_status.py`, one
    /// `TOGGL_X = value` per line), which its exception table is built on.
    @Test func pythonStatusConstantsAreTheHeaderEnum() throws {
        let header = try Repository.statusEnum(in: try Repository.text("include/toggl.h"))
        let python = try Repository.text("bindings/python/toggl/_status.py")
        var constants: [String: Int32] = [:]
        for line in python.split(separator: "\n") where line.hasPrefix("TOGGL_") {
            let code = line.split(separator: "#", maxSplits: 1)[0]
            let sides = code.split(separator: "=").map { Repository.trimmed(String($0)) }
            let value = sides.count == 2 ? Int32(sides[1]) : nil
            #expect(value != nil, "_status.py: \(line) is not `TOGGL_X = integer`")
            if let value { constants[sides[0]] = value }
        }
        #expect(constants == Dictionary(uniqueKeysWithValues: header.map { ($0.name, $0.value) }))
    }

    /// The PUT /me fields: `MeUpdate` is the list; the header's toggl_me_update doc names the same.
    @Test func putMeFieldsAreMeUpdate() throws {
        let fields = MeUpdate.fieldNames
        #expect(fields.count == 8)

        let header = try Repository.text("include/toggl.h")
        let headerList = try #require(Repository.between("PUT /me: changes the current user (", ")", in: header))
        #expect(Repository.words(headerList) == fields, "include/toggl.h, toggl_me_update")

        // The Python binding's update_me is checked by bindings/python/tests/test_endpoints.py,
        // which inspects the real signature (keyword-only, default None) against this file.

        // Every field set, in one body: each key once, in the list's order.
        let all = MeUpdate(beginningOfWeek: 1, countryID: 2, currentPassword: "a", defaultWorkspaceID: 3,
                           email: "e@example.com", fullname: "f", password: "b", timezone: "UTC")
        let body = String(decoding: all.jsonBody(), as: UTF8.self)
        let keys = fields.map { "\"\($0)\":" }
        #expect(keys.allSatisfy { body.contains($0) })
        #expect(MeUpdate().jsonBody() == Array("{}".utf8))
    }

    @Test func statusNamesAreDistinctAndNotReserved() {
        let names = TogglError.Code.allCases.map(\.name)
        #expect(!names.contains(""))
        // "ok", "done" and "unknown status" are the other names toggl_status_string gives.
        #expect(Set(names + ["ok", "done", "unknown status"]).count == names.count + 3)
    }
}

/// The repository's files, found from this source file's path (`<root>/Tests/TogglKitTests/`).
private enum Repository {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    struct Version {
        let text: String
        let major: Int
        let minor: Int
        let patch: Int
    }

    struct StatusEntry {
        let name: String
        let value: Int32
        let doc: String
    }

    static var root: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // "Tests", "TogglKitTests", "FactsTests.swift"
        return parts.joined(separator: "/")
    }

    /// The text after the first `start` up to the next `end`.
    static func between(_ start: String, _ end: String, in text: String) -> String? {
        guard let from = text.firstRange(of: start)?.upperBound,
              let to = text[from...].firstRange(of: end)?.lowerBound else { return nil }
        return String(text[from..<to])
    }

    /// Identifier-like words (letters, digits, `_`), in order.
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    }

    static func text(_ relativePath: String) throws -> String {
        let path = root + "/" + relativePath
        guard let file = fopen(path, "rb") else { throw Problem(description: "cannot read \(path) (errno \(errno))") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `VERSION`: one line, `MAJOR.MINOR.PATCH`.
    static func version() throws -> Version {
        let text = trimmed(try self.text("VERSION"))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let major = Int(parts[0]), let minor = Int(parts[1]), let patch = Int(parts[2]),
              major >= 0, (0..<1000).contains(minor), (0..<1000).contains(patch)
        else { throw Problem(description: "VERSION is \"\(text)\", not MAJOR.MINOR.PATCH (minor, patch < 1000)") }
        return Version(text: text, major: major, minor: minor, patch: patch)
    }

    /// The replacement text of `#define name …` (continuation lines joined), nil when absent.
    static func define(_ name: String, in source: String) -> String? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "#define", words[1] == name else { continue }
            guard let nameRange = line.firstRange(of: name) else { continue }
            var body = String(line[nameRange.upperBound...])
            var next = index + 1
            while body.hasSuffix("\\"), next < lines.count {
                body.removeLast()
                body += " " + lines[next]
                next += 1
            }
            return trimmed(body).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
        return nil
    }

    /// The lines of the TOML table `[name]`, up to the next table header.
    static func tomlTable(_ name: String, in toml: String) -> String {
        var inside = false
        var lines: [Substring] = []
        for line in toml.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = trimmed(String(line))
            if text.hasPrefix("[") { inside = text == "[\(name)]"; continue }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// The string literal assigned to `key` on a line of its own (`key = "…"`, or
    /// `key: str = "…"` in Python), nil when there is none.
    static func quotedValue(of key: String, in source: String, separator: Character) -> String? {
        for line in source.split(separator: "\n") {
            let text = trimmed(String(line))
            guard text.hasPrefix(key), let equals = text.firstIndex(of: separator) else { continue }
            let lhs = trimmed(String(text[..<equals]))
            guard lhs == key || lhs.hasPrefix(key + ":") else { continue }
            let rhs = trimmed(String(text[text.index(after: equals)...]))
            guard let quote = rhs.first, quote == "\"" || quote == "'",
                  let close = rhs.dropFirst().firstIndex(of: quote) else { return nil }
            return String(rhs[rhs.index(after: rhs.startIndex)..<close])
        }
        return nil
    }

    /// The entries of `enum toggl_status { … };`: one per line that starts with `TOGGL_`,
    /// `NAME = VALUE,` followed by its `/**< … */` description (which may span lines).
    static func statusEnum(in header: String) throws -> [StatusEntry] {
        guard let open = header.firstRange(of: "enum toggl_status {"),
              let close = header[open.upperBound...].firstRange(of: "};")
        else { throw Problem(description: "include/toggl.h has no `enum toggl_status { … };`") }
        let block = header[open.upperBound..<close.lowerBound]
        var entries: [(code: String, doc: String)] = []
        for line in block.split(separator: "\n") {
            let text = trimmed(String(line))
            if text.hasPrefix("TOGGL_") {
                if let doc = text.firstRange(of: "/**<") {
                    entries.append((String(text[..<doc.lowerBound]), String(text[doc.upperBound...])))
                } else {
                    entries.append((text, ""))
                }
            } else if !entries.isEmpty, !text.isEmpty {
                entries[entries.count - 1].doc += " " + text
            } else if !text.isEmpty {
                throw Problem(description: "unexpected line in enum toggl_status: \(text)")
            }
        }
        return try entries.map { entry in
            var code = trimmed(entry.code)
            if code.hasSuffix(",") { code.removeLast() }
            let sides = code.split(separator: "=").map { trimmed(String($0)) }
            guard sides.count == 2, let value = Int32(sides[1]) else {
                throw Problem(description: "enum toggl_status entry is not `NAME = VALUE`: \(code)")
            }
            var doc = trimmed(entry.doc)
            if doc.hasSuffix("*/") { doc.removeLast(2) }
            return StatusEntry(name: sides[0], value: value, doc: trimmed(doc))
        }
    }

    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
