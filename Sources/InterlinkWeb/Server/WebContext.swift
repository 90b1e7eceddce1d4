import Hummingbird

/// The request context of every route of `rescale-int ui`.
///
/// It carries Hummingbird's core storage only; what handlers need beyond the request (the study directory, the
/// connection, the event bus) comes from ``WebServices``, given to each ``WebRouteGroup`` when it registers.
package struct WebContext: RequestContext {
    /// Hummingbird's per-request storage (logger, parameters, endpoint path).
    package var coreContext: CoreRequestContextStorage

    /// Creates the context of one request.
    ///
    /// - Parameter source: The channel and logger the request arrived with.
    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
