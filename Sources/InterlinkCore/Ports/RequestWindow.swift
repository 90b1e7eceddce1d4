import Foundation

/// How long a create or submit request this process sends can still be acted on by the platform.
///
/// A request sent just before a crash may reach the platform, and be acted on, after the process is gone. The
/// engine journals `timeout + settle` past the intent as the attempt's deadline, and a resumed run waits that
/// deadline out before it concludes from a lookup that the step never happened.
package struct RequestWindow: Hashable, Sendable {
    /// The longest one create or submit call (all its attempts) may take; no byte of it is sent later.
    package var timeout: Duration
    /// The time the platform may still take to act on a request it received just before the client gave up.
    package var settle: Duration

    /// Creates a window.
    ///
    /// - Parameters:
    ///   - timeout: The call's deadline, attempts included.
    ///   - settle: The margin after it.
    package init(timeout: Duration, settle: Duration) {
        self.timeout = timeout
        self.settle = settle
    }

    /// `timeout + settle`: how long after the intent a request it covers can still be acted on.
    package var total: Duration { timeout + settle }
}

/// The wall-clock time after which the step in progress may send no more requests (the engine sets it around a
/// create or submit call; the Rescale API client honours it).
package enum RequestBound {
    /// The latest time a request of the current step may still be on the wire; nil means unbounded.
    @TaskLocal package static var sendBy: Date?
}

/// The job a lookup by idempotency key found, and the duplicates it deleted.
package struct AdoptedJob: Hashable, Sendable {
    /// The job kept: the submitted one, else the oldest.
    package var job: JobID
    /// Unsubmitted jobs with the same marker that were deleted.
    package var removedDuplicates: [JobID]

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - job: The job kept.
    ///   - removedDuplicates: The duplicates deleted.
    package init(job: JobID, removedDuplicates: [JobID] = []) {
        self.job = job
        self.removedDuplicates = removedDuplicates
    }
}

extension Duration {
    /// The duration in seconds, as `Date` arithmetic takes it.
    package var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
