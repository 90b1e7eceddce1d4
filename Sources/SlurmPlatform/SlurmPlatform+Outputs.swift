import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer
import LocalCloud

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SlurmPlatform {
    package func listOutputs(of job: JobID) async throws -> [RemoteOutput] {
        let marker = job.rawValue
        let work = layout.work(marker)
        let placed = await RecordFile.read([String: FileStamp].self, at: layout.placed(marker)) ?? [:]
        return await Blocking.run {
            JobExecutor.listOutputs(in: work, excluding: placed).map { relative in
                RemoteOutput(
                    id: FileID(marker + "/" + relative),
                    relativePath: relative,
                    name: PathName.basename(relative),
                    bytes: FileStamp.of(work + "/" + relative)?.size ?? 0,
                    sha512: nil
                )
            }
        }
    }

    package func download(
        _ output: RemoteOutput,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile {
        guard let slash = output.id.rawValue.firstIndex(of: "/") else {
            throw PlatformError(.notFound(output.id.rawValue))
        }
        let marker = String(output.id.rawValue[..<slash])
        let relative = String(output.id.rawValue[output.id.rawValue.index(after: slash)...])
        let source = layout.work(marker) + "/" + relative
        let directory = PathName.dirname(path)
        let basename = PathName.basename(path)
        let temporary =
            basename.utf8.count + ".interlink-partial".utf8.count < 255
            ? directory + "/." + basename + ".interlink-partial"
            : directory + "/.interlink-partial-" + SlurmLayout.digest(basename)
        // Copying and hashing block for the file's length: off the cooperative pool.
        let (bytes, sha512) = try await Blocking.run { () throws -> (Int64, String) in
            unlink(temporary)
            try Self.makeDirectory(directory)
            do {
                let (bytes, sha512) = try Staging.copy(source, to: temporary)
                guard bytes == output.bytes else {
                    throw PlatformError(
                        .verification("'\(relative)' has \(bytes) bytes, the listing said \(output.bytes)"),
                        retryClass: .retryable
                    )
                }
                if let expected = output.sha512, expected.lowercased() != sha512 {
                    throw PlatformError(
                        .verification("'\(relative)' changed since it was listed"),
                        retryClass: .retryable
                    )
                }
                guard rename(temporary, path) == 0 else {
                    throw PlatformError(.localFile(path: path, message: ErrorText.words(errno: errno)))
                }
                return (bytes, sha512)
            } catch {
                unlink(temporary)
                throw error
            }
        }
        try await progress(TransferProgress(bytes: bytes, totalBytes: bytes))
        return DownloadedFile(path: path, bytes: bytes, sha512: sha512)
    }

    package func verifyDownload(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile? {
        await Blocking.run {
            guard let stamp = FileStamp.of(path), stamp.size == output.bytes,
                let (bytes, sha512) = try? Staging.hash(path)
            else { return nil }
            if let expected = output.sha512, expected.lowercased() != sha512 { return nil }
            return DownloadedFile(path: path, bytes: bytes, sha512: sha512)
        }
    }
}
