import Hummingbird

/// A group of routes of `rescale-int ui`: one per tab (Setup, Runs, Jobs, Files, Activity).
///
/// Groups are listed once, in `allRouteGroups` (RouteGroups.swift); the server registers each of them on its
/// router after the security middleware, so every route a group adds is behind the session cookie, the Host check
/// and the same-origin rule for state-changing methods. JSON routes live under `/api/`.
package protocol WebRouteGroup: Sendable {
    /// Adds the group's routes.
    ///
    /// - Parameters:
    ///   - router: The server's router.
    ///   - services: What the handlers need: the directory, the connection, the run catalog, the event bus.
    func register(on router: Router<WebContext>, services: WebServices)
}
