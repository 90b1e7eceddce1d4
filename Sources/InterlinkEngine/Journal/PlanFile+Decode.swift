import Foundation
import InterlinkCore
import InterlinkSystem

extension PlanFile {
    /// Decodes a `plan.json`, a large one's nodes on every core.
    ///
    /// The file is one object whose `nodes` array holds nearly all of its bytes (14 MB for 10,000 jobs, about
    /// 0.6 s to decode on one core, which `status`, `resume` and a run of a finished workflow each paid). A scan
    /// that follows strings and nesting finds where each node ends; the plan around the array is decoded with
    /// an empty one, and runs of nodes are decoded at once. Whatever the scan does not expect, and any error,
    /// is left to one decode of the whole file, so a damaged plan is reported exactly as before.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - parallelAbove: The size from which the nodes are decoded in runs (tests lower it).
    /// - Returns: The plan as the file holds it (relocatable: paths relative to its base directory).
    /// - Throws: What `JSONDecoder` throws for the whole file.
    static func decode(_ data: Data, parallelAbove: Int = 1 << 20) throws -> Plan {
        guard data.count >= parallelAbove, let layout = NodesLayout(data) else {
            return try JSONDecoder().decode(Plan.self, from: data)
        }
        do {
            return try decode(data, layout: layout)
        } catch {
            return try JSONDecoder().decode(Plan.self, from: data)
        }
    }

    /// Decodes a `plan.json` without its nodes: the plan around them, which is all that finding a workflow's
    /// latest run or continuing a finished one needs (a few ms where the whole 10,000-job plan takes 0.5 s of CPU
    /// and tens of MiB).
    ///
    /// - Parameter data: The file's bytes.
    /// - Returns: The plan with no nodes.
    /// - Throws: What `JSONDecoder` throws for the plan around the nodes, or for the whole file when the scan
    ///   does not find them.
    static func outline(_ data: Data) throws -> Plan {
        guard let layout = NodesLayout(data) else {
            var plan = try JSONDecoder().decode(Plan.self, from: data)
            plan.nodes = []
            return plan
        }
        return try outline(data, layout: layout)
    }

    private static func outline(_ data: Data, layout: NodesLayout) throws -> Plan {
        let start = data.startIndex
        var outline = Data(data[start...(start + layout.open)])
        outline.append(data[(start + layout.close)...])
        return try JSONDecoder().decode(Plan.self, from: outline)
    }

    private static func decode(_ data: Data, layout: NodesLayout) throws -> Plan {
        var plan = try outline(data, layout: layout)
        let start = data.startIndex
        // Node k spans from just after '[' or the comma before it to just before the next comma or ']'.
        let starts = [layout.open + 1] + layout.commas.map { $0 + 1 }
        let ends = layout.commas + [layout.close]
        let runs = min(starts.count, max(ProcessInfo.processInfo.activeProcessorCount, 1) * 4)
        let decoded = ParallelParts.map(runs) { run in
            let first = starts.count * run / runs
            let last = starts.count * (run + 1) / runs - 1
            var array = Data("[".utf8)
            array.append(data[(start + starts[first])..<(start + ends[last])])
            array.append(contentsOf: "]".utf8)
            return Result { try JSONDecoder().decode([PlanNode].self, from: array) }
        }
        var nodes: [PlanNode] = []
        nodes.reserveCapacity(starts.count)
        for result in decoded { nodes.append(contentsOf: try result.get()) }
        plan.nodes = nodes
        return plan
    }

    /// Where the top-level `nodes` array of a plan's JSON is: its brackets and the commas between its elements
    /// (byte offsets from the start of the data).
    struct NodesLayout {
        /// The offset of its `[`.
        var open: Int
        /// The offset of its `]`.
        var close: Int
        /// The offsets of the commas between its elements.
        var commas: [Int]

        /// Scans a JSON object for its `nodes` member; nil when the text is not an object with a non-empty
        /// `nodes` array (or is not JSON a scan can follow), which then is decoded whole.
        init?(_ data: Data) {
            guard
                let layout = data.withUnsafeBytes({ raw in
                    Self.scan(raw.bindMemory(to: UInt8.self))
                })
            else { return nil }
            self = layout
        }

        private init(open: Int, close: Int, commas: [Int]) {
            self.open = open
            self.close = close
            self.commas = commas
        }

        private static let nodesKey = Array("nodes".utf8)

        private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> NodesLayout? {
            let quote = UInt8(ascii: "\"")
            let backslash = UInt8(ascii: "\\")
            var depth = 0
            var index = 0
            var stringStart = -1
            var lastKeyIsNodes = false
            var open = -1
            var commas: [Int] = []
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case quote:
                    // A string: skipped whole (escapes included); at depth 1 it may be a member's name.
                    stringStart = index
                    index += 1
                    while index < bytes.count, bytes[index] != quote {
                        index += bytes[index] == backslash ? 2 : 1
                    }
                    guard index < bytes.count else { return nil }
                    if depth == 1 {
                        let name = UnsafeBufferPointer(rebasing: bytes[(stringStart + 1)..<index])
                        lastKeyIsNodes = name.elementsEqual(nodesKey)
                    }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    if depth == 2, byte == UInt8(ascii: "["), lastKeyIsNodes, open < 0 { open = index }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 2, byte == UInt8(ascii: "]"), open >= 0 {
                        // The first `]` back at depth 1 after the array opened closes it.
                        let hasElement = bytes[(open + 1)..<index].contains { !Self.isSpace($0) }
                        return hasElement ? NodesLayout(open: open, close: index, commas: commas) : nil
                    }
                    depth -= 1
                    guard depth >= 0 else { return nil }
                case UInt8(ascii: ","):
                    if depth == 2, open >= 0 { commas.append(index) }
                    if depth == 1 { lastKeyIsNodes = false }
                default:
                    break
                }
                index += 1
            }
            return nil
        }

        private static func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        }
    }
}
