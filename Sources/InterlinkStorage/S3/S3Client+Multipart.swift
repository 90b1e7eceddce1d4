import NIOCore

extension S3Client {
    /// CreateMultipartUpload with the metadata as `x-amz-meta-*` headers, and `x-amz-checksum-algorithm: CRC32`
    /// when ``partChecksums`` is on.
    package func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession {
        let operation = "create upload \(describe(key))"
        var request = endpoint.request("POST", bucket: bucket, key: key, query: [("uploads", "")])
        request.headers += metadata.entries.map { ("x-amz-meta-\($0.name.lowercased())", $0.value) }
        let algorithm = partChecksums ? S3ChecksumTrailer.algorithm : nil
        if let algorithm { request.headers.append(("x-amz-checksum-algorithm", algorithm)) }
        let response = try await send(operation, request)
        guard let uploadID = XMLText.value(of: "UploadId", in: response.text[...]), !uploadID.isEmpty else {
            throw StorageError(.malformedResponse("no UploadId"), operation: operation)
        }
        return UploadSession(key: key, uploadID: uploadID, metadata: metadata, checksumAlgorithm: algorithm)
    }

    /// UploadPart; one 10-minute budget covers all attempts.
    package func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart {
        let operation = "upload part \(part.number) of \(describe(session.key))"
        var request = endpoint.request(
            "PUT",
            bucket: bucket,
            key: session.key,
            query: [("partNumber", String(part.number)), ("uploadId", try uploadID(of: session, operation))]
        )
        defer { part.streamed?.abandonLive() }
        // An upload created with CRC32 needs each part's checksum: a streamed part's follows it in a trailer, a
        // part in memory is summed before it is sent.
        let checksummed = session.checksumAlgorithm == S3ChecksumTrailer.algorithm
        let streamedChecksum = checksummed && part.streamed != nil ? ChecksumBox() : nil
        var checksum: String?
        if checksummed, part.streamed == nil {
            let sum = S3ChecksumTrailer.checksum(of: part.bytes)
            request.headers.append((S3ChecksumTrailer.name, sum))
            checksum = sum
        }
        let response = try await send(
            operation,
            request,
            body: part.streamed == nil ? part.bytes : nil,
            streamed: part.streamed,
            checksum: streamedChecksum,
            budget: partBudget
        )
        guard let etag = response.header("ETag"), !etag.isEmpty else {
            throw StorageError(.malformedResponse("no ETag"), operation: operation)
        }
        if let streamedChecksum { checksum = streamedChecksum.value.withLock { $0 } }
        return CompletedPart(number: part.number, tag: etag, size: Int64(part.length), checksum: checksum)
    }

    /// CompleteMultipartUpload, after checking exactly N parts and E bytes.
    package func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws {
        let operation = "complete upload \(describe(session.key))"
        let sorted = try validatedParts(parts, totalBytes: totalBytes, operation: operation)
        var xml = "<CompleteMultipartUpload>"
        let checksummed = session.checksumAlgorithm == S3ChecksumTrailer.algorithm
        for part in sorted {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(XMLText.escape(part.tag))</ETag>"
            if checksummed {
                guard let checksum = part.checksum else {
                    throw StorageError(
                        .checkpointMismatch("part \(part.number) has no CRC32 checksum, which its upload requires"),
                        operation: operation
                    )
                }
                xml += "<ChecksumCRC32>\(XMLText.escape(checksum))</ChecksumCRC32>"
            }
            xml += "</Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let request = endpoint.request(
            "POST",
            bucket: bucket,
            key: session.key,
            query: [("uploadId", try uploadID(of: session, operation))]
        )
        let response = try await send(operation, request, body: ByteBuffer(string: xml))
        // S3 may answer 200 with an <Error> body when completion fails late.
        let text = response.text[...]
        if text.contains("<Error>") {
            let code = XMLText.value(of: "Code", in: text)
            throw StorageError(
                .service(status: response.status, code: code, message: XMLText.value(of: "Message", in: text)),
                operation: operation
            )
        }
    }

    /// How many times an abort is sent before its failure is given up on.
    static let abortAttempts = 4

    /// AbortMultipartUpload, sent even from a cancelled task; a missing upload counts as aborted.
    ///
    /// An upload left behind keeps its parts' storage, billed, until a lifecycle rule removes it, so a network
    /// failure or a transient service error (5xx, throttling) is tried again, up to ``abortAttempts`` times with the
    /// retrier's backoff. Cancellation cuts the pauses short but not the attempts: this is the cleanup of a failed
    /// or cancelled upload.
    package func abortUpload(_ session: UploadSession) async throws {
        let operation = "abort upload \(describe(session.key))"
        let request = endpoint.request(
            "DELETE",
            bucket: bucket,
            key: session.key,
            query: [("uploadId", try uploadID(of: session, operation))]
        )
        var attempt = 1
        while true {
            let failure: StorageError
            do {
                let lease = try await credentials.current()
                let response = try await transport.sendIgnoringCancellation(
                    sign(request, body: nil, credentials: lease.value),
                    timeout: .seconds(60)
                )
                if response.isSuccess || response.status == 404 { return }
                failure = Self.failure(response, operation: operation)
            } catch let error as StorageError {
                failure = error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = StorageError(.transport(String(describing: error)), operation: operation)
            }
            guard failure.errorClass == .network || failure.errorClass == .retryable, attempt < Self.abortAttempts
            else { throw failure }
            try? await retrier.clock.sleep(
                for: retrier.policy.backoff(beforeRetry: attempt, unitRandom: retrier.unitRandom())
            )
            attempt += 1
        }
    }

    /// ListParts, following `NextPartNumberMarker` until the listing is complete.
    package func listParts(of session: UploadSession) async throws -> [CompletedPart] {
        let operation = "list parts of \(describe(session.key))"
        let uploadID = try uploadID(of: session, operation)
        var parts: [CompletedPart] = []
        var marker: String?
        repeat {
            var query = [("uploadId", uploadID), ("max-parts", "1000")]
            if let marker { query.append(("part-number-marker", marker)) }
            let response = try await send(
                operation,
                endpoint.request("GET", bucket: bucket, key: session.key, query: query),
                maxBodyBytes: 8 << 20
            )
            let text = response.text[...]
            for element in XMLText.elements(named: "Part", in: text) {
                guard let number = XMLText.value(of: "PartNumber", in: element).flatMap({ Int($0) }),
                    let tag = XMLText.value(of: "ETag", in: element),
                    let size = XMLText.value(of: "Size", in: element).flatMap({ Int64($0) })
                else { throw StorageError(.malformedResponse("incomplete <Part>"), operation: operation) }
                let checksum = XMLText.value(of: "ChecksumCRC32", in: element)
                parts.append(CompletedPart(number: number, tag: tag, size: size, checksum: checksum))
            }
            let truncated = XMLText.value(of: "IsTruncated", in: text) == "true"
            marker = truncated ? XMLText.value(of: "NextPartNumberMarker", in: text) : nil
        } while marker != nil
        return parts
    }

    private func uploadID(of session: UploadSession, _ operation: String) throws -> String {
        guard let uploadID = session.uploadID else {
            throw StorageError(.checkpointMismatch("an S3 upload needs an upload id"), operation: operation)
        }
        return uploadID
    }
}
