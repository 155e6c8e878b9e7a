import CCurl

/// One transfer on a pooled handle pair: sets every option the request needs, drives the
/// transfer until it ends or the call is cancelled, collects the final response's headers and
/// body, and enforces the size cap while streaming.
struct CurlTransfer {
    let slot: TransferSlot
    let share: CurlShare
    let request: HTTPRequest
    let control: CallControl

    private var handle: UnsafeMutableRawPointer { slot.easy }

    init(slot: TransferSlot, share: CurlShare, request: HTTPRequest, control: CallControl) {
        self.slot = slot
        self.share = share
        self.request = request
        self.control = control
    }

    func run() -> Result<HTTPResponse, TransportFailure> {
        // Reset keeps the handle's live connections and caches but clears the last request's options.
        curl_easy_reset(handle)
        let sink = ResponseSink(limit: request.maxResponseBytes)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        headerList = curl_slist_append(headerList, "Accept: application/json")
        headerList = curl_slist_append(headerList, "Expect:")
        if request.body != nil {
            headerList = curl_slist_append(headerList, "Content-Type: application/json")
        }

        var refusedOption: String?
        var multiFailure: String?
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorStorage in
            // An option libcurl refuses is a missing feature of this libcurl, never the caller's
            // doing (the configuration was validated): remember which one, to say so.
            func set(_ name: String, _ result: CURLcode) {
                if result != CURLE_OK, refusedOption == nil { refusedOption = name }
            }

            set("CURLOPT_SHARE", toggl_curl_easy_setopt_share(handle, share.raw))
            set("CURLOPT_ERRORBUFFER", toggl_curl_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorStorage.baseAddress))
            set("CURLOPT_NOSIGNAL", toggl_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set("CURLOPT_URL", toggl_curl_easy_setopt_string(handle, CURLOPT_URL, request.url))
            set("CURLOPT_PROTOCOLS_STR", toggl_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
            // Redirects are followed by the executor, which knows the method and the origin rule.
            set("CURLOPT_FOLLOWLOCATION", toggl_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
            // libcurl sends CURLOPT_USERNAME/PASSWORD only to the original scheme, host and port
            // unless this is set; a custom Authorization header would not get that protection.
            set("CURLOPT_UNRESTRICTED_AUTH", toggl_curl_easy_setopt_long(handle, CURLOPT_UNRESTRICTED_AUTH, 0))
            set("CURLOPT_HTTPAUTH", toggl_curl_easy_use_basic_auth(handle))
            set("CURLOPT_USERNAME", toggl_curl_easy_setopt_string(handle, CURLOPT_USERNAME, request.credentials.user))
            set("CURLOPT_PASSWORD", toggl_curl_easy_setopt_string(handle, CURLOPT_PASSWORD, request.credentials.password))
            set("CURLOPT_USERAGENT", toggl_curl_easy_setopt_string(handle, CURLOPT_USERAGENT, request.userAgent))
            set("CURLOPT_ACCEPT_ENCODING", toggl_curl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
            set("CURLOPT_HTTPHEADER", toggl_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
            set("CURLOPT_SSL_VERIFYPEER", toggl_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
            set("CURLOPT_SSL_VERIFYHOST", toggl_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
            if let caFile = request.caFile {
                set("CURLOPT_CAINFO", toggl_curl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile))
            }
            set("CURLOPT_TIMEOUT_MS", toggl_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.clampedMilliseconds))
            set("CURLOPT_CONNECTTIMEOUT_MS", toggl_curl_easy_setopt_long(
                handle, CURLOPT_CONNECTTIMEOUT_MS, min(request.connectTimeout, request.timeout).clampedMilliseconds))
            if let lowSpeed = request.lowSpeedLimit {
                set("CURLOPT_LOW_SPEED_LIMIT", toggl_curl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, lowSpeed.bytesPerSecond))
                set("CURLOPT_LOW_SPEED_TIME", toggl_curl_easy_setopt_long(
                    handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(lowSpeed.duration.components.seconds))))
            }
            set("CURLOPT_MAXFILESIZE_LARGE", toggl_curl_easy_setopt_off(
                handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes)))
            set("CURLOPT_WRITEFUNCTION", toggl_curl_easy_setopt_datacb(handle, CURLOPT_WRITEFUNCTION, responseBodyCallback))
            set("CURLOPT_WRITEDATA", toggl_curl_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, sinkPointer))
            set("CURLOPT_HEADERFUNCTION", toggl_curl_easy_setopt_datacb(handle, CURLOPT_HEADERFUNCTION, responseHeaderCallback))
            set("CURLOPT_HEADERDATA", toggl_curl_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, sinkPointer))
            if request.method == .put {
                // libcurl silently resends a request whose reused connection turns out dead; a PUT
                // may already have been applied, so it gets a connection of its own instead.
                set("CURLOPT_FRESH_CONNECT", toggl_curl_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1))
                set("CURLOPT_CUSTOMREQUEST", toggl_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "PUT"))
                let body = request.body ?? []
                set("CURLOPT_POSTFIELDSIZE_LARGE", toggl_curl_easy_setopt_off(
                    handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                body.withUnsafeBytes { bytes in
                    set("CURLOPT_COPYPOSTFIELDS", toggl_curl_easy_setopt_ptr(
                        handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)))
                }
            } else {
                set("CURLOPT_HTTPGET", toggl_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
            }
            if refusedOption != nil { return CURLE_FAILED_INIT }
            let (result, failure) = withExtendedLifetime(sink) { drive() }
            multiFailure = failure
            return result
        }

        if code == CURLE_ABORTED_BY_CALLBACK, control.isCancelled {
            return .failure(TransportFailure(kind: .cancelled, message: "the call was cancelled"))
        }
        if let multiFailure {
            return .failure(TransportFailure(kind: .other, message: multiFailure))
        }
        if let refusedOption {
            return .failure(TransportFailure(
                kind: .unsupported, message: "this libcurl (\(Self.libcurlVersion)) refused \(refusedOption)"))
        }
        if sink.headerOverflow {
            return .failure(TransportFailure(
                kind: .tooLarge, message: "response headers are larger than \(ResponseHead.maxBytes) bytes"))
        }
        if sink.exceeded || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(TransportFailure(
                kind: .tooLarge,
                message: "response is larger than the configured maximum of \(request.maxResponseBytes) bytes"))
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
            let text = detail.isEmpty ? curl_easy_strerror(code).map { String(cString: $0) } ?? "libcurl error" : detail
            return .failure(TransportFailure(kind: Self.kind(of: code), message: text))
        }
        var status = 0
        _ = toggl_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var redirectURL: String?
        if (300..<400).contains(status) {
            var target: UnsafeMutablePointer<CChar>?
            if toggl_curl_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &target) == CURLE_OK, let target {
                redirectURL = String(cString: target)
            }
        }
        return .success(HTTPResponse(status: status, headers: sink.head.headers, body: sink.body, redirectURL: redirectURL))
    }

    /// Runs the transfer on the slot's multi handle until it ends. A cancel wakes the poll; the
    /// transfer is then removed, which closes its connection if it was mid-response.
    /// CURLE_ABORTED_BY_CALLBACK stands for "cancelled" (no callback of ours aborts).
    /// A failure of the multi interface itself comes back as its message.
    private func drive() -> (CURLcode, String?) {
        let multi = slot.multi.raw
        guard curl_multi_add_handle(multi, handle) == CURLM_OK else {
            return (CURLE_FAILED_INIT, "libcurl could not start the transfer")
        }
        defer { _ = curl_multi_remove_handle(multi, handle) }
        var result = CURLE_OK
        while true {
            if control.isCancelled { return (CURLE_ABORTED_BY_CALLBACK, nil) }
            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            guard performed == CURLM_OK else { return (CURLE_FAILED_INIT, Self.multiError(performed)) }
            if toggl_curl_multi_done(multi, handle, &result) != 0 { return (result, nil) }
            // libcurl lowers the timeout to its own next deadline (timeouts, retransmits).
            let polled = curl_multi_poll(multi, nil, 0, 1000, nil)
            guard polled == CURLM_OK else { return (CURLE_FAILED_INIT, Self.multiError(polled)) }
        }
    }

    private static func multiError(_ code: CURLMcode) -> String {
        curl_multi_strerror(code).map { "libcurl: " + String(cString: $0) } ?? "libcurl multi error \(code.rawValue)"
    }

    static var libcurlVersion: String {
        curl_version().map { String(cString: $0) } ?? "unknown version"
    }

    static func kind(of code: CURLcode) -> TransportFailure.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            .connect
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING:
            .broken
        case CURLE_OPERATION_TIMEDOUT:
            .timeout
        // The URL was checked when it was configured, so these come from the peer's answer:
        // an HTTP/0.9 or otherwise unparsable status line, a status libcurl will not take.
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_WEIRD_SERVER_REPLY:
            .notHTTP
        case CURLE_NOT_BUILT_IN, CURLE_UNKNOWN_OPTION, CURLE_FUNCTION_NOT_FOUND:
            .unsupported
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            .tls
        default:
            .other
        }
    }
}

/// Where libcurl's callbacks put the response; lives for one transfer on one thread.
private final class ResponseSink {
    /// Content-Length is a claim, not a fact: at most this much is reserved up front.
    static let maxReservation = 4 << 20

    let limit: Int64
    var body: [UInt8] = []
    var head = ResponseHead()
    var exceeded = false
    var headerOverflow = false

    init(limit: Int64) { self.limit = limit }
}

private let responseBodyCallback: toggl_curl_data_cb = { data, size, count, user in
    guard let user else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    // Abort while streaming: returning less than `length` makes libcurl stop with CURLE_WRITE_ERROR.
    if Int64(sink.body.count) + Int64(length) > sink.limit {
        sink.exceeded = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

private let responseHeaderCallback: toggl_curl_data_cb = { data, size, count, user in
    guard let user else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    let wasComplete = sink.head.isComplete
    let accepted = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.head.consume(UnsafeBufferPointer(start: $0, count: length))
    }
    guard accepted else {
        sink.headerOverflow = true
        return 0
    }
    // Size the buffer once instead of growing (and copying) it while a large body streams in,
    // but never trust the header for more than a small allocation.
    if !wasComplete, sink.head.isComplete,
       let announced = HeaderNumber.nonNegative(sink.head.header("content-length"), max: sink.limit), announced > 0 {
        sink.body.reserveCapacity(Int(min(announced, Int64(ResponseSink.maxReservation))))
    }
    return length
}
