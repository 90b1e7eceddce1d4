import CCurl
import Glibc

/// The easy-handle options of one request.
enum CurlOptions {
    /// Sets the URL, method, headers, body length, timeouts, buffers, TLS and proxy of a request.
    ///
    /// - Returns: The header list, which must stay alive until the handle is freed.
    static func apply(
        _ request: CurlTransfer.Prepared,
        configuration: HTTPClient.Configuration,
        to easy: OpaquePointer
    ) -> UnsafeMutablePointer<curl_slist>? {
        _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        // The path goes out as given: S3 and Azure sign it, so curl must not squash `..` or `.` segments.
        _ = ccurl_easy_setopt_long(easy, CURLOPT_PATH_AS_IS, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if request.followsRedirects {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
            _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
            _ = ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        } else {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        }
        // An empty string offers every encoding this libcurl decodes and decodes the body for the caller.
        if request.acceptsCompressedResponses { _ = ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "") }
        _ = ccurl_easy_setopt_long(easy, CURLOPT_BUFFERSIZE, 512 << 10)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD_BUFFERSIZE, 2 << 20)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(request.timeoutMilliseconds, 1))
        _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMilliseconds)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        switch request.method {
        case "HEAD":
            _ = ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        case "GET" where request.uploadLength == nil:
            break
        default:
            _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let length = request.uploadLength {
            // Never CURLOPT_POST: curl would add a form Content-Type, which signatures cover.
            _ = ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
            _ = ccurl_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(length))
        }
        applyTLSAndProxy(configuration, to: easy)
        var list: UnsafeMutablePointer<curl_slist>?
        var hasAccept = false
        var hasContentType = false
        for (name, value) in request.headers {
            hasAccept = hasAccept || name.lowercased() == "accept"
            hasContentType = hasContentType || name.lowercased() == "content-type"
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // No 100-continue round trip, no default Accept, and no Content-Type the caller did not set.
        list = curl_slist_append(list, "Expect:")
        if !hasAccept { list = curl_slist_append(list, "Accept:") }
        if !hasContentType { list = curl_slist_append(list, "Content-Type:") }
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        return list
    }

    /// Sets the CA file and the proxy from the configuration, never from curl's own environment lookup.
    private static func applyTLSAndProxy(_ configuration: HTTPClient.Configuration, to easy: OpaquePointer) {
        if let caFile = configuration.caFile { _ = ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, caFile) }
        guard let proxy = configuration.proxy else {
            // An empty proxy turns off curl's reading of http_proxy and friends.
            _ = ccurl_easy_setopt_string(easy, CURLOPT_PROXY, "")
            return
        }
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROXY, "http://\(proxy.host):\(proxy.port)")
        if let authorization = proxy.authorization {
            _ = ccurl_easy_setopt_string(easy, CURLOPT_PROXYUSERNAME, authorization.username)
            _ = ccurl_easy_setopt_string(easy, CURLOPT_PROXYPASSWORD, authorization.password)
        }
        _ = ccurl_easy_setopt_string(easy, CURLOPT_NOPROXY, configuration.noProxy ?? "")
    }
}

/// Maps libcurl's result codes to ``HTTPClientError``.
enum CurlErrors {
    /// The error for a failed transfer.
    ///
    /// - Parameters:
    ///   - code: curl's result.
    ///   - easy: The handle, for the proxy's CONNECT status and whether a connection was made.
    ///   - message: curl's error buffer.
    /// - Returns: The error.
    static func error(for code: CURLcode, easy: OpaquePointer, message: String) -> HTTPClientError {
        let text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        var connectCode = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_HTTP_CONNECTCODE, &connectCode)
        if connectCode == 407 { return .proxyAuthenticationRequired }
        switch code {
        case CURLE_COULDNT_CONNECT:
            var osError = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osError)
            return HTTPClientError(.connectFailed(osError == Int(ECONNREFUSED) ? text + " (connection refused)" : text))
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPClientError(.connectFailed(text + " (DNS: the name does not resolve)"))
        case CURLE_OPERATION_TIMEDOUT:
            var connectedAt: curl_off_t = 0
            _ = ccurl_easy_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connectedAt)
            return connectedAt == 0 && text.lowercased().contains("connect") ? .connectTimeout : .deadlineExceeded
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return .remoteConnectionClosed
        case CURLE_SEND_ERROR:
            return HTTPClientError(.sendFailed(text))
        case CURLE_RECV_ERROR:
            return HTTPClientError(.receiveFailed(text))
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return HTTPClientError(.tlsFailed(text))
        case CURLE_TOO_MANY_REDIRECTS:
            return HTTPClientError(.tooManyRedirects)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError(.invalidURL(text))
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            return .cancelled
        case CURLE_READ_ERROR:
            return HTTPClientError(.uploadFailed(text))
        default:
            return HTTPClientError(.transport(code: Int(code.rawValue), message: text))
        }
    }
}
