import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the appends of an append-only file durable in groups: one `fdatasync` covers every append written before
/// it started, however many callers wait for it (a group commit).
///
/// The writer (one serial context: an actor) writes an append with `write`, then takes a ticket with
/// ``noteWritten()``. A caller that needs the append durable awaits ``waitDurable(through:)``: the first waiter
/// becomes the leader and syncs on ``BlockingExecutor`` while further appends are written and queue behind it; when
/// its sync ends, every waiter whose append was written before the sync started resumes, and the first one still
/// waiting leads the next sync, which covers all the others. A waiter therefore never resumes before a sync that
/// started after its append was written has succeeded, and a crash between a write and its sync loses only appends
/// no caller was told were durable.
///
/// A failed sync fails every waiter and every later wait: after a failed `fdatasync` the kernel may have dropped
/// the dirty pages, so nothing written before it can be called durable.
package final class GroupCommit: Sendable {
    /// How a waiter goes on.
    private enum Turn: Sendable {
        case durable
        case lead
        case failed(Int32)
    }

    private struct State {
        /// Tickets given out: appends written.
        var written: UInt64 = 0
        /// Every ticket up to this one is durable.
        var durable: UInt64 = 0
        /// Whether a leader is syncing (or about to).
        var isSyncing = false
        /// Waiters by ticket, in arrival order.
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Turn, Never>)] = []
        /// The `errno` of a failed sync.
        var failure: Int32?
        /// Syncs done.
        var syncs = 0
    }

    private let state = Mutex(State())
    private let sync: @Sendable () -> Int32
    /// A duplicate of the file's descriptor, closed with this object (so a sync in flight never meets a descriptor
    /// its owner closed, or one reused for another file); -1 with a sync function.
    private let ownDescriptor: Int32

    /// Creates a group commit over a file (its own duplicate of the descriptor, so the owner may close its copy).
    ///
    /// - Parameter descriptor: The file's descriptor; synced with `fdatasync` (`fsync` where there is none).
    /// - Throws: ``SystemError`` when the descriptor cannot be duplicated.
    package convenience init(descriptor: Int32) throws(SystemError) {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw SystemError(path: "", operation: "duplicate the descriptor of", code: errno) }
        self.init(ownDescriptor: copy) {
            #if canImport(Glibc)
            fdatasync(copy) == 0 ? 0 : errno
            #else
            fsync(copy) == 0 ? 0 : errno
            #endif
        }
    }

    /// Creates a group commit around a sync function (tests count and delay syncs with it).
    ///
    /// - Parameter sync: Makes everything written so far durable; returns 0 or an `errno` value. It blocks, and runs
    ///   on ``BlockingExecutor``.
    package convenience init(sync: @escaping @Sendable () -> Int32) {
        self.init(ownDescriptor: -1, sync: sync)
    }

    private init(ownDescriptor: Int32, sync: @escaping @Sendable () -> Int32) {
        self.ownDescriptor = ownDescriptor
        self.sync = sync
    }

    deinit {
        if ownDescriptor >= 0 { _ = close(ownDescriptor) }
    }

    /// Records that one more append was written completely; call it right after the write, from the writer.
    ///
    /// - Returns: The append's ticket, for ``waitDurable(through:)``.
    package func noteWritten() -> UInt64 {
        state.withLock { state in
            state.written += 1
            return state.written
        }
    }

    /// The last ticket given out.
    package var lastWritten: UInt64 { state.withLock { $0.written } }

    /// Whether appends were written since the last successful sync.
    package var hasUnsyncedAppends: Bool { state.withLock { $0.durable < $0.written } }

    /// Syncs completed so far.
    package var syncCount: Int { state.withLock { $0.syncs } }

    /// Returns once the append with `ticket`, and every one before it, is durable.
    ///
    /// Not cancellable: the append is written already, and its caller must not go on to a side effect before it
    /// is durable.
    ///
    /// - Parameter ticket: A ticket from ``noteWritten()``.
    /// - Throws: `errno` of the failed sync as ``SystemError`` (path empty; the caller names its file).
    package func waitDurable(through ticket: UInt64) async throws(SystemError) {
        var turn = state.withLock { state -> Turn? in
            if let failure = state.failure { return .failed(failure) }
            if state.durable >= ticket { return .durable }
            if !state.isSyncing {
                state.isSyncing = true
                return .lead
            }
            return nil
        }
        if turn == nil {
            turn = await withCheckedContinuation { continuation in
                let immediate = state.withLock { state -> Turn? in
                    if let failure = state.failure { return .failed(failure) }
                    if state.durable >= ticket { return .durable }
                    if !state.isSyncing {
                        state.isSyncing = true
                        return .lead
                    }
                    state.waiters.append((ticket, continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        }
        switch turn {
        case .durable, .none: return
        case .failed(let code): throw SystemError(path: "", operation: "sync", code: code)
        case .lead: try await lead(ticket: ticket)
        }
    }

    /// Syncs everything written so far, then wakes the waiters it covered and hands the lead to the next one.
    private func lead(ticket: UInt64) async throws(SystemError) {
        let target = state.withLock { $0.written }
        let sync = sync
        let code = await Blocking.run { sync() }
        let (resumed, next) = state.withLock { state -> ([(UInt64, CheckedContinuation<Turn, Never>)], Turn?) in
            state.syncs += 1
            if code != 0 {
                state.failure = code
                state.isSyncing = false
                let all = state.waiters
                state.waiters = []
                return (all, .failed(code))
            }
            state.durable = max(state.durable, target)
            let durable = state.durable
            var covered = state.waiters.filter { $0.ticket <= durable }
            state.waiters.removeAll { $0.ticket <= durable }
            if state.waiters.isEmpty {
                state.isSyncing = false
            } else {
                // The next leader: still syncing, so nobody else starts a sync meanwhile.
                covered.append(state.waiters.removeFirst())
                return (covered, nil)
            }
            return (covered, .durable)
        }
        if let next {
            for (_, continuation) in resumed { continuation.resume(returning: next) }
        } else {
            for (_, continuation) in resumed.dropLast() { continuation.resume(returning: .durable) }
            resumed.last?.1.resume(returning: .lead)
        }
        if code != 0 { throw SystemError(path: "", operation: "sync", code: code) }
        precondition(ticket <= target, "a ticket is given out only after its append is written")
    }
}
