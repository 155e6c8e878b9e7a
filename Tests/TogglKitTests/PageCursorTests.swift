import Testing
@testable import TogglKit

/// The page cursor the core computes for every surface (DESIGN.md's rule), without a server.
@Suite struct PageCursorTests {
    @Test func nextStartProjectID() throws {
        let full = Array(#"[{"id": 5}, {"id": 9.0}]"#.utf8)
        #expect(try PageRequest.nextStartProjectID(after: full, perPage: 2) == 10)
        #expect(try PageRequest.nextStartProjectID(after: full, perPage: 3) == nil)
        #expect(try PageRequest.nextStartProjectID(after: Array("[]".utf8), perPage: 3) == nil)
        #expect(try PageRequest.nextStartProjectID(after: Array(#"[{"x":1}]"#.utf8), perPage: 1) == nil, "no id: the last page")
        #expect(throws: TogglError.self) { try PageRequest.nextStartProjectID(after: Array("{}".utf8), perPage: 1) }
    }
}
