import CCurl
import Foundation
import Synchronization

/// One dedicated thread that runs a curl multi handle for one client.
///
/// Tasks never touch curl: they queue commands (add, cancel, unpause) in the mutex-protected inbox and wake the
/// thread with `curl_multi_wakeup`; the thread applies them, drives `curl_multi_perform`, delivers completions and
/// sleeps in `curl_multi_poll`. Every easy handle is created, paused, removed and freed on that thread.
final class CurlEngine: Sendable {
    /// A request from a task to the engine thread.
    enum Command: Sendable {
        case add(CurlTransfer)
        case cancel(CurlTransfer, HTTPClientError)
        case unpause(CurlTransfer)
    }

    /// What tasks share with the thread.
    struct Inbox: Sendable {
        var commands: [Command] = []
        /// The multi handle's address, for `curl_multi_wakeup`, which is thread-safe.
        ///
        /// 0 before start and after shutdown. Kept as an integer because a C pointer is not `Sendable`; it is used only under this lock, and the
        /// thread clears it under the lock before it frees the handle.
        var multiAddress: UInt = 0
        var isStopping = false
        var isStopped = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The client's settings.
    let configuration: HTTPClient.Configuration
    /// The shared inbox.
    let inbox = Mutex(Inbox())

    /// Initializes libcurl once per process.
    static let globalInitialization: Bool = ccurl_global_init() == CURLE_OK

    /// Starts the engine thread.
    init(configuration: HTTPClient.Configuration) {
        _ = Self.globalInitialization
        self.configuration = configuration
        let multi = curl_multi_init()
        if let multi {
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
            inbox.withLock { $0.multiAddress = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(multi))) }
        }
        let thread = Thread { [self] in self.run() }
        thread.name = "interlink-http"
        thread.start()
    }

    /// Queues a command and wakes the thread; a command after shutdown fails its transfer at once.
    func submit(_ command: Command) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.isStopping, let multi = OpaquePointer(bitPattern: inbox.multiAddress) else { return false }
            inbox.commands.append(command)
            _ = curl_multi_wakeup(multi)
            return true
        }
        if !accepted, case .add(let transfer) = command { transfer.finish(.failure(HTTPClientError(.shutdown))) }
    }

    /// Asks the thread to remove a transfer and fail it with `reason`; nothing happens once it has finished.
    func cancel(_ transfer: CurlTransfer, reason: HTTPClientError) {
        submit(.cancel(transfer, reason))
    }

    /// Asks the thread to apply the transfer's pause bits again (after the producer or consumer caught up).
    func unpause(_ transfer: CurlTransfer) {
        submit(.unpause(transfer))
    }

    /// Stops the thread after failing every transfer still running, and waits for it.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = inbox.withLock { inbox in
                if inbox.isStopped { return true }
                inbox.shutdownWaiters.append(continuation)
                inbox.isStopping = true
                if let multi = OpaquePointer(bitPattern: inbox.multiAddress) { _ = curl_multi_wakeup(multi) }
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    /// The thread's loop.
    private func run() {
        guard let multi = inbox.withLock({ OpaquePointer(bitPattern: $0.multiAddress) }) else {
            inbox.withLock { $0.isStopped = true }
            return
        }
        var handles = CurlHandles(configuration: configuration)
        while true {
            let (commands, stopping) = inbox.withLock { inbox in
                defer { inbox.commands = [] }
                return (inbox.commands, inbox.isStopping)
            }
            for command in commands {
                switch command {
                case .add(let transfer): handles.add(transfer, to: multi)
                case .cancel(let transfer, let reason): handles.remove(transfer, from: multi, outcome: .failure(reason))
                case .unpause(let transfer): handles.applyPause(transfer)
                }
            }
            if stopping { break }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                handles.complete(easy, code: ccurl_message_result(message), from: multi)
            }
            var events: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &events)
        }
        handles.removeAll(from: multi)
        let waiters = inbox.withLock { inbox in
            inbox.multiAddress = 0
            inbox.isStopped = true
            defer { inbox.shutdownWaiters = [] }
            return inbox.shutdownWaiters
        }
        curl_multi_cleanup(multi)
        for waiter in waiters { waiter.resume() }
    }
}
