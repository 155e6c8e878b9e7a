/// The raw outcome of a successful call: the server's body and what it took to get it.
public struct RawResponse: Sendable {
    /// The HTTP status of the final response.
    public var status: Int
    /// The body exactly as received, except that an empty body where `null` is documented reads `null`.
    public var body: [UInt8]
    /// How many times the request was retried before this response.
    public var retries: Int
    /// The final response's `Date` header as sent, nil when it had none: the server's clock,
    /// which a sync's watermark comes from.
    package var serverDate: String? = nil

    /// The body as text (it is UTF-8: the validator checked it).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
