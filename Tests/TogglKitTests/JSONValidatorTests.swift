import CJansson
import Testing
@testable import TogglKit
import TestSupport

/// The tree-less validator behind the raw surfaces must accept exactly what jansson accepts,
/// so a C caller parsing what libtoggl hands over with jansson never meets a rejected document.
@Suite struct JSONValidatorTests {
    static func janssonAccepts(_ bytes: [UInt8]) -> Bool {
        var error = json_error_t()
        let parsed: UnsafeMutablePointer<json_t>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                json_loadb($0.baseAddress, $0.count, Int(JSON_DECODE_ANY | JSON_ALLOW_NUL), &error)
            }
        }
        guard let parsed else { return false }
        toggl_json_decref(parsed)
        return true
    }

    static func validatorAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONValidator.validate(bytes)) != nil
    }

    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let jansson = janssonAccepts(bytes)
        #expect(validatorAccepts(bytes) == jansson,
                "jansson \(jansson ? "accepts" : "rejects") \(String(decoding: bytes.prefix(80), as: UTF8.self).debugDescription)",
                sourceLocation: sourceLocation)
    }

    static let edgeCases: [String] = [
        "", " ", "1", "-0", "-", "01", "1.", ".5", "1.5", "1e", "1e+5", "1E-400", "1E400", "-1e309",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "true", "false", "null", "nul", "truex", "True", "\"\"", "\"a\\u0000b\"", "\"\\uD800\"",
        "\"\\uD800\\uDC00\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\\uD800x\"", "\"\\u12G4\"", "\"\\x\"",
        "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"tab\there\"", "\"unterminated", "[1,]", "[,1]", "[1 2]", "[", "]",
        "[[]]", "[[],[{}]]", "{}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{1:2}", "{\"a\":1}{}", "{}{}",
        "[] ", " \t\r\n[ 1 , { \"x\" : [ null ] } ]\n", "\u{FEFF}{}", "[true false]", "[-]", "[1e5.3]",
        "\"é ✓ 😀\"", "[0.0e+0, -0.1E-1]", "{\"\":\"\"}", "[\"\\u00e9\"]",
    ]

    @Test(arguments: edgeCases)
    func edgeCase(_ text: String) {
        Self.expectAgreement(Array(text.utf8))
    }

    @Test func invalidUTF8AndRawBytes() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x00, 0x22], [0x5B, 0x00, 0x5D], [0xFF],
            [0x22, 0xE2, 0x9C, 0x93, 0x22],
        ] {
            Self.expectAgreement(bytes)
        }
    }

    @Test func nestingDepthLimit() {
        for depth in [2047, 2048, 2049] {
            Self.expectAgreement(Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
            Self.expectAgreement(Array((String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)).utf8))
            Self.expectAgreement(Array((String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)).utf8))
        }
    }

    @Test(arguments: ["me.json", "time_entry_current_running.json", "edge/quota_nulls.json"])
    func everyTruncationAndMutationOfAFixture(_ name: String) throws {
        let bytes = try Fixtures.bytes(name)
        #expect(Self.validatorAccepts(bytes) && Self.janssonAccepts(bytes))
        for end in 0..<bytes.count {
            Self.expectAgreement(Array(bytes[..<end]))
        }
        let replacements: [UInt8] = Array("\"\\,:}]{[0e-.u ".utf8) + [0x01, 0xFF]
        for position in stride(from: 0, to: bytes.count, by: 2) {
            for replacement in replacements where bytes[position] != replacement {
                var mutated = bytes
                mutated[position] = replacement
                Self.expectAgreement(mutated)
            }
        }
    }

    @Test func everyRecordedSampleIsAccepted() throws {
        for name in ["me_with_related_data.json", "projects.json", "clients.json", "features.json", "location.json",
                     "me_put.json", "projects_paginated.json", "time_entry_current_none.json"] {
            let bytes = try Fixtures.bytes(name)
            #expect(Self.validatorAccepts(bytes), "\(name)")
        }
    }

    @Test func shapesForTheRawSurfaces() throws {
        try JSONValidator.check(Array("{}".utf8), as: .object)
        try JSONValidator.check(Array(" [] ".utf8), as: .array)
        try JSONValidator.check(Array("null".utf8), as: .objectOrNull)
        try JSONValidator.check([], as: .objectOrNull)
        try JSONValidator.check(Array("anything".utf8), as: .empty)
        let wrong = #expect(throws: TogglError.self) { try JSONValidator.check(Array("[]".utf8), as: .object) }
        #expect(wrong?.message == "expected a JSON object but the response is an array")
        let empty = #expect(throws: TogglError.self) { try JSONValidator.check([], as: .array) }
        #expect(empty?.message == "empty response body where JSON was expected")
        let cut = #expect(throws: TogglError.self) { try JSONValidator.check(Array("{\"id\": 1, \"fullname\": ".utf8), as: .object) }
        #expect(cut?.code == .decode)
        #expect(cut?.message.hasPrefix("malformed JSON") == true)
    }
}

/// The in-place UTF-8 check says what the standard library's validation says.
@Suite struct UTF8CheckTests {
    static func agree(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer(UTF8Check.isValid) == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func edgesOfEveryForm() {
        let cases: [[UInt8]] = [
            [], [0x41], [0x7F], [0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x9F, 0x80],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xE2, 0x82], [0xE2, 0x82, 0x41], Array("plain ascii longer than eight".utf8),
            Array("mixed é€😀 and more ascii".utf8), Array("eight!!!é".utf8), [0xFF], [0xC3],
        ]
        for bytes in cases { #expect(Self.agree(bytes), "\(bytes)") }
    }

    @Test func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xA0, 0x9F, 0x8F, 0x90]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            #expect(Self.agree(bytes), "\(bytes)")
        }
    }
}
