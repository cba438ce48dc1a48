import ArgumentParser
import ProformaCore
import ProformaFrontend

struct Explain: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code, with an example, or list them all.")

    @Argument(help: ArgumentHelp("A code such as PF401, or its name (primary-not-member).", valueName: "code"))
    var code: String?

    func execute() throws -> ExitCode {
        guard let code else {
            var text = ""
            for item in DiagnosticCode.allCases {
                text +=
                    "\(item.rawValue)  \(item.defaultSeverity.rawValue.padding(7))  \(item.name.padding(28))  \(item.summary)\n"
            }
            Terminal.write(text)
            return ExitStatus.success
        }
        guard
            let item = DiagnosticCode(rawValue: code.uppercased())
                ?? DiagnosticCode.allCases.first(where: { $0.name == code.lowercased() })
        else {
            throw UserError(
                "unknown diagnostic code \"\(code)\"",
                hint: "run `proforma explain` to list every code", kind: .usage)
        }
        Terminal.write(Self.text(item))
        return ExitStatus.success
    }

    /// The code, its summary, its explanation wrapped to 100 columns, and its example.
    static func text(_ item: DiagnosticCode) -> String {
        var text = "\(item.rawValue) \(item.name) (\(item.defaultSeverity.rawValue))\n\(item.summary)\n\n"
        text += wrap(item.explanation, width: 100) + "\n\n"
        switch item.example {
        case .file(let path, let example):
            text += "Example, in \(path):\n\n"
            text += example.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map { $0.isEmpty ? "\n" : "    \($0)\n" }.joined()
        case .notOneFile(let reason):
            text += wrap("No example fits in one file: \(reason).", width: 100) + "\n"
        }
        return text
    }

    /// `text` in lines of at most `width` characters, broken between words.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
