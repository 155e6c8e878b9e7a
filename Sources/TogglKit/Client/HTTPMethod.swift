/// The HTTP methods the "me" endpoints use.
public enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET"
    case put = "PUT"
}
