/// The random suffix of an uploaded object's name: 22 characters drawn uniformly from
/// `[A-Za-z0-9]` with the system CSPRNG.
package enum ObjectNameSuffix {
    /// The alphabet, 62 characters.
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    /// The suffix length.
    package static let length = 22

    /// A new suffix.
    ///
    /// Rejection sampling keeps it uniform: bytes of 248 or more (248 = 4 × 62) are thrown away, so every
    /// character is equally likely. The bytes come eight at a time from one draw of the generator.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    /// A new suffix from `generator` (tests pass a seeded one).
    package static func make(using generator: inout some RandomNumberGenerator) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            // Eight bytes a draw (one `getrandom` for the system generator), not one.
            var word = generator.next()
            for _ in 0..<8 where characters.count < length {
                let byte = UInt8(truncatingIfNeeded: word)
                word >>= 8
                guard byte < 248 else { continue }
                characters.append(alphabet[Int(byte % 62)])
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The object name `<basename>-<suffix>`.
    package static func objectName(for basename: String, suffix: String = make()) -> String {
        "\(basename)-\(suffix)"
    }
}
