import NIOCore

extension AzureBlobClient {
    /// Returns a session without calling Azure: blocks are staged under the blob name.
    ///
    /// The metadata waits for the commit.
    package func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession {
        UploadSession(key: key, uploadID: nil, metadata: metadata)
    }

    /// Put Block with the spec's block id; the part's tag is the block id.
    package func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart {
        let blockID = Self.blockID(forPart: part.number)
        defer { part.streamed?.abandonLive() }
        _ = try await send(
            "put block \(part.number) of \(describe(session.key))",
            "PUT",
            blob: session.key,
            query: [("comp", "block"), ("blockid", blockID)],
            body: part.streamed == nil ? part.bytes : ByteBuffer(),
            streamed: part.streamed
        )
        return CompletedPart(number: part.number, tag: blockID, size: Int64(part.length))
    }

    /// Put Block List (`Latest`, in part order) with the metadata as `x-ms-meta-*`, after checking the parts are numbered 1…N and add up to the total.
    package func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws {
        let operation = "put block list of \(describe(session.key))"
        let sorted = try validatedParts(parts, totalBytes: totalBytes, operation: operation)
        let items = sorted.map { "<Latest>\(XMLText.escape(Self.blockID(forPart: $0.number)))</Latest>" }.joined()
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>\(items)</BlockList>"
        _ = try await send(
            operation,
            "PUT",
            blob: session.key,
            query: [("comp", "blocklist")],
            headers: metaHeaders(session.metadata),
            body: ByteBuffer(string: xml)
        )
    }

    /// Nothing to do: Azure discards uncommitted blocks after about a week.
    package func abortUpload(_ session: UploadSession) async throws {}

    /// Get Block List (uncommitted), mapping spec block ids back to part numbers; the tag is the block id.
    package func listParts(of session: UploadSession) async throws -> [CompletedPart] {
        let operation = "get block list of \(describe(session.key))"
        let response = try await send(
            operation,
            "GET",
            blob: session.key,
            query: [("comp", "blocklist"), ("blocklisttype", "uncommitted")],
            maxBodyBytes: 16 << 20
        )
        let text = response.text[...]
        let uncommitted = XMLText.elements(named: "UncommittedBlocks", in: text).first ?? ""
        return XMLText.elements(named: "Block", in: uncommitted).compactMap { block in
            guard let name = XMLText.value(of: "Name", in: block), let number = Self.partNumber(ofBlockID: name),
                let size = XMLText.value(of: "Size", in: block).flatMap({ Int64($0) })
            else { return nil }
            return CompletedPart(number: number, tag: name, size: size)
        }
    }

    /// Put Blob (`x-ms-blob-type: BlockBlob`) with the metadata.
    package func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws {
        _ = try await send(
            "put blob \(describe(key))",
            "PUT",
            blob: key,
            headers: [("x-ms-blob-type", "BlockBlob")] + metaHeaders(metadata),
            body: bytes
        )
    }

    /// Get Blob Properties (`HEAD`); metadata names are matched case-insensitively.
    package func properties(of key: ObjectKey) async throws -> ObjectProperties {
        let operation = "get properties of \(describe(key))"
        let response = try await send(operation, "HEAD", blob: key)
        guard let size = response.header("Content-Length").flatMap({ Int64($0) }) else {
            throw StorageError(.malformedResponse("no Content-Length"), operation: operation)
        }
        return ObjectProperties(
            size: size,
            metadata: .from(headers: response.headers, prefix: "x-ms-meta-"),
            etag: response.header("ETag")
        )
    }

    /// Get Blob with `x-ms-range: bytes=first-last`.
    package func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer {
        let operation = "read bytes \(range.lowerBound)-\(range.upperBound) of \(describe(key))"
        let expected = Int(range.upperBound - range.lowerBound + 1)
        let response = try await send(
            operation,
            "GET",
            blob: key,
            headers: [("x-ms-range", "bytes=\(range.lowerBound)-\(range.upperBound)")],
            maxBodyBytes: expected
        )
        guard response.body.readableBytes == expected else {
            throw StorageError(
                .byteCountMismatch(expected: Int64(expected), actual: Int64(response.body.readableBytes)),
                operation: operation,
                errorClass: .network
            )
        }
        return response.body
    }

    private func metaHeaders(_ metadata: ObjectMetadata) -> [(String, String)] {
        metadata.entries.map { ("x-ms-meta-\($0.name.lowercased())", $0.value) }
    }
}
