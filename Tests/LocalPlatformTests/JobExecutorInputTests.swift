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
}
