import ArgumentParser
import ProformaFrontend
import ProformaCore

struct Explain: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code, or list them all.")

    @Argument(help: ArgumentHelp("A code such as PF401, or its name (primary-not-member).", valueName: "code"))
    var code: String?

    func execute() throws -> ExitCode {
        guard let code else {
            var text = ""
            for item in DiagnosticCode.allCases {
                text += "\(item.rawValue)  \(item.defaultSeverity.rawValue.padding(7))  \(item.name.padding(28))  \(item.summary)\n"
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
        Terminal.write("\(item.rawValue) \(item.name) (\(item.defaultSeverity.rawValue))\n\(item.summary)\n")
        return ExitStatus.success
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
