import Foundation
import InterlinkTestSupport
import NIOCore

@testable import InterlinkStorage

/// A transport that returns scripted responses in order and records every request.
final class ScriptedTransport: StorageTransport, @unchecked Sendable {
    // Invariant: `replies` and `requests` are only touched under `lock`.
    enum Reply {
        case response(StorageResponse)
        case failure(any Error)
    }
    private let lock = NSLock()
    private var replies: [Reply]
    private var recorded: [StorageRequest] = []

    init(_ replies: [Reply]) { self.replies = replies }

    var requests: [StorageRequest] { lock.withLock { recorded } }

    func send(_ request: StorageRequest, timeout: Duration, maxBodyBytes: Int) async throws -> StorageResponse {
        let reply: Reply? = lock.withLock {
            recorded.append(request)
            return replies.isEmpty ? nil : replies.removeFirst()
        }
        switch reply {
        case .response(let response): return response
        case .failure(let error): throw error
        case nil:
            return StorageResponse(status: 500, body: ByteBuffer(string: "<Error><Code>OutOfScript</Code></Error>"))
        }
    }

    func sendIgnoringCancellation(_ request: StorageRequest, timeout: Duration) async throws -> StorageResponse {
        try await send(request, timeout: timeout, maxBodyBytes: 1 << 20)
    }

    static func error(_ status: Int, code: String) -> Reply {
        .response(
            StorageResponse(
                status: status,
                body: ByteBuffer(string: "<Error><Code>\(code)</Code><Message>scripted</Message></Error>")
            )
        )
    }

    static func ok(headers: [(String, String)] = [], body: String = "") -> Reply {
        .response(StorageResponse(status: 200, headers: headers, body: ByteBuffer(string: body)))
    }
}

/// A credential provider that counts fetches and hands out numbered keys.
actor CountingProvider: StorageCredentialProvider {
    private(set) var fetches = 0
    let expiresIn: TimeInterval?
    let clock: ManualWallClock
    let delay: Duration

    init(clock: ManualWallClock, expiresIn: TimeInterval? = nil, delay: Duration = .zero) {
        self.clock = clock
        self.expiresIn = expiresIn
        self.delay = delay
    }

    func fetchCredential() async throws -> (value: AWSCredentials, expiration: Date?) {
        fetches += 1
        if delay > .zero { try await Task.sleep(for: delay) }
        let expiration = expiresIn.map { clock.now().addingTimeInterval($0) }
        return (AWSCredentials(accessKeyID: "AKID\(fetches)", secretAccessKey: "secret\(fetches)"), expiration)
    }
}
