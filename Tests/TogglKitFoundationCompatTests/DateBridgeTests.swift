import Foundation
import Testing
import TogglKit
import TogglKitFoundationCompat

@Suite struct DateBridgeTests {
    @Test func timestampToDateAndBack() throws {
        let timestamp = try #require(TogglTimestamp("2024-12-11T12:13:57.25-05:30"))
        #expect(timestamp.date == Date(timeIntervalSince1970: 1_733_939_037.25))
        let back = TogglTimestamp(timestamp.date)
        #expect(back == timestamp)
        #expect(back.rawValue == "2024-12-11T17:43:57.25Z")
    }

    @Test func plainDatesAreMidnightUTC() throws {
        let date = try #require(TogglTimestamp("2017-08-28")).date
        #expect(date == Date(timeIntervalSince1970: 1_503_878_400))
    }

    @Test func unrepresentableDatesClamp() {
        #expect(TogglTimestamp(Date.distantFuture).rawValue == "4001-01-01T00:00:00Z")
        #expect(TogglTimestamp(Date(timeIntervalSince1970: 1e15)).rawValue.hasPrefix("9999-"))
        #expect(TogglTimestamp(Date(timeIntervalSince1970: .infinity)).rawValue.hasPrefix("9999-"))
    }
}
