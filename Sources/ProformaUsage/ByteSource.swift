#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import CZlib

/// Where the bytes of a CSV come from: a file, memory, or a gzip stream over one of those.
protocol ByteSource: AnyObject {
    /// Reads up to `capacity` bytes into `destination`; returns how many, 0 only at the end of the data.
    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UsageError) -> Int
}

/// A file read with plain `read(2)` calls. Owns its descriptor.
final class FileSource: ByteSource {
    private let descriptor: Int32
    private let name: String

    init(path: String, name: String) throws(UsageError) {
        self.name = name
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw UsageError(
                .io, file: name, message: "cannot open the file: \(reason)",
                hint: "Check the path and that the file is readable.")
        }
        descriptor = fd
        #if os(Linux)
            // The file is read once from start to end: let the kernel read ahead further.
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    deinit {
        close(descriptor)
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UsageError) -> Int {
        while true {
            #if canImport(Darwin)
                let count = Darwin.read(descriptor, destination, capacity)
            #elseif canImport(Glibc)
                let count = Glibc.read(descriptor, destination, capacity)
            #else
                let count = Musl.read(descriptor, destination, capacity)
            #endif
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            throw UsageError(.io, file: name, message: "cannot read the file: \(reason)")
        }
    }
}

/// Bytes held in memory (for tests and for callers that already have the data).
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UsageError) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { buffer in
            destination.update(from: buffer.baseAddress! + offset, count: count)
        }
        offset += count
        return count
    }
}

/// Decompresses a gzip stream (one or more concatenated members) read from another source. Owns the zlib stream.
final class GzipSource: ByteSource {
    private let input: ByteSource
    private let name: String
    /// Heap-allocated because zlib keeps a pointer back to it: the stream must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let inputBuffer: UnsafeMutablePointer<UInt8>
    private let inputCapacity: Int
    private var inputEnded = false
    /// True between the end of one gzip member and the start of the next (or the end of the data).
    private var betweenMembers = false
    private var finished = false

    static let magic: (UInt8, UInt8) = (0x1f, 0x8b)

    /// `initial` holds bytes already taken from `input` (those that showed the gzip magic).
    init(input: ByteSource, initial: UnsafeBufferPointer<UInt8>, name: String, inputCapacity: Int = 1 << 18)
        throws(UsageError)
    {
        self.input = input
        self.name = name
        self.inputCapacity = max(inputCapacity, initial.count)
        inputBuffer = .allocate(capacity: self.inputCapacity)
        if let base = initial.baseAddress, initial.count > 0 {
            inputBuffer.update(from: base, count: initial.count)
        }
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        stream.pointee.next_in = inputBuffer
        stream.pointee.avail_in = UInt32(initial.count)
        let status = inflateInit2_(stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            // deinit frees the buffers (inflateEnd does nothing to a stream that did not start).
            throw UsageError(.gzip, file: name, message: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        inputBuffer.deallocate()
    }

    /// Refills the compressed input when zlib has used it all. Returns false at the end of the input.
    private func refillInput() throws(UsageError) -> Bool {
        if stream.pointee.avail_in > 0 { return true }
        if inputEnded { return false }
        let count = try input.read(into: inputBuffer, capacity: inputCapacity)
        if count == 0 {
            inputEnded = true
            return false
        }
        stream.pointee.next_in = inputBuffer
        stream.pointee.avail_in = UInt32(count)
        return true
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UsageError) -> Int {
        if finished || capacity == 0 { return 0 }
        stream.pointee.next_out = destination
        stream.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
        let requested = Int(stream.pointee.avail_out)
        while stream.pointee.avail_out > 0 {
            let hasInput = try refillInput()
            if betweenMembers {
                // Another member follows only if there is more input (trailing zero padding ends the data).
                guard hasInput else {
                    finished = true
                    break
                }
                if stream.pointee.next_in.pointee == 0 {
                    finished = true
                    break
                }
                inflateReset(stream)
                betweenMembers = false
            }
            guard hasInput else {
                throw UsageError(
                    .gzip, file: name, message: "the gzip data ends before the end of its stream",
                    hint: "The file is probably cut short; download or copy it again.")
            }
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                betweenMembers = true
            case Z_BUF_ERROR:
                // No progress possible with the input at hand: more is needed.
                if stream.pointee.avail_in == 0 { continue }
                throw corrupt(status)
            default:
                throw corrupt(status)
            }
            // Hand back what we have at the end of a member rather than looping on a possibly empty tail.
            if Int(stream.pointee.avail_out) < requested { break }
        }
        return requested - Int(stream.pointee.avail_out)
    }

    private func corrupt(_ status: Int32) -> UsageError {
        var detail = ""
        if let message = stream.pointee.msg {
            detail = " (" + String(cString: message) + ")"
        }
        return UsageError(
            .gzip, file: name, message: "the gzip data is corrupt\(detail)",
            hint: "Check that the file was downloaded completely, e.g. with `gzip -t`.")
    }
}
