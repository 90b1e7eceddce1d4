import InterlinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PlanningTimeline {
    /// A timeline on this machine's clocks: the monotonic clock for wall-clock time, and the CPU time of the whole
    /// process (`CLOCK_PROCESS_CPUTIME_ID`: every thread's, the fan-out's that list and hash inputs included).
    package static func system() -> PlanningTimeline {
        PlanningTimeline {
            (wall: seconds(of: CLOCK_MONOTONIC), cpu: seconds(of: CLOCK_PROCESS_CPUTIME_ID))
        }
    }

    private static func seconds(of clock: clockid_t) -> Double {
        var now = timespec()
        clock_gettime(clock, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
