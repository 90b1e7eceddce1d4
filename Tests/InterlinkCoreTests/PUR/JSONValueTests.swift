import InterlinkCore
import Testing

@Suite struct JSONValueTests {
    @Test(arguments: [
        (27000.0, "27000"), (1.5, "1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"), (-2.5, "-2.5"),
        (0.000001, "0.000001"), (1e-7, "1e-7"), (123_456_789.0, "123456789"), (0.1, "0.1"), (0, "0"),
        (1.25e22, "1.25e+22"), (2.5e-8, "2.5e-8"),
    ])
    func formatsNumbersInTheirShortestForm(value: Double, text: String) {
        #expect(JSONValue.format(value) == text)
    }

    @Test func rendersCompactJSONWithSortedKeysAndEscapes() throws {
        let value = try #require(JSONValue.parse(#"{ "b" : [1, true, null], "a" : "q\"\n\u0001" }"#))
        #expect(value.compactJSON == #"{"a":"q\"\n\u0001","b":[1,true,null]}"#)
        #expect(JSONValue.parse("{'a':1}") == nil)
        #expect(JSONValue.parse("null") == .null)
        #expect(JSONValue.parse("false")?.environmentText == "false")
    }
}
