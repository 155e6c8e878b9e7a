/// A typed result and what decoding it dropped (empty when the response matched the models).
public struct Decoded<Value> {
    /// The decoded value, without what was dropped.
    public var value: Value
    /// What was dropped, in the order decoding met it.
    public var issues: [DecodingIssue]

    /// A value and its issues (for test doubles and caches).
    public init(value: Value, issues: [DecodingIssue] = []) {
        self.value = value
        self.issues = issues
    }
}

extension Decoded: Sendable where Value: Sendable {}
