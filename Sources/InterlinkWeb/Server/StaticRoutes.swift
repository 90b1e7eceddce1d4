import Foundation
import Hummingbird

/// The page and its files, read from the binary's resource bundle (no CDN, no network, no build step).
///
/// `/` is `index.html`, `/static/NAME` any other file of `Resources/`; a file that is not there is 404.
struct StaticRoutes: WebRouteGroup {
    func register(on router: Router<WebContext>, services: WebServices) {
        let assets = WebAssets.bundled
        router.get("/") { _, _ in try assets.response(for: "index.html") }
        router.get("/static/:name") { _, context in
            try assets.response(for: try context.parameters.require("name"))
        }
    }
}

/// The files under `Sources/InterlinkWeb/Resources`, read once.
struct WebAssets: Sendable {
    /// The files by name.
    let files: [String: Data]

    /// The bundled files; empty when the bundle has no `Resources` folder.
    ///
    /// The folder is `Resources` inside the bundle; Foundation's `resourceURL` is the bundle itself on Linux and
    /// its `Contents/Resources` on macOS, so both places are looked at.
    static let bundled: WebAssets = {
        let candidates = [
            Bundle.module.bundleURL.appendingPathComponent("Resources"),
            Bundle.module.resourceURL?.appendingPathComponent("Resources"),
            Bundle.module.resourceURL,
        ].compactMap { $0 }
        guard
            let folder = candidates.first(where: {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent("index.html").path)
            })
        else {
            return WebAssets(files: [:])
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var files: [String: Data] = [:]
        for name in names {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) {
                files[name] = data
            }
        }
        return WebAssets(files: files)
    }()

    /// The response for one file.
    ///
    /// - Parameter name: The file name (no folders).
    /// - Returns: The file with its content type.
    /// - Throws: ``WebError`` (404) when there is no such file.
    func response(for name: String) throws -> Response {
        guard !name.contains("/"), let data = files[name] else {
            throw WebError(.notFound("no file '\(name)'"))
        }
        return WebReply.bytes(data, type: Self.type(of: name))
    }

    /// The content type by extension.
    static func type(of name: String) -> String {
        switch name.split(separator: ".").last ?? "" {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
