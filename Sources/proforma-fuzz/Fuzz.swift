import Foundation
import ProformaCore
import ProformaLoader
import ProformaUsage
import ProformaValidation

#if canImport(Glibc)
    import Glibc
#endif

/// Fuzz targets for the configuration loader and the usage reader, for libFuzzer:
///
///     swift build -c release --product proforma-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DPROFORMA_LIBFUZZER
///     export ASAN_OPTIONS=detect_leaks=0   # the lazily made globals of the model look like leaks at exit
///     PROFORMA_FUZZ=yaml .build/release/proforma-fuzz fuzz-corpus/ examples/ -max_len=65536 -timeout=5
///     PROFORMA_FUZZ=usage .build/release/proforma-fuzz usage-corpus/ -max_len=65536 -timeout=5
///
/// `PROFORMA_FUZZ` chooses the reader: `yaml` (the default) loads the input as a configuration file beside a valid
/// project file and validates it; `usage` reads it as a usage export to its end. Beyond crashes and hangs, which
/// libFuzzer finds itself, each target traps when an input is rejected without a position (a YAML file that
/// yields no resource and no diagnostic located in it, a row error without its row).
///
/// Built without `-DPROFORMA_LIBFUZZER` (as in every ordinary build of the package) the executable replays the
/// files it is given, each once, so a crashing input libFuzzer saved can be run under a debugger.
enum FuzzTarget: String {
    case yaml
    case usage

    static let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["PROFORMA_FUZZ"] ?? "yaml") ?? .yaml

    static let project = Array("kind: Project\nname: fuzz\nversion: 1\npayer_account_id: \"999999999999\"\n".utf8)

    func run(_ input: [UInt8]) {
        switch self {
        case .yaml:
            let tree = InMemoryFileTree(bytes: ["proforma.yaml": Self.project, "fuzz.yaml": input])
            guard let loaded = try? ConfigurationLoader().load(from: tree) else {
                preconditionFailure("loading an in-memory tree failed")
            }
            let diagnostics = Validator().validate(loaded)
            let resources = loaded.sourceMap.resources.values.contains { $0.location.path == "fuzz.yaml" }
            let located = diagnostics.contains { $0.location?.path == "fuzz.yaml" }
            precondition(resources || located, "an input was rejected without a diagnostic located in it")
            for diagnostic in diagnostics {
                if let location = diagnostic.location {
                    precondition(location.line >= 1 && location.column >= 1, "a diagnostic at \(location)")
                }
            }
        case .usage:
            do {
                let reader = try UsageReader(bytes: input, name: "fuzz.csv")
                while try reader.next() != nil {}
            } catch {
                precondition(!error.isRowError || (error.row ?? 0) >= 1, "a row error without its row: \(error)")
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func proformaFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.chosen.run(input)
    return 0
}

#if PROFORMA_LIBFUZZER
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        #if PROFORMA_LIBFUZZER
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, proformaFuzzOneInput))
        #else
            // Replay: every file named, and every file below every folder named, once.
            var count = 0
            for argument in CommandLine.arguments.dropFirst() {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                    FileHandle.standardError.write(Data("proforma-fuzz: \(argument): no such file\n".utf8))
                    exit(64)
                }
                var paths = [argument]
                if isDirectory.boolValue {
                    let below = FileManager.default.enumerator(atPath: argument)?.compactMap { $0 as? String } ?? []
                    paths = below.sorted().map { argument + "/" + $0 }
                }
                for path in paths {
                    guard let data = FileManager.default.contents(atPath: path) else { continue }
                    FuzzTarget.chosen.run(Array(data))
                    count += 1
                }
            }
            print("proforma-fuzz: \(count) inputs replayed through the \(FuzzTarget.chosen.rawValue) target")
        #endif
    }
}
