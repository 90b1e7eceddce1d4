import NIOCore

extension S3Client {
    /// Stores a small object with one `PUT` (legacy pre-encrypt mode, and tests).
    package func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws {
        var request = endpoint.request("PUT", bucket: bucket, key: key)
        request.headers += metadata.entries.map { ("x-amz-meta-\($0.name.lowercased())", $0.value) }
        _ = try await send("put \(describe(key))", request, body: bytes, budget: partBudget)
    }

    /// Reads size and metadata with `HEAD`; S3 returns metadata names in lower case, matched case-insensitively.
    package func properties(of key: ObjectKey) async throws -> ObjectProperties {
        let operation = "head \(describe(key))"
        let response = try await send(operation, endpoint.request("HEAD", bucket: bucket, key: key))
        guard let size = response.header("Content-Length").flatMap({ Int64($0) }) else {
            throw StorageError(.malformedResponse("no Content-Length"), operation: operation)
        }
        return ObjectProperties(
            size: size,
            metadata: .from(headers: response.headers, prefix: "x-amz-meta-"),
            etag: response.header("ETag")
        )
    }

    /// Reads an inclusive byte range with `Range: bytes=first-last`, the whole body inside one retry unit.
    package func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer {
        let operation = "read bytes \(range.lowerBound)-\(range.upperBound) of \(describe(key))"
        var request = endpoint.request("GET", bucket: bucket, key: key)
        request.headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)"))
        let expected = Int(range.upperBound - range.lowerBound + 1)
        let response = try await send(operation, request, maxBodyBytes: expected)
        guard response.body.readableBytes == expected else {
            throw StorageError(
                .byteCountMismatch(expected: Int64(expected), actual: Int64(response.body.readableBytes)),
                operation: operation,
                errorClass: .network
            )
        }
        return response.body
    }
}

extension S3Client {
    /// CreateBucket in the client's region (for custom endpoints such as moto and the emulator).
    package func createBucket() async throws {
        var body: ByteBuffer?
        if case .aws(let region, _) = endpoint, region != "us-east-1" {
            body = ByteBuffer(
                string: "<CreateBucketConfiguration><LocationConstraint>\(region)</LocationConstraint>"
                    + "</CreateBucketConfiguration>"
            )
        }
        _ = try await send("create bucket '\(bucket)'", endpoint.request("PUT", bucket: bucket, key: nil), body: body)
    }
}
