import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkTransfer

/// Stores a finished job's outputs the way the platform does: each file encrypted as v0 (whole-file AES-256-CBC
/// with PKCS#7, a fresh key and IV per file, metadata `iv` only) into the owner's default
/// storage under `<base>/output/job_<id>/run1/<relativePath>`, then registered as a typeId 5 file record without
/// an `iv` field and attached to the job in output order.
struct OutputPublisher {
    let configuration: SimConfiguration
    let state: SimState
    let objects: SimObjects
    let user: SimConfiguration.User
    /// The user's default storage object, as file records show it.
    let storage: JSONValue

    /// Publishes the listed files of a work directory.
    ///
    /// - Parameters:
    ///   - outputs: Paths relative to `workDirectory`.
    ///   - workDirectory: The job's work directory.
    ///   - jobID: The job they belong to.
    /// - Throws: ``SimObjects/Failure`` when a file cannot be read or stored.
    func publish(_ outputs: [String], from workDirectory: String, jobID: String) async throws(SimObjects.Failure) {
        for relative in outputs {
            let contents: Data
            do {
                contents = try Data(contentsOf: URL(fileURLWithPath: workDirectory + "/" + relative))
            } catch {
                throw SimObjects.Failure(description: "cannot read output '\(relative)': \(error)")
            }
            try await publish(Array(contents), relativePath: relative, jobID: jobID)
        }
    }

    private func publish(_ plaintext: [UInt8], relativePath: String, jobID: String) async throws(SimObjects.Failure) {
        let key = EncryptionKey.random()
        let iv = CipherBlock.random()
        let ciphertext = Self.encryptV0(plaintext, key: key, iv: iv)
        let path = objectPath(jobID: jobID, relativePath: relativePath)
        try await objects.write(path, kind: user.storage, bytes: ciphertext, metadata: ["iv": iv.base64])
        let id = SimIDs.make()
        let now = Date()
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        let record: JSONValue = [
            "id": .string(id), "name": .string(name), "typeId": 5, "isUploaded": true,
            "owner": .string(user.email), "dateUploaded": .string(SimIDs.date(now)),
            "relativePath": .string(relativePath), "path": .string(path),
            "encodedEncryptionKey": .string(key.base64),
            "downloadUrl": .string("/api/v2/files/\(id)/contents/"),
            "decryptedSize": .number(Double(plaintext.count)),
            "pathParts": ["container": .string(objects.container(for: user.storage)), "path": .string(path)],
            "storage": storage,
            "fileChecksums": [
                ["hashFunction": "sha512", "fileHash": .string(Hex.encode(SHA512.hash(data: plaintext)))]
            ],
            "userTags": [],
        ]
        await state.insert(SimFile(id: id, ownerKey: user.apiKey, folderID: "", record: record, dateUploaded: now))
        await state.update(jobID) { $0.outputIDs.append(id) }
    }

    /// `<pathBase>/output/job_<id>/run1/<relative>` on S3; blobs go to the container root without a base.
    func objectPath(jobID: String, relativePath: String) -> String {
        let tail = "output/job_\(jobID)/run1/\(relativePath)"
        switch user.storage {
        case .s3:
            let base = configuration.pathBase.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return base.isEmpty ? tail : base + "/" + tail
        case .azure:
            return tail
        }
    }

    /// Whole-file CBC with PKCS#7 padding, always added.
    static func encryptV0(_ plaintext: [UInt8], key: EncryptionKey, iv: CipherBlock) -> [UInt8] {
        let padded = plaintext + PKCS7.padding(forLength: plaintext.count)
        var chain = CBCChain(key: key, iv: iv)
        var output = Data(capacity: padded.count)
        padded.withUnsafeBytes { chain.encrypt($0, appendingTo: &output) }
        return Array(output)
    }
}
