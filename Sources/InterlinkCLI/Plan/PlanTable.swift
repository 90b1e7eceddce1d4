import Foundation
import InterlinkCore

/// The human-readable plan: one row per node with its stages, uploads, hardware and dependencies.
enum PlanTable {
    /// Renders a plan as a left-aligned table followed by a totals line.
    ///
    /// - Parameter plan: The plan.
    /// - Returns: The text, ending in a newline.
    static func render(_ plan: Plan) -> String {
        var rows = [["JOB", "STAGES", "UPLOAD", "HARDWARE", "NEEDS"]]
        for node in plan.nodes {
            rows.append([
                node.job == nil ? "shared:\(node.name)" : node.name,
                node.stages.isEmpty ? "-" : node.stages.map(\.rawValue).joined(separator: ","),
                upload(node.uploads),
                node.job.map(hardware) ?? "-",
                node.dependencies.isEmpty ? "-" : node.dependencies.map(display).joined(separator: ","),
            ])
        }
        var widths = [Int](repeating: 0, count: 5)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var text = ""
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }
            text += cells.joined() + "\n"
        }
        let report = PlanReport(plan).totals
        text += "\(SpecPlanning.count(report.jobs, "job")), \(SpecPlanning.count(report.sharedInputs, "shared input")); "
        text += "\(SpecPlanning.count(report.uploads, "upload")), \(SpecPlanning.count(report.files, "file")), "
        text += "\(SpecPlanning.bytes(report.bytes)) to upload\n"
        return text
    }

    /// `2 files, 1.5 KiB`, or `-` when nothing is uploaded.
    private static func upload(_ uploads: [PlannedUpload]) -> String {
        guard !uploads.isEmpty else { return "-" }
        let files = uploads.reduce(0) { $0 + $1.fileCount }
        let bytes = uploads.reduce(Int64(0)) { $0 + $1.bytes }
        let prefix = uploads.count == 1 ? "" : "\(uploads.count) uploads: "
        return prefix + "\(SpecPlanning.count(files, "file")), \(SpecPlanning.bytes(bytes))"
    }

    /// `emerald 4x1 2h`: core type, cores per slot x slots, walltime.
    private static func hardware(_ job: JobSpec) -> String {
        let hardware = job.hardware
        return "\(hardware.coreType) \(hardware.coresPerSlot)x\(hardware.slots) \(duration(hardware.walltime.hours))"
    }

    /// `10m`, `2h`, `1h30m`, or hours with two decimals when not a whole number of minutes.
    static func duration(_ hours: Double) -> String {
        let minutes = hours * 60
        guard minutes.isFinite, minutes == minutes.rounded(), minutes < Double(Int.max) else {
            return String(format: "%.2fh", hours)
        }
        let whole = Int(minutes)
        switch (whole / 60, whole % 60) {
        case (0, let m): return "\(m)m"
        case (let h, 0): return "\(h)h"
        case (let h, let m): return "\(h)h\(m)m"
        }
    }

    /// A dependency as shown: a job by its name, a shared input as `shared:<name>`.
    private static func display(_ id: NodeID) -> String {
        id.rawValue.hasPrefix("job:") ? String(id.rawValue.dropFirst(4)) : id.rawValue
    }
}
