import Foundation
import InterlinkCrypto
import InterlinkTransfer

/// Objects in the legacy v1 format (Interlink 3.1 and earlier), which the product reads and never writes: each
/// part of `partSize` plaintext bytes encrypted with its own HKDF-derived key and IV and padded on its own.
package enum LegacyV1Object {
    /// The object's bytes.
    ///
    /// - Parameters:
    ///   - plaintext: The file's contents.
    ///   - key: The file's data key (`encodedEncryptionKey`).
    ///   - fileID: The metadata `fileid`, 32 bytes.
    ///   - partSize: The metadata `partsize`.
    /// - Returns: The ciphertext of every part, in order (one padded part for an empty file).
    package static func encrypt(_ plaintext: [UInt8], key: EncryptionKey, fileID: [UInt8], partSize: Int) -> [UInt8] {
        let parts = V1PartDecryptor(key: key, fileID: fileID, partSize: partSize, path: "v1")
        var object = Data()
        var start = 0
        var index: UInt64 = 0
        repeat {
            let end = min(start + partSize, plaintext.count)
            let (partKey, partIV) = parts.derive(part: index)
            var chain = CBCChain(key: partKey, iv: partIV)
            let padded = Array(plaintext[start..<end]) + PKCS7.padding(forLength: end - start)
            padded.withUnsafeBytes { chain.encrypt($0, appendingTo: &object) }
            start = end
            index += 1
        } while start < plaintext.count
        return [UInt8](object)
    }

    /// The object's metadata: `formatversion`, `fileid` and `partsize`.
    package static func metadata(fileID: [UInt8], partSize: Int) -> [(String, String)] {
        [("formatversion", "1"), ("fileid", Data(fileID).base64EncodedString()), ("partsize", String(partSize))]
    }
}
