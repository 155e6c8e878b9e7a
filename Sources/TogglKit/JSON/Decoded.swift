/// A typed result and what decoding it dropped (empty when the response matched the models).
public struct Decoded<Value> {
    public var value: Value
    public var issues: [DecodingIssue]

    public init(value: Value, issues: [DecodingIssue] = []) {
        self.value = value
        self.issues = issues
    }
}

extension Decoded: Sendable where Value: Sendable {}
