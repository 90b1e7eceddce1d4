import Foundation
import InterlinkCore
import InterlinkEngine

/// What the live progress display shows, folded from engine events: per-stage totals and the transfers in flight.
///
/// Pure state: ``apply(_:at:)`` folds an event, ``lines(at:width:)`` renders the board, so both are tested without
/// a terminal.
package struct ProgressBoard: Sendable {
    /// Per-stage counts.
    package struct StageCounts: Hashable, Sendable {
        /// Steps started (attempts count once per step).
        package var started = 0
        /// Steps that succeeded.
        package var succeeded = 0
        /// Steps that failed for good.
        package var failed = 0
    }

    /// One transfer in flight.
    package struct Transfer: Hashable, Sendable {
        /// The job (or shared input).
        package var job: String
        /// Upload or download.
        package var stage: StageKind
        /// Bytes moved.
        package var bytes: Int64
        /// Bytes expected, when known.
        package var totalBytes: Int64?
        /// When the first progress report arrived, and its byte count (the rate is measured from there).
        package var since: ContinuousClock.Instant
        /// Bytes at ``since``.
        package var baseBytes: Int64
    }

    /// The number of nodes in the plan (from `runStarted`).
    package private(set) var nodes = 0
    /// Counts by stage.
    package private(set) var stages: [StageKind: StageCounts] = [:]
    /// Transfers in flight, keyed by node, stage and item.
    package private(set) var transfers: [String: Transfer] = [:]
    /// Nodes blocked by a failed dependency.
    package private(set) var blocked = 0

    /// Creates an empty board.
    package init() {}

    /// Folds one event in.
    package mutating func apply(_ event: EngineEvent, at now: ContinuousClock.Instant) {
        let key = "\(event.node?.rawValue ?? "")|\(event.stage?.rawValue ?? "")|\(event.item ?? "")"
        switch event.event {
        case .runStarted:
            nodes = event.nodes ?? nodes
        case .stageStarted where event.attempt ?? 1 == 1:
            if let stage = event.stage { stages[stage, default: StageCounts()].started += 1 }
        case .stageReconciled where event.found != true:
            break
        case .stageSucceeded, .stageReconciled:
            if let stage = event.stage { stages[stage, default: StageCounts()].succeeded += 1 }
            transfers[key] = nil
        case .stageFailed:
            if let stage = event.stage { stages[stage, default: StageCounts()].failed += 1 }
            transfers[key] = nil
        case .transferProgress:
            guard let stage = event.stage, let bytes = event.bytes else { return }
            if var transfer = transfers[key] {
                transfer.bytes = bytes
                transfer.totalBytes = event.totalBytes ?? transfer.totalBytes
                transfers[key] = transfer
            } else {
                transfers[key] = Transfer(
                    job: event.job ?? "",
                    stage: stage,
                    bytes: bytes,
                    totalBytes: event.totalBytes,
                    since: now,
                    baseBytes: bytes
                )
            }
        case .nodeBlocked:
            blocked += 1
        default:
            break
        }
    }

    /// The board as text lines: one per active stage, then up to `maxTransfers` transfers.
    package func lines(at now: ContinuousClock.Instant, width: Int = 80, maxTransfers: Int = 6) -> [String] {
        var lines: [String] = []
        let total = max(nodes, 1)
        for stage in StageKind.allCases {
            guard let counts = stages[stage] else { continue }
            let barWidth = 20
            let filled = min(barWidth, counts.succeeded * barWidth / max(total, counts.started, 1))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
            var line = "\(stage.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) [\(bar)] "
            line += "\(counts.succeeded)/\(max(counts.started, counts.succeeded)) done"
            if counts.failed > 0 { line += ", \(counts.failed) failed" }
            lines.append(String(line.prefix(width)))
        }
        if blocked > 0 { lines.append("blocked   \(blocked) by failed dependencies") }
        let active = transfers.values.sorted { ($0.job, $0.stage) < ($1.job, $1.stage) }
        for transfer in active.prefix(maxTransfers) {
            lines.append(String(Self.describe(transfer, at: now).prefix(width)))
        }
        if active.count > maxTransfers { lines.append("  … and \(active.count - maxTransfers) more transfers") }
        return lines
    }

    /// One transfer line: `  ↑ Run_1  12.3/40.0 MB  5.1 MB/s  ETA 6s`.
    static func describe(_ transfer: Transfer, at now: ContinuousClock.Instant) -> String {
        let arrow = transfer.stage == .download ? "↓" : "↑"
        let elapsed = (now - transfer.since).seconds
        let rate = elapsed > 0.2 ? Double(transfer.bytes - transfer.baseBytes) / elapsed : 0
        var line = "  \(arrow) \(transfer.job)  \(megabytes(transfer.bytes))"
        if let total = transfer.totalBytes { line += "/\(megabytes(total))" }
        line += " MB"
        if rate > 0 {
            line += "  \(String(format: "%.1f", rate / 1_000_000)) MB/s"
            if let total = transfer.totalBytes, total > transfer.bytes {
                line += "  ETA \(Int((Double(total - transfer.bytes) / rate).rounded(.up)))s"
            }
        }
        return line
    }

    private static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
