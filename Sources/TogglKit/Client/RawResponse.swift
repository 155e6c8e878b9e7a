/// The raw outcome of a successful call: the server's body and what it took to get it.
public struct RawResponse: Sendable {
    public var status: Int
    /// The body exactly as received, except that an empty body where `null` is documented reads `null`.
    public var body: [UInt8]
    /// How many times the request was retried before this response.
    public var retries: Int

    public var text: String { String(decoding: body, as: UTF8.self) }
}
