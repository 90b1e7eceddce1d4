#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a readers–writer lock, for state that many threads read at once and seldom change.
///
/// Readers do not wait for one another, and a waiting thread sleeps instead of spinning. `Mutex` spins before it
/// sleeps: when more threads than cores read the same few entries (the common parent of 10,000 run directories),
/// a thread preempted while holding it leaves the others spinning, and a cold plan's lookups used a third of their
/// CPU time so.
package final class ReadMostlyLock<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only reached with `lock` held, shared for reads and exclusive for writes.
    private var value: Value
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    /// Creates a lock around a value.
    ///
    /// - Parameter value: The initial value.
    package init(_ value: Value) {
        self.value = value
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        precondition(pthread_rwlock_init(lock, nil) == 0, "pthread_rwlock_init failed")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    /// Reads the value with the lock shared.
    ///
    /// - Parameter body: Reads the value; must not take this lock again.
    /// - Returns: What `body` returns.
    package func read<T>(_ body: (borrowing Value) throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    /// Changes the value with the lock held alone.
    ///
    /// - Parameter body: Changes the value; must not take this lock again.
    /// - Returns: What `body` returns.
    package func write<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value)
    }
}
