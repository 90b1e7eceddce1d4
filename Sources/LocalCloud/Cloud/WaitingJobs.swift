import InterlinkCore

/// The wanted jobs that wait for cores, in submit order: what ``LocalCloud/serve()`` starts next.
///
/// A binary min-heap of `(submit sequence, job)` with at most one entry per job. Entries are not removed when a
/// job stops waiting (it is claimed, stopped, or changed by another instance): the caller checks each entry it
/// takes against the job's record and drops the stale ones. So taking the next job costs O(log n), not a scan of
/// every waiting job, which made a run of n jobs quadratic (a 10,000-job run looked at up to 10,000 records at
/// each of its ~30,000 events).
struct WaitingJobs {
    /// One waiting job.
    struct Entry: Hashable {
        /// Its submit sequence (the order jobs start in).
        var sequence: Int
        /// The job.
        var id: JobID
    }

    private var heap: [Entry] = []
    /// The sequence each job has an entry under.
    private var entered: [JobID: Int] = [:]

    /// The number of entries, stale ones included.
    var count: Int { heap.count }

    /// Adds a job unless it has an entry under this sequence already.
    mutating func insert(_ entry: Entry) {
        guard entered[entry.id] != entry.sequence else { return }
        entered[entry.id] = entry.sequence
        heap.append(entry)
        siftUp(heap.count - 1)
    }

    /// Takes out the entry with the lowest sequence (ties by job id, so the order never depends on insertion).
    mutating func popFirst() -> Entry? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        if entered[first.id] == first.sequence { entered[first.id] = nil }
        return first
    }

    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.sequence != b.sequence ? a.sequence < b.sequence : a.id.rawValue < b.id.rawValue
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let smaller = right < heap.count && Self.precedes(heap[right], heap[left]) ? right : left
            guard Self.precedes(heap[smaller], heap[parent]) else { return }
            heap.swapAt(smaller, parent)
            parent = smaller
        }
    }
}
