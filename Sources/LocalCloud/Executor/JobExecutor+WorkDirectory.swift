import Foundation

extension JobExecutor {
    /// Creates `path` as an empty directory, removing anything an earlier execution left there.
    static func makeEmptyDirectory(_ path: String) throws(ExecutionError) {
        let manager = FileManager.default
        do {
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ExecutionError(.workDirectory("cannot prepare '\(path)': \(error)"))
        }
    }

    /// Appends a line of the executor's own to the job's log.
    static func appendLog(_ text: String, to path: String) throws(ExecutionError) {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) { _ = manager.createFile(atPath: path, contents: nil) }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw ExecutionError(.workDirectory("cannot write '\(path)': \(error)"))
        }
    }
}
