import Foundation
import InterlinkCore
import InterlinkTransfer

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
            controlDirectory: controlDirectory(of: id)
        )
    }

    /// Encrypts each output (v2, fresh key and IV), stores it as an object and registers it (typeId 5).
    nonisolated func storeOutputs(_ paths: [String], of id: JobID, workDirectory: String) async throws -> [FileID] {
        var stored: [FileID] = []
        for relative in paths {
            let name = PathName.basename(relative)
            let key = EncryptionKey.random()
            let producer = try UploadPartProducer.file(
                at: workDirectory + "/" + relative,
                key: key,
                iv: CipherBlock.random()
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
            stored.append(try await addFile(registration, typeId: 5, relativePath: relative, job: id).id)
        }
        return stored
    }
}
