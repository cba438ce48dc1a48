import Foundation

// `proforma-bench usage …` writes a synthetic usage file (UsageGenerator.swift).
if CommandLine.arguments.count >= 2 && CommandLine.arguments[1] == "usage" {
    exit(UsageGeneratorCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}
print("proforma-bench")
