import Foundation
import Testing

@testable import RescaleAPI

@Suite struct BodyEncodingTests {
    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func sendsLicenseKeysAsNullsAndOmitsEmptyLists() throws {
        let analysis = JobAnalysis(
            command: "./run.sh",
            analysis: .init(code: "user_included", version: nil),
            hardware: .init(coreType: .init(code: "emerald"), coresPerSlot: 4, slots: nil, walltime: 2),
            inputFiles: nil,
            envVars: nil,
            useRescaleLicense: false,
            onDemandLicenseSeller: nil,
            userDefinedLicenseSettings: nil
        )
        let body = JobCreateBody(
            name: "n",
            jobanalyses: [analysis],
            isLowPriority: true,
            projectId: nil,
            jobAutomations: [JobAutomation(id: "A1")]
        )
        #expect(
            try json(body)
                == #"{"isLowPriority":true,"jobAutomations":[{"automation":{"id":"A1"},"environmentVariables":{}}],"jobanalyses":[{"analysis":{"code":"user_included"},"command":".\/run.sh","hardware":{"coreType":{"code":"emerald"},"coresPerSlot":4,"walltime":2},"onDemandLicenseSeller":null,"useRescaleLicense":false,"userDefinedLicenseSettings":null}],"name":"n"}"#
        )
    }

    @Test func embedsLicenseSettingsJSONVerbatim() throws {
        let raw = try #require(
            RawJSON(text: #"{"featureSets":[{"name":"USER_SPECIFIED_0","features":[{"name":"f","count":1}]}]}"#)
        )
        #expect(try json(raw) == #"{"featureSets":[{"features":[{"count":1,"name":"f"}],"name":"USER_SPECIFIED_0"}]}"#)
        #expect(RawJSON(text: "{not json") == nil)
    }

    @Test func registersWithEveryField() throws {
        let registration = FileRegistration(
            name: "a.tar",
            currentFolderId: "L",
            encodedEncryptionKey: "K",
            pathParts: PathParts(container: "b", path: "p/a.tar-x"),
            storageID: "s1",
            storageType: "S3Storage",
            encryptionType: "default",
            decryptedSize: 5,
            sha512: "ab"
        )
        let text = try json(registration)
        for fragment in [
            #""typeId":1"#, #""isUploaded":true"#, #""decryptedSize":5"#, #""currentFolderId":"L""#,
            #""fileChecksums":[{"fileHash":"ab","hashFunction":"sha512"}]"#, #""pathBase":"""#, #""accountName":"""#,
            #""encryptionType":"default""#,
        ] {
            #expect(text.contains(fragment), "missing \(fragment)")
        }
    }

    @Test func decodesLenientRecords() throws {
        let data = Data(
            #"{"id":"F","decryptedSize":"42","fileChecksums":[{"hashFunction":"SHA-512","fileHash":"AB"}],"path":"legacy/p"}"#
                .utf8
        )
        let record = try JSONDecoder().decode(FileRecord.self, from: data)
        #expect(record.decryptedSize?.value == 42)
        #expect(record.sha512 == "ab")
        #expect(record.objectPath == "legacy/p")
        #expect(nextPagePath("https://x.example/api/v3/files/?page=2") == "/api/v3/files/?page=2")
        #expect(nextPagePath("") == nil)
    }
}
