import InterlinkCore
import Testing

@Suite struct TerminalTextTests {
    @Test func controlCharactersAndEscapeSequencesPrintAsText() {
        #expect(TerminalText.escaped("plain name-1.5 ü") == "plain name-1.5 ü")
        #expect(TerminalText.escaped("a\u{1b}[31mred\u{1b}[0m") == "a\\u{1b}[31mred\\u{1b}[0m")
        #expect(TerminalText.escaped("nul\0tab\tline\nret\r") == "nul\\0tab\\tline\\nret\\r")
        #expect(TerminalText.escaped("c1\u{9b}31m del\u{7f}") == "c1\\u{9b}31m del\\u{7f}")
        #expect(TerminalText.quoted("x\u{7}") == "'x\\u{7}'")
    }
}
