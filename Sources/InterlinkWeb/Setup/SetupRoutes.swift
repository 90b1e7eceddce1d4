import Foundation
import Hummingbird
import InterlinkCore
import InterlinkSystem
import RescaleAPI

/// The Setup tab's JSON routes under `/api/setup`: read and apply the settings (profile, URL, key, proxy,
/// workers), and test the connection the other tabs use.
///
/// The settings are read and written in the environment of the commands the UI starts (the CLI's, with its global
/// flags applied), so the page shows what `rescale-int config show` shows there.
package struct SetupRoutes: WebRouteGroup {
    /// Creates the group.
    package init() {}

    package func register(on router: Router<WebContext>, services: WebServices) {
        let setup = SetupService(environment: services.processes.environment)
        let group = router.group("api/setup")
        group.get { request, _ in
            let profile = request.uri.queryParameters["profile"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return WebReply.json(
                try await Blocking.run { () throws -> SetupService.Settings in try setup.settings(profile: profile) }
            )
        }
        group.post { request, _ in
            let change = try await WebReply.decode(SetupService.Change.self, from: request)
            let settings = try await Blocking.run { () throws -> SetupService.Settings in try setup.apply(change) }
            services.publish(
                WebEvent(
                    source: "ui",
                    text: "setup: profile '\(settings.profile)' saved (key \(settings.apiKey?.value ?? "not set"))"
                )
            )
            return WebReply.json(settings)
        }
        group.post("test") { _, _ in
            let result: SetupService.TestResult
            do {
                result = try await PlatformCall.run(services.connection) { api, _ in
                    let profile = try await api.profile()
                    return SetupService.TestResult(
                        ok: true,
                        platform: api.baseURL.description,
                        user: "\(profile.fullName ?? "?") <\(profile.email ?? "?")>",
                        storage: profile.storageLocation,
                        error: nil
                    )
                }
            } catch let error as WebError {
                result = SetupService.TestResult(ok: false, error: error.description)
            }
            return WebReply.json(result)
        }
    }
}
