internal import CLibcrypto
import Synchronization

/// The state of one running digest, with value semantics: copy-on-write of a libcrypto `EVP_MD_CTX`.
///
/// Copies share one context until one of them is updated, which then gets its own copy of the state
/// (`EVP_MD_CTX_copy_ex`). The context is only touched under its lock, so copies may live in different tasks.
struct IncrementalDigest: Sendable {
    private var shared: SharedDigestContext

    /// A digest that has seen no bytes.
    ///
    /// - Parameter algorithm: The algorithm.
    init(_ algorithm: DigestAlgorithm) { shared = SharedDigestContext(DigestContext(algorithm)) }

    /// Hashes more bytes in place.
    ///
    /// - Parameter bytes: The next bytes of the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if !isKnownUniquelyReferenced(&shared) { shared = shared.copy() }
        shared.update(bytes)
    }

    /// The digest of everything so far, finished on a copy so that this digest can keep going.
    ///
    /// - Returns: The algorithm's `byteCount` bytes.
    func finalize() -> [UInt8] { shared.finalize() }
}

/// One `EVP_MD_CTX`, freed when the value ends.
///
/// Noncopyable, so exactly one owner frees the context; it is not `Sendable` (it holds a C pointer) and lives
/// inside `SharedDigestContext`'s mutex.
struct DigestContext: ~Copyable {
    private let context: OpaquePointer
    private let algorithm: DigestAlgorithm

    /// A context started for `algorithm`.
    ///
    /// - Parameter algorithm: The algorithm.
    init(_ algorithm: DigestAlgorithm) {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("libcrypto could not allocate a digest") }
        guard EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
            EVP_MD_CTX_free(context)
            preconditionFailure("libcrypto could not start a \(algorithm) digest")
        }
        self.context = context
        self.algorithm = algorithm
    }

    /// An independent context in the same state as `source`.
    ///
    /// - Parameter source: The context to copy.
    init(copying source: borrowing DigestContext) {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("libcrypto could not allocate a digest") }
        guard EVP_MD_CTX_copy_ex(context, source.context) == 1 else {
            EVP_MD_CTX_free(context)
            preconditionFailure("libcrypto could not copy a \(source.algorithm) digest")
        }
        self.context = context
        algorithm = source.algorithm
    }

    /// Hashes more bytes, read in place.
    ///
    /// - Parameter bytes: The next bytes of the message.
    func update(_ bytes: borrowing RawSpan) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress,
                EVP_DigestUpdate(context, base, buffer.count) == 1
            else { preconditionFailure("EVP_DigestUpdate failed for \(algorithm)") }
        }
    }

    /// Finishes the digest; the context is consumed.
    ///
    /// - Returns: The algorithm's `byteCount` bytes.
    consuming func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        let status = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        guard status == 1, Int(length) == algorithm.byteCount else {
            preconditionFailure("EVP_DigestFinal_ex failed for \(algorithm)")
        }
        return digest
    }

    deinit { EVP_MD_CTX_free(context) }
}

/// A `DigestContext` behind a mutex, shared by copies of one `IncrementalDigest` until one of them writes.
///
/// `Sendable` because the mutex owns the context: every use of the C pointer happens under the lock, and the
/// context is freed when the last copy lets go. Uncontended in practice (a writer holds the only reference), so the
/// lock costs an atomic operation per update.
final class SharedDigestContext: Sendable {
    private let context: Mutex<DigestContext>

    /// Takes ownership of a context.
    ///
    /// - Parameter context: The context.
    init(_ context: consuming sending DigestContext) { self.context = Mutex(context) }

    /// An independent copy of the current state.
    ///
    /// - Returns: A new shared context.
    func copy() -> SharedDigestContext { SharedDigestContext(context.withLock { DigestContext(copying: $0) }) }

    /// Hashes more bytes, read in place.
    ///
    /// - Parameter bytes: The next bytes, non-empty.
    func update(_ bytes: UnsafeRawBufferPointer) {
        // A span is a Sendable view of memory the caller keeps alive for the call, so the lock's closure may
        // read it; the raw pointer itself could not cross into the mutex's region.
        let span = bytes.bytes
        context.withLock { $0.update(span) }
    }

    /// The digest of everything so far, finished on a copy of the state.
    ///
    /// - Returns: The algorithm's `byteCount` bytes.
    func finalize() -> [UInt8] { context.withLock { DigestContext(copying: $0) }.finish() }
}
