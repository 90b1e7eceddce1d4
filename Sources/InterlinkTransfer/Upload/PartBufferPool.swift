import Foundation
import Synchronization

/// Recycles the producer's part-sized ciphertext buffers, so each part is written into memory that is already
/// mapped instead of fresh pages the kernel must fault in and zero (a part of 32–64 MiB is above glibc's mmap
/// threshold, so every new one was an `mmap`, 8–16 thousand page faults, and an `munmap`).
///
/// A part's `Data` owns its buffer and hands it back here when released; the pool keeps at most `retained` idle
/// buffers and frees the rest, so memory stays bounded by the parts in flight plus `retained`.
final class PartBufferPool: Sendable {
    /// The size of every buffer in bytes.
    let capacity: Int
    private let retained: Int
    /// Idle buffers, as addresses: each was allocated with `capacity` bytes and is owned by the pool alone.
    private let idle = Mutex<[Int]>([])

    /// Creates an empty pool.
    ///
    /// - Parameters:
    ///   - capacity: The size of every buffer in bytes.
    ///   - retained: The most idle buffers kept for reuse.
    init(capacity: Int, retained: Int = 2) {
        self.capacity = capacity
        self.retained = retained
    }

    deinit {
        for address in idle.withLock({ $0 }) { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }

    /// An idle buffer, or a new one; the caller owns it until it passes it to ``wrap(_:count:)`` or ``recycle(_:)``.
    func take() -> UnsafeMutableRawBufferPointer {
        let reused = idle.withLock { $0.popLast() }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) {
            return UnsafeMutableRawBufferPointer(start: pointer, count: capacity)
        }
        return UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
    }

    /// Wraps the first `count` bytes of a taken buffer as `Data` that returns the buffer to the pool when released.
    func wrap(_ buffer: UnsafeMutableRawBufferPointer, count: Int) -> Data {
        guard let base = buffer.baseAddress else { return Data() }
        return Data(bytesNoCopy: base, count: count, deallocator: .custom { [self] pointer, _ in recycle(pointer) })
    }

    /// Returns a buffer taken from this pool: kept for reuse, or freed when enough are idle.
    func recycle(_ pointer: UnsafeMutableRawPointer) {
        let address = Int(bitPattern: pointer)
        let kept = idle.withLock { addresses in
            guard addresses.count < retained else { return false }
            addresses.append(address)
            return true
        }
        if !kept { pointer.deallocate() }
    }
}
