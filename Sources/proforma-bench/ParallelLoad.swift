import Dispatch
import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import Synchronization

/// An experiment for the profile: files are independent until their resources are merged, so a loader could
/// read, parse and convert them on every core. This loads each file on its own through the public single-file
/// entry point (`ConfigurationLoader.load(file:text:)`), first on one thread and then on several, and reports both
/// times. It leaves out the merge (names across files, sorting), which the real loader does afterwards.
enum ParallelLoad {
    struct Timing {
        var threads: Int
        var seconds: Double
        var resources: Int
    }

    static func run(directory: String, threads: Int, print output: (String) -> Void) throws {
        let tree = DirectoryFileTree(root: directory)
        let paths = try tree.entries().map(\.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        let texts = try paths.map { String(decoding: try tree.contents(of: $0), as: UTF8.self) }
        output("\(paths.count) files, \(texts.reduce(0) { $0 + $1.utf8.count } / 1024) KiB in memory")
        for count in Set([1, threads]).sorted() {
            let timing = measure(paths: paths, texts: texts, threads: count)
            output(
                "\(count) thread\(count == 1 ? "" : "s"): \(Measure.milliseconds(timing.seconds)) to read "
                    + "\(timing.resources) resources file by file")
        }
    }

    static func measure(paths: [String], texts: [String], threads: Int) -> Timing {
        let next = Atomic<Int>(0)
        let resources = Atomic<Int>(0)
        let start = Measure.now()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let loader = ConfigurationLoader()
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < paths.count else { break }
                let loaded = loader.load(file: paths[index], text: texts[index])
                resources.wrappingAdd(loaded.configuration.resourceCount, ordering: .relaxed)
            }
        }
        return Timing(threads: threads, seconds: Measure.now() - start, resources: resources.load(ordering: .relaxed))
    }
}
