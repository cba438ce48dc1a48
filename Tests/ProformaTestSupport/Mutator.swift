/// A deterministic generator of mutated inputs for the robustness tests: a seeded SplitMix64 random source and
/// the mutations a fuzzer makes (byte flips, insertions of bytes and of tokens the reader gives meaning to,
/// deletions, truncations, duplications, and splices with another input of the corpus).
///
/// The same seed gives the same inputs on every machine, so a failure names the seed and iteration that
/// reproduce it.
public struct Mutator: RandomNumberGenerator {
    private var state: UInt64
    /// Byte strings that mean something to the reader under test, inserted whole.
    public var tokens: [[UInt8]]

    public init(seed: UInt64, tokens: [String] = []) {
        self.state = seed
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (bound > 0).
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(max(bound, 1)))
    }

    /// One to four mutations of an input of `corpus`.
    public mutating func mutate(from corpus: [[UInt8]]) -> [UInt8] {
        var bytes = corpus[below(corpus.count)]
        for _ in 0...below(4) {
            bytes = mutate(bytes, corpus: corpus)
        }
        return bytes
    }

    /// One mutation of `input`.
    public mutating func mutate(_ input: [UInt8], corpus: [[UInt8]]) -> [UInt8] {
        var bytes = input
        let position = below(bytes.count + 1)
        switch below(tokens.isEmpty ? 8 : 10) {
        case 0:  // flip one bit
            if !bytes.isEmpty {
                let index = below(bytes.count)
                bytes[index] ^= UInt8(1 << below(8))
            }
        case 1:  // set a byte to a boundary value
            if !bytes.isEmpty {
                bytes[below(bytes.count)] = [0x00, 0x09, 0x0A, 0x0D, 0x22, 0x7F, 0x80, 0xC3, 0xFF][below(9)]
            }
        case 2:  // insert random bytes
            bytes.insert(contentsOf: (0...below(8)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: position)
        case 3:  // delete a range
            if !bytes.isEmpty {
                let end = min(bytes.count, position + 1 + below(16))
                bytes.removeSubrange(min(position, bytes.count - 1)..<end)
            }
        case 4:  // truncate
            bytes.removeSubrange(position...)
        case 5:  // duplicate a range in place
            if !bytes.isEmpty {
                let start = below(bytes.count)
                let end = min(bytes.count, start + 1 + below(64))
                bytes.insert(contentsOf: bytes[start..<end], at: position)
            }
        case 6, 7:  // splice: the head of this input with the tail of another
            let other = corpus[below(corpus.count)]
            let cut = below(other.count + 1)
            bytes = Array(bytes[..<position]) + other[cut...]
        default:  // insert a token
            bytes.insert(contentsOf: tokens[below(tokens.count)], at: position)
        }
        return bytes
    }
}
