import CCurl

/// The easy handles the engine thread runs: created, paused, removed and freed only on that thread.
struct CurlHandles {
    /// One running request.
    struct Active {
        let easy: OpaquePointer
        let transfer: CurlTransfer
        let headers: UnsafeMutablePointer<curl_slist>?
        let errorBuffer: UnsafeMutablePointer<CChar>
    }

    /// The client's settings.
    let configuration: HTTPClient.Configuration
    /// Running requests by easy handle address.
    private var active: [UInt: Active] = [:]
    /// Easy handle addresses by transfer.
    private var byTransfer: [ObjectIdentifier: UInt] = [:]

    /// Creates an empty table.
    init(configuration: HTTPClient.Configuration) {
        self.configuration = configuration
    }

    /// Creates the easy handle for a transfer and adds it to the multi handle.
    mutating func add(_ transfer: CurlTransfer, to multi: OpaquePointer) {
        guard !transfer.state.withLock({ $0.isDone }) else { return }
        guard let easy = curl_easy_init() else {
            transfer.finish(.failure(HTTPClientError(.transport(code: -1, message: "curl_easy_init failed"))))
            return
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(ccurl_error_size()))
        errorBuffer.initialize(repeating: 0, count: Int(ccurl_error_size()))
        let headers = CurlOptions.apply(transfer.request, configuration: configuration, to: easy)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        let userdata = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_easy_setopt_callback(easy, CURLOPT_READFUNCTION, curlRead)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_READDATA, userdata)
        _ = ccurl_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, curlWrite)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userdata)
        _ = ccurl_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, curlHeader)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userdata)
        let address = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(easy)))
        active[address] = Active(easy: easy, transfer: transfer, headers: headers, errorBuffer: errorBuffer)
        byTransfer[ObjectIdentifier(transfer)] = address
        _ = curl_multi_add_handle(multi, easy)
    }

    /// Applies the transfer's current pause bits (after its producer queued bytes or its consumer drained some).
    func applyPause(_ transfer: CurlTransfer) {
        guard let address = byTransfer[ObjectIdentifier(transfer)], let entry = active[address] else { return }
        _ = curl_easy_pause(entry.easy, transfer.pauseMask)
    }

    /// Removes a transfer before it completed and records `outcome`.
    mutating func remove(_ transfer: CurlTransfer, from multi: OpaquePointer, outcome: Result<Void, HTTPClientError>) {
        guard let address = byTransfer[ObjectIdentifier(transfer)] else { return }
        release(address, from: multi, outcome: outcome)
    }

    /// Records the result of a transfer curl reports done and frees its handle.
    mutating func complete(_ easy: OpaquePointer, code: CURLcode, from multi: OpaquePointer) {
        let address = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(easy)))
        guard let entry = active[address] else { return }
        let outcome: Result<Void, HTTPClientError>
        if let shortBody = entry.transfer.state.withLock({ $0.shortBody }) {
            outcome = .failure(shortBody)
        } else if code == CURLE_OK {
            outcome = .success(())
        } else {
            outcome = .failure(CurlErrors.error(for: code, easy: easy, message: String(cString: entry.errorBuffer)))
        }
        release(address, from: multi, outcome: outcome)
    }

    /// Fails every running transfer (at shutdown).
    mutating func removeAll(from multi: OpaquePointer) {
        for address in Array(active.keys) {
            release(address, from: multi, outcome: .failure(HTTPClientError(.shutdown)))
        }
    }

    private mutating func release(_ address: UInt, from multi: OpaquePointer, outcome: Result<Void, HTTPClientError>) {
        guard let entry = active.removeValue(forKey: address) else { return }
        byTransfer[ObjectIdentifier(entry.transfer)] = nil
        // Record the outcome first, so callbacks that removal may run see a finished transfer.
        entry.transfer.finish(outcome)
        _ = curl_multi_remove_handle(multi, entry.easy)
        curl_easy_cleanup(entry.easy)
        curl_slist_free_all(entry.headers)
        entry.errorBuffer.deallocate()
    }
}

/// The transfer behind a callback's userdata.
private func transferFrom(_ userdata: UnsafeMutableRawPointer?) -> CurlTransfer? {
    userdata.map { Unmanaged<CurlTransfer>.fromOpaque($0).takeUnretainedValue() }
}

/// CURLOPT_READFUNCTION: fills the upload buffer.
private let curlRead: ccurl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let transfer = transferFrom(userdata) else { return 0 }
    return transfer.read(into: buffer, capacity: size * count)
}

/// CURLOPT_WRITEFUNCTION: takes body bytes.
private let curlWrite: ccurl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let transfer = transferFrom(userdata) else { return 0 }
    return transfer.write(UnsafeRawBufferPointer(start: buffer, count: size * count))
}

/// CURLOPT_HEADERFUNCTION: takes one header line.
private let curlHeader: ccurl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let transfer = transferFrom(userdata) else { return 0 }
    transfer.header(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}
