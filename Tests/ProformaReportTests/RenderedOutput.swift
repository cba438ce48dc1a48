import Foundation
import ProformaCore
import ProformaTestSupport

/// Reading rendered output back, to check it as a consumer would.
enum RenderedOutput {
    /// Parses RFC 4180 CSV (CRLF or LF line ends, quoted fields with doubled quotes) into rows of fields.
    static func csv(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if inQuotes {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        scalars = scalars.dropFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case ",":
                row.append(field)
                field = ""
            case "\r" where scalars.first == "\n":
                continue
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// CSV rows as dictionaries keyed by the header row.
    static func csvRecords(_ text: String) -> [[String: String]] {
        let rows = csv(text)
        guard let header = rows.first else { return [] }
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dictionary = object as? [String: Any] else { throw Failure("not a JSON object") }
        return dictionary
    }

    static func decimal(_ value: Any?) throws -> ExactDecimal {
        guard let text = value as? String else { throw Failure("not a string: \(String(describing: value))") }
        guard let decimal = ExactDecimal(text) else { throw Failure("not a decimal: \(text)") }
        return decimal
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The seeded generator of the test support (SplitMix64), so property tests are reproducible.
typealias SeededGenerator = Mutator
