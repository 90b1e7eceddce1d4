/// What the handlers of `rescale-int ui` need, built once by the `ui` command and shared by every route group.
///
/// It holds no business logic of its own: runs are read by the CLI's run store (``WebRunCatalog``), the Rescale
/// connection is the CLI's (``WebConnection``), and runs are started, resumed and stopped by the same
/// `rescale-int` binary (``WebProcesses``), whose `--json` events and journal records reach the page through
/// ``events``.
package struct WebServices: Sendable {
    /// The absolute study directory the UI was started on (`rescale-int ui [DIR]`).
    package var directory: String
    /// The runs under ``directory``, read through the CLI's run store.
    package var runs: any WebRunCatalog
    /// The resolved Rescale connection (profile, URL, masked key) and its API client.
    package var connection: any WebConnection
    /// The `rescale-int` commands the UI starts (run, resume, stop, plan), with their output on the event bus.
    package var processes: WebProcesses
    /// The live event bus the Activity tab and every run page subscribe to.
    package var events: WebEventBus

    /// Creates the services.
    ///
    /// - Parameters:
    ///   - directory: The absolute study directory.
    ///   - runs: The run catalog.
    ///   - connection: The connection.
    ///   - processes: The command launcher.
    ///   - events: The event bus.
    package init(
        directory: String,
        runs: any WebRunCatalog,
        connection: any WebConnection,
        processes: WebProcesses,
        events: WebEventBus
    ) {
        self.directory = directory
        self.runs = runs
        self.connection = connection
        self.processes = processes
        self.events = events
    }

    /// Sends an event to every subscriber (the Activity tab, run pages); never blocks.
    ///
    /// - Parameter event: The event.
    package func publish(_ event: WebEvent) {
        events.publish(event)
    }
}
