import Foundation
import InterlinkCore
import InterlinkTransfer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalCloud {
    /// The execution request for a job: its command, environment and walltime, and each input's object.
    func executionRequest(for id: JobID, workDirectory: String) throws -> ExecutionRequest {
        let record = try job(id)
        guard let analysis = record.body.jobanalyses.first else {
            throw LocalCloudError.rejected("job '\(id)' has no analysis")
        }
        let inputs = try analysis.inputFiles.map { reference throws -> ExecutionInput in
            let file = try file(reference.id)
            let objectName = file.pathParts.path
            let format = try ObjectFormat.detect(
                metadata: try objects.metadata(of: objectName),
                recordIV: nil,
                path: objectName
            )
            return ExecutionInput(
                name: file.name,
                objectPath: objects.path(of: objectName),
                key: try EncryptionKey(base64: file.encodedEncryptionKey),
                format: format,
                sha512: file.sha512,
                decryptedSize: file.decryptedSize,
                decompress: reference.decompress
            )
        }
        return ExecutionRequest(
            jobID: id,
            command: analysis.command,
            environment: analysis.envVars,
            walltime: .seconds(max(analysis.hardware.walltime, 1) * 3600),
            killGrace: killGrace,
            workDirectory: workDirectory,
            inputs: inputs,
            controlFile: controlFile(of: id)
        )
    }

    /// Encrypts each output (v2, fresh key and IV) and stores it as an object; returns their registrations, in
    /// order, for ``finish(_:storing:result:)``.
    ///
    /// Each object's data and sidecar are synced as it is completed; the objects directory, where they were
    /// renamed, once for all of them and the other jobs' outputs completed meanwhile. A small output is one part
    /// of its own size, not a buffer of the default part size (16 MiB).
    nonisolated func storeOutputs(_ paths: [String], workDirectory: String) async throws -> [OutputRegistration] {
        var stored: [OutputRegistration] = []
        for relative in paths {
            let name = PathName.basename(relative)
            let key = EncryptionKey.random()
            let path = workDirectory + "/" + relative
            let producer = try UploadPartProducer.file(
                at: path,
                key: key,
                iv: CipherBlock.random(),
                partSize: Self.outputPartSize(at: path)
            )
            let objectName = ObjectDirectory.objectName(for: name)
            var offset: Int64 = 0
            while let part = try await producer.nextPart() {
                try objects.writePart(part.bytes, of: objectName, at: offset)
                offset += Int64(part.bytes.count)
            }
            try objects.complete(objectName, metadata: producer.metadata.pairs)
            guard let summary = producer.summary else {
                throw LocalCloudError.rejected("output '\(relative)' is empty")
            }
            let registration = FileRegistration(
                name: name,
                objectName: objectName,
                encodedEncryptionKey: key.base64,
                decryptedSize: summary.plaintextSize,
                sha512: summary.sha512,
                idempotencyKey: nil
            )
            stored.append(OutputRegistration(registration: registration, relativePath: relative))
        }
        // Every rename above is durable before any record of these objects is written (one directory sync for
        // the jobs ending together).
        if !stored.isEmpty { try await objects.syncDirectory() }
        return stored
    }

    /// The part size for an output: its whole ciphertext when that is at most 1 MiB (one part, one small buffer),
    /// else nil (the size ``PartSize`` picks).
    ///
    /// - Parameter path: The output file.
    /// - Returns: The part size, a multiple of 16.
    nonisolated static func outputPartSize(at path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let ciphertext = PartSize.encryptedSize(plaintextSize: Int64(info.st_size))
        return ciphertext <= 1 << 20 ? Int(ciphertext) : nil
    }
}

/// An output stored as an object, to be registered (typeId 5) when its job's end is recorded.
struct OutputRegistration: Sendable {
    /// The file's registration.
    var registration: LocalCloud.FileRegistration
    /// Its path under the job's work directory.
    var relativePath: String
}
