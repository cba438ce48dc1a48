import Dispatch
import Foundation
import ProformaCore
import ProformaModel
import ProformaYAML
import Synchronization

/// The result of loading a configuration: the model, where each resource was written, and every problem found
/// while reading it. Loading never stops at the first problem.
public struct LoadedConfiguration: Sendable {
    public var configuration: Configuration
    public var sourceMap: SourceMap
    public var diagnostics: [Diagnostic]
    /// The configuration root within the tree ("" for the tree's root).
    public var root: String

    public init(configuration: Configuration, sourceMap: SourceMap, diagnostics: [Diagnostic], root: String) {
        self.configuration = configuration
        self.sourceMap = sourceMap
        self.diagnostics = diagnostics
        self.root = root
    }
}

/// Why a configuration could not be loaded at all (as opposed to problems in it, which are diagnostics).
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case noProjectFile
        case severalProjectFiles
        case tree
    }

    public var kind: Kind
    public var message: String
    public var hint: String?

    public var description: String { message }
}

/// Reads a configuration from a tree of files.
public struct ConfigurationLoader: Sendable {
    public static let projectFileName = "proforma.yaml"
    /// Files larger than this are not read as configuration.
    public var limits: YAMLLimits
    /// Whether files the configuration names (the issuer's logo) must be in the tree. Off for trees that hold
    /// the documents alone, as the state store rebuilds them.
    public var checksNamedFiles: Bool

    public init(limits: YAMLLimits = .default, checksNamedFiles: Bool = true) {
        self.limits = limits
        self.checksNamedFiles = checksNamedFiles
    }

    /// The configuration root within `tree`: the folder of its `proforma.yaml`, the shallowest one when there are
    /// several in different folders.
    public static func findRoot(in tree: FileTree) throws -> String {
        let entries = try tree.entries()
        if entries.contains(where: { $0.path == projectFileName }) { return "" }
        let candidates = entries.filter { $0.path.hasSuffix("/" + projectFileName) }.map {
            String($0.path.dropLast(projectFileName.count + 1))
        }
        let depth: (String) -> Int = { $0.split(separator: "/").count }
        guard let shallowest = candidates.map(depth).min() else {
            throw LoadError(
                kind: .noProjectFile, message: "no \(projectFileName) found in \(tree.label)",
                hint: "run `proforma init` to create a configuration, or pass --root DIR")
        }
        let top = candidates.filter { depth($0) == shallowest }.sorted()
        guard top.count == 1 else {
            throw LoadError(
                kind: .severalProjectFiles,
                message: "several configurations in \(tree.label): \(top.map { $0 + "/" + projectFileName }.joined(separator: ", "))",
                hint: "choose one with --root DIR")
        }
        return top[0]
    }

    /// Loads the configuration whose root is `root` ("" for the tree's root) in `tree`. With a `cache`, files
    /// whose bytes were read before (by an earlier load with the same cache, e.g. the other side of a diff) are not
    /// parsed again.
    public func load(from tree: FileTree, root: String = "", cache: LoadCache? = nil) throws -> LoadedConfiguration {
        let prefix = root.isEmpty ? "" : root + "/"
        let entries = try tree.entries().filter { root.isEmpty || $0.path.hasPrefix(prefix) }
        var state = LoadState()
        var yamlFiles: [(path: String, treePath: String, contentID: String?, size: Int?)] = []
        var skipped: [(path: String, message: String)] = []
        for entry in entries {
            let path = String(entry.path.dropFirst(prefix.count))
            guard Self.isYAML(path), !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
                continue
            }
            switch entry.kind {
            case .file:
                yamlFiles.append((path, entry.path, entry.contentID, entry.size))
            case .symlink(let target):
                skipped.append((path, "symbolic link to \"\(target)\" is not followed"))
            case .submodule:
                skipped.append((path, "submodule is not read"))
            }
        }
        // Entries that are submodules with any name are reported too: they may hold configuration.
        for entry in entries where entry.kind == .submodule && !Self.isYAML(entry.path) {
            skipped.append((String(entry.path.dropFirst(prefix.count)), "submodule is not read"))
        }

        // The project file comes first: it may exclude files.
        var excludes: [Glob] = []
        if let projectFile = yamlFiles.first(where: { $0.path == Self.projectFileName }) {
            read(
                file: projectFile.path, from: tree, treePath: projectFile.treePath, size: projectFile.size,
                into: &state)
            excludes = (state.configuration.project?.exclude ?? []).map(Glob.init)
        } else {
            state.diagnostics.append(
                .error(
                    .projectFile, "no \(Self.projectFileName) at the configuration root", at: nil,
                    hint: "create one with `proforma init`"))
        }
        var pendingIDs: [Int: String] = [:]
        // The other files: bytes read from the tree in order (a tree need not be thread-safe), then parsed on every
        // core, then merged in path order, so the result is the same as reading them one by one.
        var inputs: [(path: String, bytes: [UInt8])] = []
        var cached: [LoadState?] = []
        for file in yamlFiles where file.path != Self.projectFileName {
            if excludes.contains(where: { $0.matches(file.path) }) { continue }
            // A file known by its content id is not even read when a load with this cache has read it.
            if let id = file.contentID, let state = cache?.state(for: file.path, contentID: id) {
                inputs.append((file.path, []))
                cached.append(state)
                continue
            }
            if let size = file.size, size > limits.maxBytes {
                state.tooLarge(file.path, size: size, limit: limits.maxBytes)
                continue
            }
            do {
                let bytes = try tree.contents(of: file.treePath, maxBytes: limits.maxBytes)
                inputs.append((file.path, bytes))
                let hit = cache?.state(for: file.path, bytes: bytes)
                if hit != nil, let id = file.contentID { cache?.remember(id, for: file.path) }
                cached.append(hit)
                if hit == nil, let id = file.contentID { pendingIDs[inputs.count - 1] = id }
            } catch {
                state.unreadable(file.path, error, limit: limits.maxBytes)
            }
        }
        let misses = cached.indices.filter { cached[$0] == nil }
        for (index, state) in zip(misses, readConcurrently(misses.map { inputs[$0] })) {
            cached[index] = state
            cache?.store(state, for: inputs[index].path, bytes: inputs[index].bytes, contentID: pendingIDs[index])
        }
        let fileStates = cached.map { $0! }
        state.sourceMap.resources.reserveCapacity(fileStates.map(\.sourceMap.resources.count).reduce(0, +) + 1)
        for fileState in fileStates {
            state.merge(fileState)
        }
        for (path, message) in skipped where !excludes.contains(where: { $0.matches(path) }) {
            state.diagnostics.append(
                .note(.skippedEntry, message, at: SourceLocation(path: path, line: 1, column: 1)))
        }
        if checksNamedFiles, let project = state.configuration.project, let logo = project.issuer?.logo {
            let location = state.sourceMap.location(of: ResourceID(.project, project.name), field: "issuer.logo")
            if let problem = Self.logoProblem(logo, prefix: prefix, entries: entries) {
                state.diagnostics.append(.error(.invalidLogo, problem.message, at: location, hint: problem.hint))
            }
        }
        state.configuration.sort()
        state.resolveAccountSelectors()
        state.sourceMap.files = state.files.sorted()
        return LoadedConfiguration(
            configuration: state.configuration, sourceMap: state.sourceMap, diagnostics: state.diagnostics.sorted(),
            root: root)
    }

    /// Reads one file of the tree; a file that cannot be read, or is larger than the limit, is a diagnostic, and
    /// loading goes on.
    func read(file path: String, from tree: FileTree, treePath: String, size: Int?, into state: inout LoadState) {
        if let size, size > limits.maxBytes {
            state.tooLarge(path, size: size, limit: limits.maxBytes)
            return
        }
        do {
            read(file: path, bytes: try tree.contents(of: treePath, maxBytes: limits.maxBytes), into: &state)
        } catch {
            state.unreadable(path, error, limit: limits.maxBytes)
        }
    }

    /// Reads each file into a state of its own, on every core.
    func readConcurrently(_ inputs: [(path: String, bytes: [UInt8])]) -> [LoadState] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, inputs.count))
        guard workers > 1 else {
            return inputs.map { input in
                var fileState = LoadState()
                read(file: input.path, bytes: input.bytes, into: &fileState)
                return fileState
            }
        }
        let results = Mutex<[Int: LoadState]>([:])
        let loader = self
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [Int: LoadState] = [:]
            for index in stride(from: worker, to: inputs.count, by: workers) {
                var fileState = LoadState()
                loader.read(file: inputs[index].path, bytes: inputs[index].bytes, into: &fileState)
                local[index] = fileState
            }
            results.withLock { $0.merge(local) { a, _ in a } }
        }
        let all = results.withLock { $0 }
        return (0..<inputs.count).map { all[$0]! }
    }

    /// The image types an issuer's logo may have, by file extension (lower case), with their media types.
    public static let logoTypes: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "svg": "image/svg+xml",
    ]

    /// Why `logo` (relative to the configuration root) cannot be the issuer's logo; nil when it is a regular file
    /// of the tree below the root with an image type.
    static func logoProblem(_ logo: String, prefix: String, entries: [FileTreeEntry]) -> (
        message: String, hint: String?
    )? {
        let components = logo.split(separator: "/", omittingEmptySubsequences: false)
        if logo.hasPrefix("/") || components.contains("..") || components.contains("") || components.contains(".") {
            return (
                "logo \"\(shown(logo))\" must be a path below the configuration root",
                "write it relative to proforma.yaml, e.g. branding/logo.png"
            )
        }
        let fileExtension = logo.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard components.count > 0, logo.contains("."), logoTypes[fileExtension] != nil else {
            return (
                "logo \"\(shown(logo))\" is not an image proforma can embed",
                "use a .png, .jpg, .gif, .webp or .svg file"
            )
        }
        guard let entry = entries.first(where: { $0.path == prefix + logo }) else {
            return ("logo \"\(shown(logo))\" does not exist in the configuration", "add the file, or fix the path")
        }
        if case .file = entry.kind { return nil }
        return ("logo \"\(shown(logo))\" is not a regular file", "symbolic links are not followed; copy the image in")
    }

    static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    /// Loads one file's text alone (for tests and single-file checks).
    public func load(file path: String, text: String) -> LoadedConfiguration {
        var state = LoadState()
        read(file: path, bytes: Array(text.utf8), into: &state)
        state.configuration.sort()
        state.resolveAccountSelectors()
        state.sourceMap.files = state.files
        return LoadedConfiguration(
            configuration: state.configuration, sourceMap: state.sourceMap, diagnostics: state.diagnostics.sorted(),
            root: "")
    }

    func read(file path: String, bytes: [UInt8], into state: inout LoadState) {
        state.files.append(path)
        if Self.isLFSPointer(bytes) {
            state.diagnostics.append(
                .error(
                    .lfsPointer, "\(path) is a Git LFS pointer, not YAML",
                    at: SourceLocation(path: path, line: 1, column: 1),
                    hint: "keep configuration files out of Git LFS (check .gitattributes), or run `git lfs pull`"))
            return
        }
        let file = YAMLParser.parse(bytes, limits: limits)
        for problem in file.problems {
            state.diagnostics.append(Self.diagnostic(for: problem, path: path))
        }
        let documents = file.documents.enumerated().filter { !$0.element.root.isNull }
        if documents.isEmpty && file.problems.isEmpty {
            state.diagnostics.append(
                .warning(
                    .emptyFile, "\(path) holds no configuration document",
                    at: SourceLocation(path: path, line: 1, column: 1),
                    hint: "remove the file, or add a document with kind and name"))
        }
        for (index, document) in documents {
            DocumentReader(path: path, documentIndex: index, document: document).read(into: &state)
        }
    }

    static func isLFSPointer(_ bytes: [UInt8]) -> Bool {
        let signature = Array("version https://git-lfs.github.com/spec/".utf8)
        return bytes.count < 1024 && bytes.starts(with: signature)
    }

    static func diagnostic(for problem: YAMLProblem, path: String) -> Diagnostic {
        let code: DiagnosticCode =
            switch problem.kind {
            case .syntax: .yamlSyntax
            case .invalidUTF8: .invalidUTF8
            case .tabIndentation: .tabIndentation
            case .duplicateKey: .duplicateKey
            case .tooLarge, .tooDeep, .tooManyAliases: .yamlLimit
            case .unsupported: .unsupportedYAML
            }
        return Diagnostic(
            code.defaultSeverity, code, problem.message,
            at: SourceLocation(path: path, line: problem.mark.line, column: problem.mark.column), hint: problem.hint)
    }
}

/// What files have read to, by path and exact bytes, so a second load of much the same tree skips the parsing.
/// Not for sharing between threads.
public final class LoadCache {
    var entries: [String: (bytes: [UInt8], contentIDs: Set<String>, state: LoadState)] = [:]

    public init() {}

    func state(for path: String, bytes: [UInt8]) -> LoadState? {
        guard let entry = entries[path], entry.bytes == bytes else { return nil }
        return entry.state
    }

    func state(for path: String, contentID: String) -> LoadState? {
        guard let entry = entries[path], entry.contentIDs.contains(contentID) else { return nil }
        return entry.state
    }

    func remember(_ contentID: String, for path: String) {
        entries[path]?.contentIDs.insert(contentID)
    }

    func store(_ state: LoadState, for path: String, bytes: [UInt8], contentID: String?) {
        entries[path] = (bytes, contentID.map { [$0] } ?? [], state)
    }
}

/// What loading accumulates across files.
struct LoadState {
    var configuration = Configuration()
    var sourceMap = SourceMap()
    var diagnostics: [Diagnostic] = []
    var files: [String] = []
    var projectSeen = false
    /// Pricing rules whose scope or type was unreadable: known by name, not built.
    var incompleteRules: Set<String> = []
    /// Every registered resource in the order it was read.
    var registered: [(id: ResourceID, source: ResourceSource)] = []

    /// Records a file the tree lists but cannot give (or gives only past the `limit`, when it grew after it was
    /// listed): a diagnostic, and loading goes on.
    mutating func unreadable(_ path: String, _ error: FileTreeError, limit: Int) {
        if error.kind == .tooLarge {
            tooLarge(path, size: error.size, limit: limit)
            return
        }
        files.append(path)
        diagnostics.append(
            .error(
                .unreadableFile, "\(path) cannot be read: \(error.message)",
                at: SourceLocation(path: path, line: 1, column: 1), hint: "check the file's permissions"))
    }

    /// Records a file larger than the limit, which is not read: a diagnostic, and loading goes on.
    mutating func tooLarge(_ path: String, size: Int?, limit: Int) {
        files.append(path)
        let message =
            if let size, size > limit {
                "\(path) is \(size) bytes, more than the \(limit) bytes a configuration file may have"
            } else {
                "\(path) is more than the \(limit) bytes a configuration file may have"
            }
        diagnostics.append(
            .error(
                .yamlLimit, message, at: SourceLocation(path: path, line: 1, column: 1),
                hint: "split it into several files"))
    }

    /// Adds what one file's reading found, as if the file had been read into this state directly.
    mutating func merge(_ other: LoadState) {
        files += other.files
        diagnostics += other.diagnostics
        incompleteRules.formUnion(other.incompleteRules)
        var rejected: Set<ResourceID> = []
        for (id, source) in other.registered where !register(id, source: source) {
            rejected.insert(id)
        }
        if let project = other.configuration.project, !rejected.contains(ResourceID(.project, project.name)) {
            configuration.project = project
        }
        guard !rejected.isEmpty else {
            // The common case: no name of this file was seen before.
            configuration.accounts += other.configuration.accounts
            configuration.billingGroups += other.configuration.billingGroups
            configuration.pricingPlans += other.configuration.pricingPlans
            configuration.pricingRules += other.configuration.pricingRules
            configuration.customLineItems += other.configuration.customLineItems
            configuration.parentGroups += other.configuration.parentGroups
            configuration.costAllocations += other.configuration.costAllocations
            return
        }
        configuration.accounts += other.configuration.accounts.filter { !rejected.contains(ResourceID(.account, $0.name)) }
        configuration.billingGroups += other.configuration.billingGroups.filter {
            !rejected.contains(ResourceID(.billingGroup, $0.name))
        }
        configuration.pricingPlans += other.configuration.pricingPlans.filter {
            !rejected.contains(ResourceID(.pricingPlan, $0.name))
        }
        configuration.pricingRules += other.configuration.pricingRules.filter {
            !rejected.contains(ResourceID(.pricingRule, $0.name))
        }
        configuration.customLineItems += other.configuration.customLineItems.filter {
            !rejected.contains(ResourceID(.customLineItem, $0.name))
        }
        configuration.parentGroups += other.configuration.parentGroups.filter {
            !rejected.contains(ResourceID(.parentGroup, $0.name))
        }
        configuration.costAllocations += other.configuration.costAllocations.filter {
            !rejected.contains(ResourceID(.costAllocation, $0.name))
        }
    }

    /// Registers a resource's source; false (with a diagnostic) when its kind already has that name.
    mutating func register(_ id: ResourceID, source: ResourceSource) -> Bool {
        if let first = sourceMap.resources[id] {
            diagnostics.append(
                .error(
                    .duplicateName,
                    "\(id.kind.rawValue) \"\(id.name)\" is defined twice (first at \(first.location))",
                    at: source.location, hint: "rename one of them; names are unique per kind"))
            return false
        }
        sourceMap.resources[id] = source
        registered.append((id, source))
        return true
    }
}
