import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import LocalCloud

/// What `runs rm` and `gc` share: the strings kept runs' journals mention, the run lock's holder, and the report.
enum LocalStateSweep {
    /// Every string value in the journals of `runs` (file ids, job ids, object names among them); lines that do
    /// not parse (a torn last line of an active run) are skipped.
    ///
    /// - Parameter runs: The kept runs' directories.
    /// - Returns: The strings.
    static func mentionedStrings(in runs: [RunDirectory]) -> Set<String> {
        var strings = Set<String>()
        for run in runs {
            guard let text = try? String(contentsOfFile: run.journalPath, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                guard let value = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { continue }
                collect(value, into: &strings)
            }
        }
        return strings
    }

    private static func collect(_ value: Any, into strings: inout Set<String>) {
        switch value {
        case let text as String: strings.insert(text)
        case let array as [Any]: for element in array { collect(element, into: &strings) }
        case let object as [String: Any]: for element in object.values { collect(element, into: &strings) }
        default: break
        }
    }

    /// The refusal of a run whose lock another process holds (75), naming its pid and command line.
    ///
    /// - Parameters:
    ///   - run: The run.
    ///   - pid: The holder's pid, when the lock file says.
    ///   - action: What was refused, such as "remove".
    /// - Returns: The failure.
    static func inUse(_ run: RunDirectory, pid: Int32?, action: String) -> CommandFailure {
        let holder = pid.map { pid in
            " by pid \(pid)" + (ProcessIdentity.commandLine(of: pid).map { " ('\($0)')" } ?? "")
        }
        return CommandFailure(
            [
                .error(
                    "cannot \(action) run '\(run.runID)': it is in use\(holder ?? "")",
                    help: "wait for it to end, or stop it, then try again"
                )
            ],
            status: .inUse
        )
    }

    /// `3 jobs, 5 files, 4 objects; 2.0 GiB`.
    static func summary(_ removal: LocalCloudCleanup, extraBytes: Int64 = 0) -> String {
        [
            SpecPlanning.count(removal.jobs, "job record"), SpecPlanning.count(removal.files, "file record"),
            SpecPlanning.count(removal.objects, "object"),
        ].joined(separator: ", ") + "; " + SpecPlanning.bytes(removal.bytes + extraBytes)
    }

    /// The failure of a local platform whose records cannot be read or removed (74).
    static func ioFailure(_ error: any Error, root: String) -> CommandFailure {
        CommandFailure(
            [.error("cannot clean the local platform in '\(root)': \(error)", help: "check the directory's files")],
            status: .ioError
        )
    }
}
