import Foundation
import InterlinkCore
import Testing

/// System and decoder errors in words, and secrets masked, before anything reaches a person.
@Suite struct ErrorTextTests {
    struct Settings: Decodable {
        var url: String
        var workers: Int
    }

    @Test func systemErrorsAreWordsNotNumbers() {
        let denied = CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: "/x/settings.json"])
        #expect(ErrorText.describe(denied) == "permission denied")
        #expect(ErrorText.describe(POSIXError(.ENOENT)) == "no such file or directory")
        #expect(ErrorText.words(errno: EACCES) == "permission denied")
        #expect(!ErrorText.describe(CocoaError(.fileWriteOutOfSpace)).contains("errno"))
    }

    @Test(arguments: [
        ("{\"url\": \"a\"", "it is not valid JSON"),
        ("{\"url\": \"a\"}", "the key 'workers' is missing"),
        ("{\"url\": 7, \"workers\": 1}", "the value at 'url' has the wrong type (expected a string)"),
        ("{\"url\": \"a\", \"workers\": null}", "the value at 'workers' is missing (expected an integer)"),
    ])
    func decodingErrorsNameTheKeyAndTheProblem(json: String, words: String) {
        do {
            _ = try JSONDecoder().decode(Settings.self, from: Data(json.utf8))
            Issue.record("decoded \(json)")
        } catch {
            let text = ErrorText.describe(error)
            #expect(text == words)
            #expect(!text.contains("DecodingError") && !text.contains("Debug description"))
        }
    }

    @Test func aUserFacingErrorGivesItsMessageSoErrorIsNeverSaidTwice() {
        let error = DiagnosticsError(
            .error("unknown stage 'zipp'", help: "use tar", at: SourceLocation(file: "a.yaml"))
        )
        #expect(ErrorText.describe(error) == "unknown stage 'zipp'")
    }

    @Test func theRedactorMasksKnownKeysAndAnyTokenField() {
        var redactor = SecretRedactor(["  sk-live-123456  "])
        redactor.add("ab")  // too short to mask safely
        let text = "refused key sk-live-123456; Authorization: Token other-secret, \"authorization\": \"Token xyz\""
        let masked = redactor.redact(text)
        #expect(!masked.contains("sk-live-123456") && !masked.contains("other-secret") && !masked.contains("xyz"))
        #expect(masked.contains("refused key <redacted>"))
        #expect(masked.contains("Authorization: Token <redacted>"))
        #expect(redactor.redact("a token expired, absolutely") == "a token expired, absolutely")
    }
}
