/// "Did you mean …?" suggestions for misspelt names.
public enum Suggestions {
    /// The candidate closest to `word` by edit distance (case-insensitive), if it is close enough to be a likely
    /// misspelling; ties go to the candidate first in sorted order.
    public static func closest<S: Sequence>(to word: String, among candidates: S) -> String? where S.Element == String {
        let target = Array(word.lowercased().unicodeScalars)
        let limit = max(2, target.count / 3)
        var best: (distance: Int, candidate: String)?
        for candidate in candidates {
            let lowered = Array(candidate.lowercased().unicodeScalars)
            if abs(lowered.count - target.count) > limit { continue }
            let distance = editDistance(target, lowered, limit: limit)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.candidate) {
                best = (distance, candidate)
            }
        }
        return best?.candidate
    }

    /// A hint sentence: `did you mean "x"?`, or nil.
    public static func hint<S: Sequence>(for word: String, among candidates: S) -> String? where S.Element == String {
        closest(to: word, among: candidates).map { "did you mean \"\($0)\"?" }
    }

    /// Levenshtein distance, giving up (returning `limit + 1`) once every path exceeds `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
