/// Every route group the server registers, in order: one per tab, plus the static files.
///
/// The Setup, Jobs and Files tabs add theirs here (`SetupRoutes()`, `JobsRoutes()`, `FilesRoutes()`).
let allRouteGroups: [any WebRouteGroup] = [
    StaticRoutes(),
    RunsRoutes(),
    ActivityRoutes(),
    SetupRoutes(),
    JobsRoutes(),
    FilesRoutes(),
]
