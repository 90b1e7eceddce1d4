import Foundation
import InterlinkCore
import InterlinkTestSupport
import InterlinkTransfer
import LocalCloud
import Testing

@Suite(.tags(.integration)) struct JobExecutorInputTests {
    let executor = JobExecutor()

    func run(_ inputs: [ExecutionInput], command: String, root: String) async throws -> ExecutionResult {
        let request = ExecutionRequest(
            jobID: JobID("job-1"),
            command: command,
            walltime: .seconds(60),
            workDirectory: root + "/home/work",
            inputs: inputs
        )
        return try await executor.execute(request) { _ in }
    }

    @Test func unpacksArchivesAndPlacesPlainFiles() async throws {
        let root = temporaryDirectory("inputs")
        let tar = RawTar.archive(RawTar.file("case/mesh.txt", "nodes 4\n"), RawTar.file("run.sh", "echo ran\n"))
        let archive = try await storeInput(tar, name: "case.tar", at: root + "/o1")
        let plain = try await storeInput(Array("abc".utf8), name: "table.csv", at: root + "/o2")
        let result = try await run([archive, plain], command: "cat case/mesh.txt > seen.txt; sh run.sh", root: root)
        #expect(result.status == .completed(.success))
        #expect(text(at: root + "/home/work/seen.txt") == "nodes 4\n")
        #expect(text(at: root + "/home/work/table.csv") == "abc")
        #expect(result.outputs == ["process_output.log", "seen.txt"], "unchanged inputs are not outputs")
    }

    @Test func decompressFalseKeepsTheArchiveAsItIs() async throws {
        let root = temporaryDirectory("inputs")
        let tar = RawTar.archive(RawTar.file("inside.txt", "x"))
        let archive = try await storeInput(tar, name: "bundle.tar", at: root + "/o1", decompress: false)
        let result = try await run([archive], command: "ls > listing.txt", root: root)
        #expect(result.status == .completed(.success))
        #expect(FileManager.default.fileExists(atPath: root + "/home/work/inside.txt") == false)
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/home/work/bundle.tar")) == Data(tar))
    }

    @Test func refusesAHostileArchiveWithoutRunningTheCommand() async throws {
        let root = temporaryDirectory("inputs")
        let tar = RawTar.archive(RawTar.file("ok.txt", "fine"), RawTar.file("../escaped.txt", "evil"))
        let archive = try await storeInput(tar, name: "evil.tar", at: root + "/o1")
        let result = try await run([archive], command: "touch ran", root: root)
        #expect(result.exitStatus == nil)
        #expect(result.status.failureReason?.contains("input 'evil.tar' refused") == true)
        #expect(result.status.failureReason?.contains("..") == true)
        #expect(FileManager.default.fileExists(atPath: root + "/home/work/ran") == false)
        #expect(FileManager.default.fileExists(atPath: root + "/home/escaped.txt") == false)
        #expect(text(at: root + "/home/work/process_output.log").contains("refused"))
    }

    @Test func refusesAnInputWhoseChecksumDiffers() async throws {
        let root = temporaryDirectory("inputs")
        let wrong = String(repeating: "0", count: 128)
        let input = try await storeInput(Array("data".utf8), name: "data.bin", at: root + "/o1", sha512: wrong)
        let result = try await run([input], command: "touch ran", root: root)
        #expect(result.status.failureReason?.contains("sha512 mismatch") == true)
        #expect(FileManager.default.fileExists(atPath: root + "/home/work/ran") == false)
        #expect(FileManager.default.fileExists(atPath: root + "/home/work/data.bin") == false)
    }

    @Test func refusesAnObjectDecryptedWithTheWrongKey() async throws {
        let root = temporaryDirectory("inputs")
        var input = try await storeInput(Array("secret".utf8), name: "data.bin", at: root + "/o1")
        input.key = EncryptionKey.random()
        let result = try await run([input], command: "touch ran", root: root)
        #expect(result.status.failureReason?.contains("input 'data.bin' refused") == true)
        #expect(FileManager.default.fileExists(atPath: root + "/home/work/ran") == false)
    }

    /// A file Interlink 3.1 uploaded (v1: a key per part) is placed byte for byte: read in 1 MiB pieces that end
    /// inside its parts of 1,000,000 bytes (not a multiple of 16, so each part's last block mixes plaintext and
    /// padding), and refused when a part is damaged.
    @Test func placesALegacyV1InputReadPieceByPiece() async throws {
        let root = temporaryDirectory("inputs")
        var random = SplitMix64(seed: 0x7e9)
        let plaintext = (0..<3_500_123).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let key = EncryptionKey.random()
        let fileID = [UInt8](repeating: 7, count: 32)
        let partSize = 1_000_000
        var object = LegacyV1Object.encrypt(plaintext, key: key, fileID: fileID, partSize: partSize)
        let format = try ObjectFormat.detect(
            metadata: Dictionary(uniqueKeysWithValues: LegacyV1Object.metadata(fileID: fileID, partSize: partSize)),
            recordIV: nil,
            path: "v1"
        )
        try Data(object).write(to: URL(fileURLWithPath: root + "/o1"))
        let input = ExecutionInput(
            name: "legacy.bin",
            objectPath: root + "/o1",
            key: key,
            format: format,
            sha512: sha512(plaintext),
            decryptedSize: Int64(plaintext.count),
            decompress: true
        )
        let result = try await run([input], command: "sha512sum legacy.bin > sum.txt", root: root)
        #expect(result.status == .completed(.success))
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/home/work/legacy.bin")) == Data(plaintext))
        #expect(text(at: root + "/home/work/sum.txt").hasPrefix(sha512(plaintext)))

        // The second part's padding damaged: the input is refused and the command does not run.
        let damagedRoot = temporaryDirectory("inputs")
        object[2 * (partSize + 16 - partSize % 16) - 1] ^= 0x5a
        try Data(object).write(to: URL(fileURLWithPath: damagedRoot + "/o1"))
        var damaged = input
        damaged.objectPath = damagedRoot + "/o1"
        let refused = try await run([damaged], command: "touch ran", root: damagedRoot)
        #expect(refused.status.failureReason?.contains("input 'legacy.bin' refused") == true)
        #expect(FileManager.default.fileExists(atPath: damagedRoot + "/home/work/ran") == false)
    }
}
