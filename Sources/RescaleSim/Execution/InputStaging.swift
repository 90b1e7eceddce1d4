import Foundation
import InterlinkCore
import InterlinkTransfer
import LocalCloud

/// Turns a job's `inputFiles` into executor inputs: looks each file record up, copies its encrypted object out of
/// the simulator's storage into the job's staging directory, and reads the key from the record and the format and
/// IV from the object metadata.
struct InputStaging {
    let state: SimState
    let objects: SimObjects
    let user: SimConfiguration.User

    /// Why an input could not be staged; the job fails with this text in its log.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Stages every input of every analysis, in attachment order.
    ///
    /// - Parameters:
    ///   - job: The job whose create body lists the inputs.
    ///   - directory: Where the encrypted copies go (created).
    /// - Returns: The inputs for the executor.
    /// - Throws: ``Failure`` naming the input.
    func stage(_ job: SimJob, into directory: String) async throws(Failure) -> [ExecutionInput] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create '\(directory)': \(error)")
        }
        var inputs: [ExecutionInput] = []
        let attached = (job.body["jobanalyses"]?.array ?? []).flatMap { $0["inputFiles"]?.array ?? [] }
        for (index, entry) in attached.enumerated() {
            let id = entry["id"]?.string ?? ""
            guard let file = await state.file(id, key: job.ownerKey) else {
                throw Failure(description: "input file '\(id)' no longer exists")
            }
            inputs.append(
                try await stage(file, decompress: entry["decompress"]?.bool ?? true, at: directory + "/\(index)")
            )
        }
        return inputs
    }

    private func stage(_ file: SimFile, decompress: Bool, at path: String) async throws(Failure) -> ExecutionInput {
        let record = file.record
        let name = record["name"]?.string ?? file.id
        let objectPath = record["pathParts"]?["path"]?.string ?? ""
        let stored: SimObjects.Stored
        do {
            stored = try await objects.read(objectPath, kind: user.storage)
        } catch {
            throw Failure(description: "input '\(name)': \(error)")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(stored.bytes)) else {
            throw Failure(description: "input '\(name)': cannot write '\(path)'")
        }
        do {
            let key = try EncryptionKey(base64: record["encodedEncryptionKey"]?.string ?? "")
            let format = try ObjectFormat.detect(
                metadata: stored.metadata,
                recordIV: record["iv"]?.string,
                path: objectPath
            )
            return ExecutionInput(
                name: name,
                objectPath: path,
                key: key,
                format: format,
                sha512: Self.sha512(of: record),
                decryptedSize: Self.decryptedSize(of: record),
                decompress: decompress
            )
        } catch {
            throw Failure(description: "input '\(name)': \(error)")
        }
    }

    /// The record's SHA-512 (`sha512`, `SHA-512` or `SHA512` as the function name), if any.
    static func sha512(of record: JSONValue) -> String? {
        let checksums = record["fileChecksums"]?.array ?? []
        let entry = checksums.first {
            $0["hashFunction"]?.string?.lowercased().replacingOccurrences(of: "-", with: "") == "sha512"
        }
        return entry?["fileHash"]?.string?.lowercased()
    }

    /// `decryptedSize`, a number or a string.
    static func decryptedSize(of record: JSONValue) -> Int64 {
        if let number = record["decryptedSize"]?.int { return Int64(number) }
        return record["decryptedSize"]?.string.flatMap { Int64($0) } ?? 0
    }
}
