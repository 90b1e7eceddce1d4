import NIOCore
import Synchronization

/// Large buffers handed back after use, so the next body or chunk of about the same size reuses their memory.
///
/// A buffer of 1 MiB or more lies above the allocator's fixed mmap threshold: each new one is a fresh mapping that
/// the kernel faults in and zero-fills, and that goes back to the kernel when freed. On a virtual machine that
/// reports freed memory to its host (free page reporting, as here), touching such memory again costs a fault in the
/// host too: a 1 GiB download's 16 MiB range bodies spent a third of its CPU zero-filling pages
/// (`clear_page_erms`). Two users:
/// - a streamed upload's 1 MiB chunks (``PartChunks`` in InterlinkStorage), one pool per upload;
/// - response bodies collected whole (``HTTPClientResponse/Body/collect(upTo:)``): a caller that sets
///   ``responseBodies`` for its task tree gets its large bodies filled into buffers from that pool, and hands each
///   back when done with it (a ranged download, one pool per download).
///
/// Buffers come back first in, first out, so the one handed out is the one returned longest ago. If something still
/// holds a buffer handed back, writing into it copies it first (ByteBuffer's copy on write), which is what a new
/// buffer cost anyway: recycling never changes any bytes, only where they live.
package final class BufferPool: Sendable {
    private struct State {
        var spares: [ByteBuffer] = []
        var reused = 0
    }

    private let state = Mutex(State())
    /// The most buffers kept.
    package let depth: Int
    /// The smallest capacity kept: a smaller buffer handed back is dropped.
    package let smallest: Int

    /// The pool whose buffers large response bodies of the current task tree are collected into; nil (the default)
    /// collects each into new memory.
    @TaskLocal package static var responseBodies: BufferPool?

    /// Creates an empty pool.
    ///
    /// - Parameters:
    ///   - depth: The most buffers kept; more come back while the users are ahead and are dropped.
    ///   - smallest: The smallest capacity worth keeping. A streamed upload's consumer hands back every buffer it
    ///     sent, the few bytes of framing a transport puts around the chunks too (S3's `aws-chunked` prefix and
    ///     trailer); kept, such a buffer would take the place of a chunk, and the next chunk would be new memory.
    package init(depth: Int = 8, smallest: Int = 0) {
        self.depth = Swift.max(depth, 1)
        self.smallest = smallest
    }

    /// The oldest buffer handed back, emptied, when it has room for `capacity` bytes.
    ///
    /// - Parameter capacity: The room needed.
    /// - Returns: A recycled buffer, or `nil` when none fits (the one too small is dropped).
    package func take(capacity: Int) -> ByteBuffer? {
        // Emptied where it is taken out, while it is the only reference: a second copy of the buffer (such as an
        // optional bound after the lock) would make `clear()` allocate new storage instead of reusing this one.
        state.withLock { state -> ByteBuffer? in
            guard !state.spares.isEmpty else { return nil }
            var buffer = state.spares.removeFirst()
            guard buffer.capacity >= capacity else { return nil }
            buffer.clear()
            state.reused += 1
            return buffer
        }
    }

    /// Keeps a buffer for reuse, unless the pool is full or the buffer is smaller than ``smallest``.
    ///
    /// - Parameter buffer: A buffer nobody writes to any more.
    package func give(_ buffer: ByteBuffer) {
        guard buffer.capacity >= smallest else { return }
        state.withLock { state in
            if state.spares.count < depth { state.spares.append(buffer) }
        }
    }

    /// How many buffers the pool holds now (for tests).
    package var count: Int { state.withLock { $0.spares.count } }

    /// How many buffers ``take(capacity:)`` has handed out again (for tests and benches).
    package var reuseCount: Int { state.withLock { $0.reused } }
}
