import Foundation
import InterlinkCore
import InterlinkEngine

extension ProgressBoard {
    /// The order platform statuses are listed in: the job's life.
    static let statusOrder = [
        "not-submitted", "pending", "queued", "waiting-for-queue", "waiting-for-cluster", "started", "validated",
        "executing", "stopping", "completed", "completed-failed", "failed", "stopped",
    ]

    /// The board as text lines, none wider than `width - 1` columns (so no terminal wraps them): the elapsed
    /// time and job totals, one line per stage, the jobs by platform status, the transfers in flight, then any
    /// platform notice and the stop message.
    ///
    /// - Parameters:
    ///   - now: The time to measure elapsed time and rates at.
    ///   - width: The terminal's columns.
    ///   - maxTransfers: The most transfers listed one by one.
    /// - Returns: The lines, without newlines.
    package func lines(at now: ContinuousClock.Instant, width: Int = 80, maxTransfers: Int = 6) -> [String] {
        let room = max(width - 1, 20)
        let totals = jobTotals()
        var header = ["\(Self.clock(seconds: (now - started).seconds)) elapsed"]
        var jobs = "\(totals.jobs) job\(totals.jobs == 1 ? "" : "s"): \(totals.done) done"
        if totals.failed > 0 { jobs += ", \(totals.failed) failed" }
        jobs += ", \(totals.jobs - totals.done - totals.failed) to go"
        header.append(jobs)
        header.append("run \(runID)")
        var lines = TextFit.flow(header, width: room, separator: " · ")
        let stages = Self.stepStages.map { ($0, counts(of: $0)) }.filter { $0.1.total > 0 }
        // One bar width for every stage, so the bars line up: what the longest counts leave, 4 to 20.
        let widest = stages.map { Self.stageParts($0.1).joined(separator: "  ").count }.max() ?? 0
        let barWidth = min(20, max(4, room - 9 - 4 - widest))
        for (stage, counts) in stages { lines.append(Self.stageLine(stage, counts, barWidth: barWidth, width: room)) }
        let statuses = Dictionary(grouping: jobStatuses.values, by: { $0 }).mapValues(\.count)
        if !statuses.isEmpty {
            let known = Self.statusOrder.filter { statuses[$0] != nil }
            let others = statuses.keys.filter { !Self.statusOrder.contains($0) }.sorted()
            let parts = (known + others).map { "\(statuses[$0] ?? 0) \($0)" }
            lines += TextFit.flow(["on platform:"] + parts, width: room, separator: " ", continuation: "  ")
        }
        if !blocked.isEmpty {
            lines.append(TextFit.truncate("blocked: \(blocked.count) (a dependency failed)", to: room))
        }
        lines += transferLines(at: now, width: room, maxTransfers: maxTransfers)
        if let notice { lines += TextFit.flow(["! " + notice], width: room, separator: " ", continuation: "  ") }
        if let stopMessage { lines += TextFit.wrap(stopMessage, width: room) }
        return lines
    }

    /// The counts a stage line shows, most important first.
    static func stageParts(_ counts: StageCounts) -> [String] {
        var parts = ["\(counts.done)/\(counts.total) job\(counts.total == 1 ? "" : "s")"]
        if let files = counts.files {
            parts.append("\(counts.filesDone)/\(files) file\(files == 1 ? "" : "s")")
        } else if counts.filesDone > 0 {
            parts.append("\(counts.filesDone) file\(counts.filesDone == 1 ? "" : "s")")
        }
        if counts.failed > 0 { parts.append("\(counts.failed) failed") }
        if counts.active > 0 { parts.append("\(counts.active) active") }
        return parts
    }

    /// `upload   [####------]  2/4 jobs  3/8 files  1 failed  1 active`: the bar's fill is the jobs counter; the
    /// least important counts go first when the line does not fit.
    static func stageLine(_ stage: StageKind, _ counts: StageCounts, barWidth: Int, width: Int) -> String {
        var parts = stageParts(counts)
        let label = stage.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
        while parts.count > 1, label.count + barWidth + 4 + parts.joined(separator: "  ").count > width {
            parts.removeLast()
        }
        let filled = counts.total > 0 ? counts.done * barWidth / counts.total : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        return TextFit.truncate("\(label)[\(bar)]  " + parts.joined(separator: "  "), to: width)
    }

    /// A summary line per transfer direction, then the transfers one by one.
    func transferLines(at now: ContinuousClock.Instant, width: Int, maxTransfers: Int) -> [String] {
        var lines: [String] = []
        let active = transfers.values.sorted { ($0.stage, $0.job) < ($1.stage, $1.job) }
        for stage in [StageKind.upload, .download] {
            let mine = active.filter { $0.stage == stage }
            guard mine.count > 1 else { continue }
            let bytes = mine.map(\.bytes).reduce(0, +)
            let totals = mine.compactMap(\.totalBytes)
            let total = totals.count == mine.count ? totals.reduce(0, +) : nil
            let rate = mine.map { Self.rate(of: $0, at: now) }.reduce(0, +)
            let name = "\(mine.count) \(stage == .upload ? "uploads" : "downloads")"
            lines.append(Self.transferLine(arrow(stage), name, bytes: bytes, total: total, rate: rate, width: width))
        }
        for transfer in active.prefix(maxTransfers) {
            lines.append(
                Self.transferLine(
                    "  " + arrow(transfer.stage),
                    transfer.job,
                    bytes: transfer.bytes,
                    total: transfer.totalBytes,
                    rate: Self.rate(of: transfer, at: now),
                    width: width
                )
            )
        }
        if active.count > maxTransfers {
            lines.append(TextFit.truncate("  … and \(active.count - maxTransfers) more transfers", to: width))
        }
        return lines
    }

    private func arrow(_ stage: StageKind) -> String { stage == .download ? "↓" : "↑" }

    /// `  ↑ Run_1  12.3/40.0 MB  31%  5.1 MB/s  ETA 6s`, the name shortened in its middle to fit.
    static func transferLine(
        _ lead: String,
        _ name: String,
        bytes: Int64,
        total: Int64?,
        rate: Double,
        width: Int
    ) -> String {
        var parts = [total.map { "\(megabytes(bytes))/\(megabytes($0)) MB" } ?? "\(megabytes(bytes)) MB"]
        if let total, total > 0 { parts.append("\(min(100, Int(Double(bytes) * 100 / Double(total))))%") }
        if rate > 0 {
            parts.append("\(String(format: "%.1f", rate / 1_000_000)) MB/s")
            if let total, total > bytes { parts.append("ETA \(clock(seconds: Double(total - bytes) / rate))") }
        }
        let tail = parts.joined(separator: "  ")
        let room = width - lead.count - 1 - 2 - tail.count
        guard room >= 4 else { return TextFit.truncate("\(lead) \(name)  \(parts[0])", to: width) }
        return "\(lead) \(TextFit.shorten(name, to: room))  \(tail)"
    }

    /// Bytes per second since the transfer's first report; 0 until a fifth of a second has passed.
    static func rate(of transfer: Transfer, at now: ContinuousClock.Instant) -> Double {
        let elapsed = (now - transfer.since).seconds
        return elapsed > 0.2 ? Double(transfer.bytes - transfer.baseBytes) / elapsed : 0
    }

    /// `0:07`, `12:34`, `1:02:03` (at most 999 hours).
    static func clock(seconds: Double) -> String {
        let total = Int(min(max(seconds, 0), 3_596_400).rounded(.up))
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60)
        let padded = String(format: "%02d", seconds)
        return hours > 0 ? "\(hours):\(String(format: "%02d", minutes)):\(padded)" : "\(minutes):\(padded)"
    }

    private static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
