import CSystemCodecs
import Foundation
import InterlinkHTTP
import InterlinkStorage
import Logging

/// `storage-bench upload|download <endpoint> <bucket> <key> <file> <partSize> <window>`: one timed transfer.
///
/// Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (moto's `testing` when
/// unset), so the same binary serves moto (`bench/storage`) and the emulator's issued credentials (`bench/rescale`).
/// With `STORAGE_BENCH_DEBUG=1` the storage layer's debug log (each retry with its error and pause) goes to stderr.
/// `STORAGE_BENCH_PART_CHECKSUMS=0` uploads S3 parts without their CRC-32 (to measure what the checksums cost).
@main
struct StorageBench {
    static func main() async throws {
        // The allocator setting `rescale-int` runs with, so the peak RSS measured here is the tool's: glibc would
        // otherwise raise its mmap threshold to each freed 16 MiB buffer and keep the next ones in its heap.
        _ = il_fix_mmap_threshold(128 << 10)
        let arguments = CommandLine.arguments
        guard arguments.count == 8, let endpoint = S3Endpoint.custom(url: arguments[2]),
            let partSize = Int(arguments[6]), let window = Int(arguments[7])
        else {
            FileHandle.standardError.write(
                Data("usage: storage-bench upload|download endpoint bucket key file partSize window\n".utf8)
            )
            exit(64)
        }
        let (mode, bucket, key, file) = (arguments[1], arguments[3], ObjectKey(arguments[4]), arguments[5])
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "storage-bench") { label in
            let handler: any LogHandler =
                environment["STORAGE_BENCH_DEBUG"] == "1"
                ? StreamLogHandler.standardError(label: label) : SwiftLogNoOpLogHandler()
            return handler
        }
        logger.logLevel = .debug
        let credentials = AWSCredentials(
            accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "testing",
            secretAccessKey: environment["AWS_SECRET_ACCESS_KEY"] ?? "testing",
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        )
        var client = S3Client(
            transport: HTTPClientTransport(client: HTTPClient.shared),
            endpoint: endpoint,
            bucket: bucket,
            region: "us-east-1",
            credentials: CredentialCache(provider: StaticCredentialProvider(credentials)),
            retrier: StorageRetrier(logger: logger)
        )
        // STORAGE_BENCH_PART_CHECKSUMS=0: parts without their CRC-32 (the upload created with no algorithm), to
        // measure what the checksums cost.
        client.partChecksums = environment["STORAGE_BENCH_PART_CHECKSUMS"] != "0"
        let clock = ContinuousClock()
        let started = clock.now
        if mode == "upload" {
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber
            let uploader = ConcurrentUploader(store: client, window: window, logger: logger)
            let metadata = ObjectMetadata.streaming(iv: "oKGio6SlpqeoqaqrrK2urw==", partSize: partSize)
            if environment["STORAGE_BENCH_BUFFERED"] == "1" {
                // Whole parts in memory, as before streaming: for comparing peak RSS.
                _ = try await uploader.upload(
                    to: key,
                    metadata: metadata,
                    partSize: partSize,
                    from: FilePartSource(path: file, partSize: partSize),
                    expectedBytes: size?.int64Value
                )
            } else {
                _ = try await uploader.upload(
                    to: key,
                    metadata: metadata,
                    partSize: partSize,
                    streamingFrom: FileStreamSource(path: file, partSize: partSize, fileSize: size?.intValue ?? 0),
                    expectedBytes: size?.int64Value
                )
            }
        } else {
            let properties = try await client.properties(of: key)
            var consumer = PlainBytesConsumer()
            let start = DownloadCheckpoint(
                key: key,
                objectSize: properties.size,
                etag: properties.etag,
                rangeSize: Int64(partSize),
                rangesDone: 0,
                bytesWritten: 0
            )
            _ = try await ConcurrentDownloader(store: client, window: window, readAhead: window + 1, logger: logger)
                .download(start, to: file, consumer: &consumer, expectedOutputSize: properties.size)
        }
        let elapsed = started.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "%.3f", seconds))
    }
}
