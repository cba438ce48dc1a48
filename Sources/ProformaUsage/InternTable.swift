/// Maps byte strings to values made once per distinct string, so that a column with few distinct values (account
/// IDs, service codes, usage types, …) costs no allocation per row.
///
/// An open-addressing hash table over an arena holding the keys, with a one-entry cache of the last key (rows
/// often repeat the previous row's value). Memory is bounded: past `maxEntries` distinct keys or `maxArenaBytes`
/// of key bytes, new keys are made into values each time and not kept.
///
/// Keys are read 8 bytes at a time: at least 7 readable bytes must follow every key given (field spans of a
/// `RecordBatch` have them: its buffer is padded).
final class InternTable<Value> {
    @exclusivity(unchecked) private var slotHashes: UnsafeMutablePointer<UInt64>  // 0: empty
    @exclusivity(unchecked) private var slotEntries: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var slotMask: Int
    @exclusivity(unchecked) private var keyOffsets: [Int] = []
    @exclusivity(unchecked) private var keyLengths: [Int] = []
    @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var arenaCount = 0
    @exclusivity(unchecked) private var arenaCapacity: Int
    /// The values made, one per distinct key kept.
    @exclusivity(unchecked) private(set) var values: [Value] = []
    @exclusivity(unchecked) private var last = -1
    private let maxEntries: Int
    private let maxArenaBytes: Int

    init(maxEntries: Int = 1 << 16, maxArenaBytes: Int = 4 << 20) {
        self.maxEntries = maxEntries
        self.maxArenaBytes = maxArenaBytes
        let slots = 64
        slotMask = slots - 1
        slotHashes = .allocate(capacity: slots)
        slotHashes.initialize(repeating: 0, count: slots)
        slotEntries = .allocate(capacity: slots)
        slotEntries.initialize(repeating: 0, count: slots)
        arenaCapacity = 1024
        arena = Self.allocateArena(arenaCapacity)
    }

    /// The arena, with 8 bytes of padding for word-sized reads.
    private static func allocateArena(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + 8)
        arena.initialize(repeating: 0, count: capacity + 8)
        return arena
    }

    deinit {
        slotHashes.deallocate()
        slotEntries.deallocate()
        arena.deallocate()
    }

    var count: Int { values.count }

    /// The value for `key`, made with `make` the first time the key is seen.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>, make: (UnsafeBufferPointer<UInt8>) -> Value) -> Value {
        let n = key.count
        if last >= 0 && keyLengths[last] == n && Self.equal(arena + keyOffsets[last], key.baseAddress, n) {
            return values[last]
        }
        return lookup(key, make: make)
    }

    private func lookup(_ key: UnsafeBufferPointer<UInt8>, make: (UnsafeBufferPointer<UInt8>) -> Value) -> Value {
        let n = key.count
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let h = slotHashes[slot]
            if h == 0 { break }
            if h == hash {
                let entry = Int(slotEntries[slot])
                if keyLengths[entry] == n && Self.equal(arena + keyOffsets[entry], key.baseAddress, n) {
                    last = entry
                    return values[entry]
                }
            }
            slot = (slot + 1) & slotMask
        }
        let value = make(key)
        guard values.count < maxEntries, arenaCount + n <= maxArenaBytes else { return value }
        // Keep it: copy the key into the arena and take the empty slot found.
        if arenaCount + n > arenaCapacity {
            var newCapacity = arenaCapacity * 2
            while arenaCount + n > newCapacity { newCapacity *= 2 }
            let newArena = Self.allocateArena(newCapacity)
            newArena.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = newArena
            arenaCapacity = newCapacity
        }
        if let base = key.baseAddress, n > 0 { (arena + arenaCount).update(from: base, count: n) }
        let entry = values.count
        keyOffsets.append(arenaCount)
        keyLengths.append(n)
        values.append(value)
        arenaCount += n
        slotHashes[slot] = hash
        slotEntries[slot] = Int32(entry)
        last = entry
        if values.count * 2 > slotMask + 1 { grow() }
        return value
    }

    private func grow() {
        let oldHashes = slotHashes
        let oldEntries = slotEntries
        let oldSlots = slotMask + 1
        let slots = oldSlots * 2
        slotMask = slots - 1
        slotHashes = .allocate(capacity: slots)
        slotHashes.initialize(repeating: 0, count: slots)
        slotEntries = .allocate(capacity: slots)
        slotEntries.initialize(repeating: 0, count: slots)
        for old in 0..<oldSlots where oldHashes[old] != 0 {
            var slot = Int(truncatingIfNeeded: oldHashes[old]) & slotMask
            while slotHashes[slot] != 0 { slot = (slot + 1) & slotMask }
            slotHashes[slot] = oldHashes[old]
            slotEntries[slot] = oldEntries[old]
        }
        oldHashes.deallocate()
        oldEntries.deallocate()
    }

    /// The 8 bytes at `p`, first byte lowest.
    @inline(__always)
    private static func word(_ p: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + offset).loadUnaligned(as: UInt64.self))
    }

    /// The `n` (1–7) bytes at `p + offset`, first byte lowest, the rest zero.
    @inline(__always)
    private static func tail(_ p: UnsafePointer<UInt8>, _ offset: Int, _ n: Int) -> UInt64 {
        word(p, offset) & (UInt64.max &>> UInt64(64 &- 8 &* n))
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        guard n > 0, let b else { return true }
        var i = 0
        while i &+ 8 <= n {
            if word(a, i) != word(b, i) { return false }
            i &+= 8
        }
        return i == n || tail(a, i, n &- i) == tail(b, i, n &- i)
    }

    /// A fast non-cryptographic hash of bytes, 8 at a time; never 0.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard let base = key.baseAddress, n > 0 else { return h | 1 }
        var i = 0
        while i &+ 8 <= n {
            h = (h ^ word(base, i)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 31
            i &+= 8
        }
        if i < n { h = (h ^ tail(base, i, n &- i)) &* 0x94D0_49BB_1331_11EB }
        h ^= h &>> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h &>> 32
        return h == 0 ? 1 : h
    }
}
