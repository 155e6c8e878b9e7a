import CCurl

/// URLs parsed by libcurl's own parser (curl_url), so that what is accepted here is exactly what
/// a transfer will accept later.
enum CurlURL {
    /// Scheme, host and port: two URLs of one origin may share credentials (RFC 6454).
    struct Origin: Equatable {
        let scheme: String
        let host: String
        let port: String
    }

    /// Why libcurl refuses `url`, or nil when it parses (port range, IPv6 brackets, characters).
    static func problem(with url: String) -> String? {
        guard let handle = curl_url() else { return "libcurl could not allocate a URL handle" }
        defer { curl_url_cleanup(handle) }
        let code = curl_url_set(handle, CURLUPART_URL, url, 0)
        guard code == CURLUE_OK else { return curl_url_strerror(code).map { String(cString: $0) } ?? "malformed URL" }
        return nil
    }

    /// The origin of an absolute http(s) URL; nil when libcurl cannot parse it.
    static func origin(of url: String) -> Origin? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart, _ flags: UInt32) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME, 0), let host = part(CURLUPART_HOST, 0),
              let port = part(CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)) else { return nil }
        return Origin(scheme: scheme.lowercased(), host: host.lowercased(), port: port)
    }
}
