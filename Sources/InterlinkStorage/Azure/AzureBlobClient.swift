import Foundation
import Logging
import NIOCore

/// An Azure Blob client for one container, authorised by a SAS token, with the storage retry loop (``StorageRetrier``).
///
/// Blob URLs are `<accountURL>/<container>/<blob>?<op query>&<sas>`. `accountURL` is
/// `https://<account>.blob.core.windows.net` on Azure or `http://127.0.0.1:<port>/<account>` for the emulator.
package struct AzureBlobClient: ObjectStore {
    /// The transport every request goes through.
    package var transport: any StorageTransport
    /// The account's blob endpoint, without a trailing slash.
    package var accountURL: String
    /// The container (`connectionSettings.container` or `pathParts.container`).
    package var container: String
    /// The shared SAS token cache; refreshed on `AuthenticationFailed` and before `expiration`.
    package var credentials: CredentialCache<AzureSAS>
    /// The retry loop.
    package var retrier: StorageRetrier
    /// The `x-ms-version` header; the token's `sv` governs authentication.
    package var version = "2023-11-03"
    /// The per-attempt timeout of reads, and the budget of one block upload (10 minutes).
    package var attemptTimeout: Duration = .seconds(600)

    /// Creates a client.
    package init(
        transport: any StorageTransport,
        accountURL: String,
        container: String,
        credentials: CredentialCache<AzureSAS>,
        retrier: StorageRetrier
    ) {
        self.transport = transport
        self.accountURL = accountURL.hasSuffix("/") ? String(accountURL.dropLast()) : accountURL
        self.container = container
        self.credentials = credentials
        self.retrier = retrier
    }

    /// The spec's block id for a 1-based part: base64 of `block-` and the 0-based index as 10 digits.
    ///
    /// - Parameter partNumber: The 1-based part number.
    /// - Returns: E.g. `YmxvY2stMDAwMDAwMDAwMA==` for part 1.
    package static func blockID(forPart partNumber: Int) -> String {
        let digits = String(partNumber - 1)
        let padded = String(repeating: "0", count: max(0, 10 - digits.count)) + digits
        return Data("block-\(padded)".utf8).base64EncodedString()
    }

    /// The 1-based part number a spec block id names, or `nil` for foreign ids.
    package static func partNumber(ofBlockID blockID: String) -> Int? {
        guard let data = Data(base64Encoded: blockID) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("block-"), let index = Int(text.dropFirst(6)) else { return nil }
        return index + 1
    }

    /// Sends one request to a blob under the retry loop, with the current SAS appended to the query.
    func send(
        _ operation: String,
        _ method: String,
        blob: ObjectKey,
        query: [(String, String)] = [],
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil,
        streamed: StreamedPartBody? = nil,
        maxBodyBytes: Int = 1 << 20
    ) async throws -> StorageResponse {
        let cache = credentials
        let box = SASLeaseBox()
        let base =
            "\(accountURL)/\(PercentEncoding.encode(container))/"
            + PercentEncoding.encode(blob.rawValue, keepingSlashes: true)
        let refresh: @Sendable () async throws -> Void = {
            if let stale = await box.lease { _ = try await cache.refresh(replacing: stale) }
        }
        let budget: Duration? = body == nil ? nil : attemptTimeout
        return try await retrier.run(operation, budget: budget, refreshCredentials: refresh) { _ in
            let lease = try await cache.current()
            await box.set(lease)
            let ownQuery = PercentEncoding.query(query)
            let sas = lease.value.token
            let separator = ownQuery.isEmpty || sas.isEmpty ? "" : "&"
            let url = base + "?" + ownQuery + separator + sas
            var request = StorageRequest(
                method: method,
                url: url,
                headers: [("x-ms-version", version)] + headers,
                body: streamed == nil ? body : nil
            )
            let response: StorageResponse
            do {
                if let streamed {
                    response = try await streamed.attempt { chunks in
                        request.stream = (streamed.length, chunks)
                        return try await transport.send(request, timeout: attemptTimeout, maxBodyBytes: maxBodyBytes)
                    }
                } else {
                    response = try await transport.send(request, timeout: attemptTimeout, maxBodyBytes: maxBodyBytes)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw StorageError(.transport(String(describing: error)), operation: operation)
            }
            guard response.isSuccess else { throw Self.failure(response, operation: operation) }
            return response
        }
    }

    /// The error for a non-2xx response, with `x-ms-error-code` or the XML `<Code>`.
    static func failure(_ response: StorageResponse, operation: String) -> StorageError {
        let text = response.text[...]
        let code = response.header("x-ms-error-code") ?? XMLText.value(of: "Code", in: text)
        let message = XMLText.value(of: "Message", in: text)?.split(separator: "\n").first.map(String.init)
        return StorageError(.service(status: response.status, code: code, message: message), operation: operation)
    }

    func describe(_ blob: ObjectKey) -> String { "'\(container)/\(blob)'" }
}

/// Remembers which SAS lease the latest attempt used.
actor SASLeaseBox {
    private(set) var lease: CredentialLease<AzureSAS>?
    func set(_ lease: CredentialLease<AzureSAS>) { self.lease = lease }
}
