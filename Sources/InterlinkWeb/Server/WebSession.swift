import Foundation
import Synchronization

/// The UI's one browser session: a one-time token printed in the URL, exchanged once for a session secret kept
/// in an HttpOnly, SameSite=Strict cookie.
package final class WebSession: Sendable {
    /// The token in the printed URL (`?token=`); valid for one exchange.
    package let token: String
    /// The cookie's value.
    let secret: String
    private let used = Mutex(false)

    /// Creates a session with fresh random values (256 bits each).
    package init() {
        token = Self.random()
        secret = Self.random()
    }

    /// Exchanges the token for the session secret, once.
    ///
    /// - Parameter candidate: The token a request carries.
    /// - Returns: Whether it is the token and was not used before.
    func redeem(_ candidate: String) -> Bool {
        guard Self.equal(candidate, token) else { return false }
        return used.withLock { used in
            defer { used = true }
            return !used
        }
    }

    /// Whether a cookie value is the session secret.
    func accepts(_ cookie: String?) -> Bool {
        guard let cookie else { return false }
        return Self.equal(cookie, secret)
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    private static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}
