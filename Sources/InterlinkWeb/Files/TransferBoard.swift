import Foundation
import Synchronization

/// One upload or download the Files or Jobs tab started, as the page shows it.
package struct TransferState: Sendable, Codable, Hashable {
    /// The transfer's id on this board (`t1`, `t2`, …).
    package var id: String
    /// `upload` or `download`.
    package var direction: String
    /// The file's name.
    package var name: String
    /// Where it goes: a folder id for an upload, a path under the study directory for a download.
    package var target: String
    /// Bytes moved so far.
    package var bytes: Int64
    /// The total, when known.
    package var total: Int64?
    /// The rate over the last seconds, bytes per second.
    package var rate: Double
    /// Seconds left at that rate, when it can be told.
    package var eta: Double?
    /// `running`, `done` or `failed` (words, not colours, on the page).
    package var state: String
    /// Why it failed.
    package var error: String?
}

/// The transfers of the UI's session and their progress, with rate and ETA; every change reaches the event bus as
/// a `transfer` event (at most one per transfer each 250 ms while it runs), and the page also reads the board.
///
/// Progress arrives from the transfer's own task through a synchronous callback, so the state sits behind a
/// `Mutex` and publishing never waits.
package final class TransferBoard: Sendable {
    private struct Entry {
        var state: TransferState
        var samples: [(time: ContinuousClock.Instant, bytes: Int64)]
        var published: ContinuousClock.Instant?
    }

    private struct State {
        var next = 1
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let publish: @Sendable (TransferState) -> Void
    /// How many finished transfers are kept for the page.
    private let keep = 100

    /// Creates a board.
    ///
    /// - Parameter publish: Sends a changed transfer to the event bus; called without any lock held.
    package init(publish: @escaping @Sendable (TransferState) -> Void) {
        self.publish = publish
    }

    /// Every transfer, newest first.
    package var transfers: [TransferState] {
        state.withLock { state in state.order.reversed().compactMap { state.entries[$0]?.state } }
    }

    /// Adds a running transfer.
    ///
    /// - Parameters:
    ///   - direction: `upload` or `download`.
    ///   - name: The file's name.
    ///   - target: Where it goes.
    ///   - total: Its size, when known.
    /// - Returns: The transfer's id.
    package func start(_ direction: String, name: String, target: String, total: Int64?) -> String {
        let started = state.withLock { state -> TransferState in
            let id = "t\(state.next)"
            state.next += 1
            let transfer = TransferState(
                id: id,
                direction: direction,
                name: name,
                target: target,
                bytes: 0,
                total: total,
                rate: 0,
                eta: nil,
                state: "running",
                error: nil
            )
            state.entries[id] = Entry(state: transfer, samples: [(.now, 0)], published: .now)
            state.order.append(id)
            let finished = state.order.filter { state.entries[$0]?.state.state != "running" }
            for old in finished.dropLast(keep) {
                state.entries[old] = nil
                state.order.removeAll { $0 == old }
            }
            return transfer
        }
        publish(started)
        return started.id
    }

    /// Records progress; the rate is measured over the last two seconds.
    ///
    /// - Parameters:
    ///   - id: The transfer.
    ///   - bytes: Bytes moved so far.
    ///   - total: The total, when known.
    package func update(_ id: String, bytes: Int64, total: Int64?) {
        let now = ContinuousClock.now
        let changed = state.withLock { state -> TransferState? in
            guard var entry = state.entries[id] else { return nil }
            entry.samples.append((now, bytes))
            while entry.samples.count > 2, let first = entry.samples.first, now - first.time > .seconds(2) {
                entry.samples.removeFirst()
            }
            entry.state.bytes = bytes
            entry.state.total = total ?? entry.state.total
            if let first = entry.samples.first, now > first.time {
                let elapsed =
                    Double((now - first.time).components.attoseconds) / 1e18
                    + Double((now - first.time).components.seconds)
                entry.state.rate = max(0, Double(bytes - first.bytes) / elapsed)
            }
            if let total = entry.state.total, entry.state.rate > 0 {
                entry.state.eta = Double(max(0, total - bytes)) / entry.state.rate
            }
            let due = entry.published.map { now - $0 >= .milliseconds(250) } ?? true
            if due { entry.published = now }
            state.entries[id] = entry
            return due ? entry.state : nil
        }
        if let changed { publish(changed) }
    }

    /// Marks a transfer done or failed.
    ///
    /// - Parameters:
    ///   - id: The transfer.
    ///   - error: Why it failed, or nil when it succeeded.
    package func finish(_ id: String, error: String? = nil) {
        let finished = state.withLock { state -> TransferState? in
            guard var entry = state.entries[id] else { return nil }
            entry.state.state = error == nil ? "done" : "failed"
            entry.state.error = error
            entry.state.eta = error == nil ? 0 : nil
            if error == nil, let total = entry.state.total { entry.state.bytes = total }
            state.entries[id] = entry
            return entry.state
        }
        if let finished { publish(finished) }
    }

    /// Runs a transfer on the board: starts it, passes `body` a progress callback, and marks it done or failed.
    ///
    /// - Parameters:
    ///   - direction: `upload` or `download`.
    ///   - name: The file's name.
    ///   - target: Where it goes.
    ///   - total: Its size, when known.
    ///   - body: The transfer.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (the transfer is marked failed first).
    package func run<T: Sendable>(
        _ direction: String,
        name: String,
        target: String,
        total: Int64?,
        _ body: (@escaping @Sendable (Int64, Int64?) -> Void) async throws -> T
    ) async throws -> T {
        let id = start(direction, name: name, target: target, total: total)
        do {
            let value = try await body { [self] bytes, total in update(id, bytes: bytes, total: total) }
            finish(id)
            return value
        } catch {
            finish(id, error: "\(error)")
            throw error
        }
    }
}
