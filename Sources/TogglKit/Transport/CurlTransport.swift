import CCurl

/// Runs one HTTP exchange over libcurl's easy interface.
///
/// Easy handles are pooled: each keeps its own live connection, so a client that makes many calls
/// (from one thread or many) reuses TCP+TLS connections instead of handshaking per request.
/// One share handle per transport adds a common DNS cache and TLS session cache. The connection
/// cache itself is not put in the share: libcurl does not support sharing connections between
/// concurrent threads (CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT).
final class CurlTransport: Sendable {
    private let share: CurlShare
    private let idle = Locked<[EasyHandle]>([])
    private static let maxIdleHandles = 16

    init() throws(TogglError) {
        guard curlGlobalInit == CURLE_OK else {
            throw TogglError(.internal, "libcurl could not be initialised")
        }
        share = try CurlShare()
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.raw) }
            handles.removeAll()
        }
    }

    func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        guard let handle = checkout() else {
            return .failure(TransportFailure(kind: .other, message: "libcurl could not create a handle"))
        }
        defer { checkin(handle) }
        return CurlTransfer(handle: handle.raw, share: share, request: request).run()
    }

    private func checkout() -> EasyHandle? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return curl_easy_init().map(EasyHandle.init)
    }

    private func checkin(_ handle: EasyHandle) {
        let kept = idle.withLock { handles in
            guard handles.count < Self.maxIdleHandles else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.raw) }
    }
}

/// A `CURL *`. Only ever used by one thread at a time: it is either in the idle pool or checked out.
struct EasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Swift initialises globals once, thread-safely, which is what curl_global_init needs.
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
