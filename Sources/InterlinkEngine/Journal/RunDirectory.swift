import Foundation
import InterlinkCore

/// The files of one run: `<baseDirectory>/.interlink/runs/<run-id>/` with `journal.jsonl`, `lock` and the frozen
/// `plan.json`.
package struct RunDirectory: Hashable, Sendable {
    /// The run.
    package var runID: RunID
    /// The run's directory.
    package var path: String

    /// The directory of a run of a plan whose base directory is `baseDirectory`.
    package init(baseDirectory: String, runID: RunID) {
        self.runID = runID
        self.path = PathName.join(Self.runsDirectory(baseDirectory: baseDirectory), runID.rawValue)
    }

    /// Where all runs of a base directory live.
    package static func runsDirectory(baseDirectory: String) -> String {
        PathName.join(PathName.join(baseDirectory, ".interlink"), "runs")
    }

    /// The journal's path.
    package var journalPath: String { PathName.join(path, "journal.jsonl") }
    /// The frozen plan's path.
    package var planPath: String { PathName.join(path, "plan.json") }

    /// Writes the plan atomically (temporary file, then rename).
    package func freeze(_ plan: Plan) throws(JournalError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(plan).write(to: URL(fileURLWithPath: planPath), options: .atomic)
        } catch {
            throw JournalError(.io("cannot write the plan: \(error.localizedDescription)"), path: planPath)
        }
    }

    /// The frozen plan, if one was written.
    package func frozenPlan() throws(JournalError) -> Plan? {
        guard let data = FileManager.default.contents(atPath: planPath) else { return nil }
        do { return try JSONDecoder().decode(Plan.self, from: data) } catch {
            throw JournalError(.io("cannot read the plan: \(error)"), path: planPath)
        }
    }
}
