/// A value typed decoding dropped: where it was and why.
///
/// The real API's field types drift (an `estimated_hours` of `7.5` where the reference says
/// integer); such a value decodes as absent, the rest of the response decodes, and the drop is
/// reported here so the caller can log it.
public struct DecodingIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where, e.g. `projects[31].estimated_hours` (`top level` for the document itself).
    public var path: String
    /// Why, e.g. `expected an integer that fits Int64, found the number 7.5 (dropped)`.
    public var reason: String

    /// An issue as a test double would build it.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
