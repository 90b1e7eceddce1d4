import InterlinkCore
import RescaleAPI
import RescalePlatform

/// Platform work of a route, with its failures turned into errors the page shows as they are.
enum PlatformCall {
    /// Runs `body` on the UI's connection.
    ///
    /// A refused path or a ``WebError`` passes unchanged; a configuration problem (no key, a bad URL) or a refused
    /// key is a 400 that points at the Setup tab; what the platform says does not exist is a 404, and a request it
    /// refused (another 4xx) a 400, each with the platform's message; every other failure (unreachable, 5xx) is a 502.
    ///
    /// - Parameters:
    ///   - connection: The connection.
    ///   - body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: ``WebError`` or ``StudyPathError``; `CancellationError` unchanged.
    static func run<T: Sendable>(
        _ connection: any WebConnection,
        _ body: (RescaleAPIClient, RescalePlatform) async throws -> T
    ) async throws -> T {
        do {
            return try await connection.withAPI(body)
        } catch let error as WebError {
            throw error
        } catch let error as StudyPathError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch let error as ConfigurationError {
            throw WebError(.badRequest("\(error.message) (\(error.help ?? "open the Setup tab"))"))
        } catch let error as PlatformError {
            switch error.reason {
            case .notFound: throw WebError(.notFound(ErrorText.describe(error)))
            case .rejected: throw WebError(.badRequest(ErrorText.describe(error)))
            case .unauthorized:
                throw WebError(.badRequest("\(ErrorText.describe(error)) (check the API key in the Setup tab)"))
            default: throw WebError(.failed(ErrorText.describe(error), platform: true))
            }
        } catch {
            throw WebError(.failed(ErrorText.describe(error), platform: true))
        }
    }
}
