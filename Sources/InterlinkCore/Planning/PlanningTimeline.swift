import Synchronization

/// Where the time of loading and planning a spec goes, phase by phase.
///
/// Each phase has its wall-clock time and the CPU time of the whole process (every thread that lists and hashes
/// inputs included); the timeline also keeps how many input files the plan read. `rescale-int plan --timings`
/// prints it, and so does `plan-bench` beside each plan it times.
///
/// Loading and planning end each phase with ``end(_:)`` as it finishes, on the thread that plans; the phases are then
/// the spans between consecutive ends, the first from the timeline's creation.
package final class PlanningTimeline: Sendable {
    /// One phase: what it did, and how long it took.
    package struct Phase: Sendable, Equatable {
        /// What the phase did, such as "list and hash the inputs".
        package var name: String
        /// Its wall-clock time, in seconds.
        package var wall: Double
        /// The CPU time of the whole process during it, in seconds (above `wall` when several threads ran).
        package var cpu: Double
    }

    /// A reading of the clock: the wall-clock time and the process's CPU time, both in seconds from any origin.
    package typealias Reading = (wall: Double, cpu: Double)

    private let clock: @Sendable () -> Reading
    private let state: Mutex<(last: Reading, phases: [Phase], filesRead: Int?)>

    /// Starts a timeline now.
    ///
    /// - Parameter clock: Reads the wall-clock time and the process's CPU time (InterlinkSystem's
    ///   `PlanningTimeline.system()` reads the monotonic clock and `CLOCK_PROCESS_CPUTIME_ID`).
    package init(clock: @escaping @Sendable () -> Reading) {
        self.clock = clock
        self.state = Mutex((clock(), [], nil))
    }

    /// Ends the current phase, naming it, and starts the next.
    package func end(_ name: String) {
        let now = clock()
        state.withLock { state in
            state.phases.append(Phase(name: name, wall: now.wall - state.last.wall, cpu: now.cpu - state.last.cpu))
            state.last = now
        }
    }

    /// Records how many input files the plan read (the rest the stat cache vouched for).
    package func noteFilesRead(_ count: Int) {
        state.withLock { $0.filesRead = count }
    }

    /// The phases ended so far, in order.
    package var phases: [Phase] { state.withLock { $0.phases } }

    /// How many input files the plan read, once known.
    package var filesRead: Int? { state.withLock { $0.filesRead } }

    /// The phases as a table for people: one line per phase with its wall-clock and CPU time, then the total.
    ///
    /// ```
    /// where the time went          wall       CPU
    ///   read the spec             0.061 s   0.061 s
    ///   ...
    ///   total                     1.173 s   1.848 s
    /// 10000 input files read (the rest known from the stat cache)
    /// ```
    package func rendered() -> String {
        let phases = self.phases
        let width = max(24, (phases.map(\.name.count).max() ?? 0) + 2)
        func line(_ name: String, _ wall: Double, _ cpu: Double) -> String {
            let padded = "  " + name + String(repeating: " ", count: max(1, width - name.count))
            return padded + Self.seconds(wall) + "  " + Self.seconds(cpu)
        }
        var lines = ["where the time went" + String(repeating: " ", count: width - 13) + "wall       CPU"]
        lines += phases.map { line($0.name, $0.wall, $0.cpu) }
        lines.append(line("total", phases.reduce(0) { $0 + $1.wall }, phases.reduce(0) { $0 + $1.cpu }))
        if let filesRead {
            let noun = filesRead == 1 ? "file" : "files"
            lines.append("\(filesRead) input \(noun) read (the rest known from the stat cache)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0.061 s`, right-aligned to 8 columns.
    static func seconds(_ value: Double) -> String {
        let milliseconds = Int((max(0, value) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        let text = "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
        return String(repeating: " ", count: max(0, 8 - text.count)) + text
    }
}
