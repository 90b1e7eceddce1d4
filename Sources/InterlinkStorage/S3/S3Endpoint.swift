/// Where an S3 bucket lives and how its URLs are built.
package enum S3Endpoint: Sendable, Equatable {
    /// AWS itself, virtual-hosted: `https://<bucket>.s3[-fips].<region>.amazonaws.com/<key>`.
    case aws(region: String, fips: Bool)
    /// A custom endpoint (moto, the emulator, MinIO), path-style: `<endpoint>/<bucket>/<key>`.
    case custom(scheme: String, host: String, port: Int?)

    /// The endpoint the AWS tools would pick: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, else AWS.
    ///
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - region: The bucket's region.
    ///   - fips: Whether to use the FIPS hosts (ITAR platforms).
    /// - Returns: The endpoint; a malformed URL in the environment is ignored in favour of AWS.
    package static func resolve(environment: [String: String], region: String, fips: Bool) -> S3Endpoint {
        override(environment: environment) ?? .aws(region: region, fips: fips)
    }

    /// The endpoint the environment names (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`), if any.
    ///
    /// - Parameter environment: The process environment.
    /// - Returns: The custom endpoint, or nil when neither variable holds a usable URL.
    package static func override(environment: [String: String]) -> S3Endpoint? {
        for name in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] {
            if let value = environment[name], !value.isEmpty, let endpoint = custom(url: value) { return endpoint }
        }
        return nil
    }

    /// Parses `scheme://host[:port][/]` into a custom endpoint.
    ///
    /// - Parameter url: The endpoint URL.
    /// - Returns: `nil` when it has no `http` or `https` scheme or no host.
    package static func custom(url: String) -> S3Endpoint? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let authority = url[separator.upperBound...].prefix { $0 != "/" }
        guard !authority.isEmpty else { return nil }
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            return .custom(scheme: scheme, host: String(authority[..<colon]), port: port)
        }
        return .custom(scheme: scheme, host: String(authority), port: nil)
    }

    /// A request skeleton for an object (or, with `key == nil`, the bucket) with the key encoded per segment.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - bucket: The bucket name.
    ///   - key: The object key, or `nil` for the bucket itself.
    ///   - query: Unencoded query items.
    /// - Returns: A request ready for headers and signing.
    package func request(
        _ method: String,
        bucket: String,
        key: ObjectKey?,
        query: [(String, String)] = []
    ) -> SignableRequest {
        let encodedKey = key.map { "/" + PercentEncoding.encode($0.rawValue, keepingSlashes: true) } ?? "/"
        switch self {
        case .aws(let region, let fips):
            let host = "\(bucket).\(fips ? "s3-fips" : "s3").\(region).amazonaws.com"
            return SignableRequest(method: method, scheme: "https", host: host, encodedPath: encodedKey, query: query)
        case .custom(let scheme, let host, let port):
            let path = "/" + PercentEncoding.encode(bucket) + (key == nil ? "" : encodedKey)
            return SignableRequest(
                method: method,
                scheme: scheme,
                host: host,
                port: port,
                encodedPath: path,
                query: query
            )
        }
    }
}
