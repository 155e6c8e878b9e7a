import Foundation
import TogglKit

extension TogglTimestamp {
    /// The instant as a Foundation `Date` (sub-microsecond precision may be lost to `Double`).
    public var date: Date {
        Date(timeIntervalSince1970: Double(secondsSinceEpoch) + Double(nanoseconds) / 1_000_000_000)
    }

    /// The instant of `date`, formatted in UTC (`2024-12-11T17:43:57.206072Z`).
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, let seconds = Int64(exactly: interval.rounded(.down)) else {
            // Out of any representable range: the initializer clamps to year 0000 / 9999.
            self.init(secondsSinceEpoch: interval < 0 ? Int64.min : Int64.max)
            return
        }
        let whole = interval.rounded(.down)
        let nanos = Int32(((interval - whole) * 1_000_000_000).rounded())
        self.init(secondsSinceEpoch: seconds, nanoseconds: nanos)
    }
}
