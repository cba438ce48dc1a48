import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaReport
import ProformaState

extension UserError {
    init(_ error: StateError) {
        self.init(error.message, hint: error.hint)
    }
}

/// The state store of the configuration a command runs in, and the configurations `apply` and `status` read.
enum StateAccess {
    /// Runs store operations, turning their errors into the one line every command prints.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StateError {
            throw UserError(error)
        }
    }

    /// The configuration root on disk: `--root`, else the folder of the nearest proforma.yaml.
    static func rootURL(_ options: RepositoryOptions) throws -> URL {
        let workspace = try options.frontend().workspace
        let directory = workspace.directory
        if let root = options.root { return workspace.path(root) }
        let top = try workspace.repositoryIfPresent()?.workingDirectory.map { URL(fileURLWithPath: $0) }
        guard let found = Workspace.findConfigurationRoot(from: directory, ceiling: top) else {
            throw UserError(
                "no \(ConfigurationLoader.projectFileName) in \(directory.path) or any folder above it",
                hint: "run `proforma init` to create a configuration, or pass -C DIR")
        }
        return found
    }

    /// The store of the working tree's configuration, at its project's `state.path`.
    static func store(_ options: RepositoryOptions) throws -> StateStore {
        store(root: try rootURL(options))
    }

    /// The store of the configuration rooted at `root` on disk, at its project's `state.path`.
    static func store(root: URL) -> StateStore {
        let projectFile = root.appendingPathComponent(ConfigurationLoader.projectFileName)
        let text = try? String(contentsOf: projectFile, encoding: .utf8)
        let project = text.flatMap {
            ConfigurationLoader().load(file: ConfigurationLoader.projectFileName, text: $0).configuration.project
        }
        return store(root: root, project: project)
    }

    /// `PROFORMA_STATE_MAX_PAGES` limits the database's size, so tests can make the disk "full".
    static func store(root: URL, project: Project?) -> StateStore {
        let pages = ProcessInfo.processInfo.environment["PROFORMA_STATE_MAX_PAGES"].flatMap { Int($0) }
        return StateStore.sqlite(root: root.path, project: project, maxPageCount: pages)
    }

    /// The state a plan saved now is made against: the store of the configuration at `root` (relative to the
    /// repository) in the working tree; serial 0 and no lineage when there is none.
    static func plannedState(_ options: RepositoryOptions, root: String) throws -> PlannedState {
        guard let top = try options.frontend().workspace.repository().workingDirectory else {
            return PlannedState(lineage: nil, serial: 0)
        }
        let version = try run { try store(root: URL(fileURLWithPath: top).appendingPathComponent(root)).version() }
        return PlannedState(lineage: version.lineage, serial: version.serial)
    }

    /// `--actor`, else `Name <email>` from git's configuration, else the login name.
    static func actor(_ given: String?, repository: GitRepository?) -> String {
        if let given, !given.isEmpty { return given }
        let name = repository?.configuredValue("user.name")
        let email = repository?.configuredValue("user.email")
        switch (name, email) {
        case (let name?, let email?): return "\(name) <\(email)>"
        case (let name?, nil): return name
        case (nil, let email?): return "<\(email)>"
        case (nil, nil): return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        }
    }

    static func shortCommit(_ commit: String?) -> String { commit.map { String($0.prefix(7)) } ?? "no commit" }
}

/// A configuration read for `apply` or `status`, with where it came from.
struct RevisionToApply {
    var label: String
    var commit: String?
    var dirty: Bool
    var configuration: Configuration
    /// The configuration root on disk, where its store is.
    var rootURL: URL
    var repository: GitRepository
}

enum RevisionLoader {
    /// A revision's configuration; with no revision, HEAD's, refused when the working tree means something else,
    /// unless `allowDirty` (then the working tree's, recorded as dirty).
    static func load(_ options: RepositoryOptions, revision: String?, allowDirty: Bool) throws -> RevisionToApply {
        let frontend = try options.frontend()
        let repository = try frontend.workspace.repository()
        let name = revision ?? "HEAD"
        let commit = try repository.resolve(name)
        let tree = try repository.fileTree(at: commit, revision: name)
        let root =
            try frontend.workspace.repositoryRelativeRoot(repository) ?? ConfigurationLoader.findRoot(in: tree)
        guard let top = repository.workingDirectory else {
            throw UserError("apply needs a working tree to keep its state in; this repository is bare")
        }
        let rootURL = URL(fileURLWithPath: top).appendingPathComponent(root).standardizedFileURL
        let cache = LoadCache()
        // Nothing that `validate` rejects is applied.
        let side = try frontend.side(
            tree: tree, root: root, revision: name, commit: commit.id, repository: repository, cache: cache,
            check: .valid(strict: false))
        var result = RevisionToApply(
            label: name, commit: commit.id, dirty: false, configuration: side.configuration,
            rootURL: rootURL, repository: repository)
        if revision == nil {
            let working: ComparedSide
            do {
                working = try frontend.side(
                    tree: try repository.workingTree(), root: root, revision: nil, commit: nil, repository: repository,
                    cache: cache, check: .valid(strict: false))
            } catch {
                if allowDirty { throw error }
                throw dirtyError
            }
            if Canonical.hash(of: working.configuration) != Canonical.hash(of: side.configuration) {
                guard allowDirty else { throw dirtyError }
                result.label = "working tree"
                result.dirty = true
                result.configuration = working.configuration
            }
        }
        return result
    }

    static let dirtyError = UserError(
        "the working tree has uncommitted changes to the configuration",
        hint: "commit them and apply, or pass --allow-dirty to apply the working tree as it is (recorded as dirty)")

    /// The configuration a saved plan's head names, checked against the plan's content hash.
    static func load(
        _ options: RepositoryOptions, plan: SavedPlan, file: String, allowDirty: Bool
    ) throws -> RevisionToApply {
        let frontend = try options.frontend()
        let repository = try frontend.workspace.repository()
        guard let top = repository.workingDirectory else {
            throw UserError("apply needs a working tree to keep its state in; this repository is bare")
        }
        let rootURL = URL(fileURLWithPath: top).appendingPathComponent(plan.root).standardizedFileURL
        let cache = LoadCache()
        let head = try repository.resolve("HEAD")
        var result: RevisionToApply
        if let commitID = plan.head.commit {
            let commit = try repository.resolve(commitID)
            let tree = try repository.fileTree(at: commit, revision: plan.head.label)
            let side = try frontend.side(
                tree: tree, root: plan.root, revision: plan.head.label, commit: commit.id, repository: repository,
                cache: cache, check: .valid(strict: false))
            result = RevisionToApply(
                label: plan.head.label, commit: commit.id, dirty: false, configuration: side.configuration,
                rootURL: rootURL, repository: repository)
        } else {
            let working = try frontend.side(
                tree: try repository.workingTree(), root: plan.root, revision: nil, commit: nil, repository: repository,
                cache: cache, check: .valid(strict: false))
            let headSide = try? frontend.side(
                tree: try repository.fileTree(at: head, revision: "HEAD"), root: plan.root, revision: "HEAD",
                commit: head.id, repository: repository, cache: cache, check: .readable)
            let clean =
                headSide.map { Canonical.hash(of: $0.configuration) == plan.head.configurationHash } ?? false
            guard clean || allowDirty else { throw dirtyError }
            result = RevisionToApply(
                label: clean ? "HEAD" : "working tree", commit: head.id, dirty: !clean,
                configuration: working.configuration, rootURL: rootURL, repository: repository)
        }
        guard Canonical.hash(of: result.configuration) == plan.head.configurationHash else {
            throw UserError(
                "\(file) no longer matches \(plan.head.label): its configuration changed since the plan was saved",
                hint: "make the plan again: `proforma plan -o \(file)`")
        }
        return result
    }
}

struct Apply: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply a revision or a saved plan: record it as the configuration in effect from a billing period.",
        discussion: """
            Applies a revision (default HEAD) or exactly a plan saved with `plan -o FILE`, recording it in the \
            state store (.proforma/state.db): serial, commit, content hash, actor, time and the billing period it \
            takes effect in. Invoices and reports for a period are priced with the configuration in effect for it. \
            Shows the change against the configuration in effect and asks on a terminal; --yes applies without \
            asking (CI). A closed period keeps its configuration unless --period P --backfill; custom line items \
            alone may change for the previous period. Applying an unchanged configuration records nothing.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(
        help: ArgumentHelp("A revision (default: HEAD) or a plan saved with `plan -o FILE`.", valueName: "rev-or-plan"))
    var target: String?

    @Flag(help: "Apply without asking (for CI).")
    var yes = false

    @Flag(help: "With no revision, apply the working tree even with uncommitted changes (recorded as dirty).")
    var allowDirty = false

    @Option(
        help: ArgumentHelp(
            "The billing period it takes effect in, YYYY-MM (default: the current one, UTC).", valueName: "period"))
    var period: String?

    @Flag(help: "Apply to a closed period (before the current one) on purpose; recorded as a backfill.")
    var backfill = false

    @Option(help: ArgumentHelp("Who applies (default: git's user.name <user.email>).", valueName: "name"))
    var actor: String?

    @Option(
        help: ArgumentHelp(
            "Wait up to this many seconds for another apply's lock (default 0: fail at once).", valueName: "seconds"))
    var lockTimeout: Double = 0

    @Option(help: "Format of the change shown: text or markdown.")
    var format: ChangeFormat = .text

    func validate() throws {
        if let period, BillingPeriod(period) == nil {
            throw ValidationError("--period \(period): expected a billing period YYYY-MM")
        }
        if backfill && period == nil {
            throw ValidationError("--backfill needs --period P: the closed period to apply to")
        }
        if lockTimeout < 0 || !lockTimeout.isFinite {
            throw ValidationError("--lock-timeout \(lockTimeout): expected a number of seconds, 0 or more")
        }
        if format == .json { throw ValidationError("--format json: apply shows text or markdown") }
    }

    func execute() throws -> ExitCode {
        let now = Date()
        let current = ApplyRecord.period(of: now)
        let effective = period.flatMap { BillingPeriod($0) } ?? current

        var source: RevisionToApply
        var savedPlan: SavedPlan?
        var planFile: String?
        if let target, let plan = try readPlan(target) {
            savedPlan = plan
            planFile = target
            source = try RevisionLoader.load(repository, plan: plan, file: target, allowDirty: allowDirty)
        } else {
            source = try RevisionLoader.load(repository, revision: target, allowDirty: allowDirty)
        }
        let store = StateAccess.store(root: source.rootURL, project: source.configuration.project)
        let actor = StateAccess.actor(actor, repository: source.repository)
        let candidate = ApplyCandidate(
            configuration: source.configuration, revision: source.label, commit: source.commit, dirty: source.dirty,
            actor: actor, toolVersion: Proforma.version, period: effective, currentPeriod: current,
            backfill: backfill,
            expected: savedPlan.map { StateVersion(lineage: $0.state?.lineage, serial: $0.state?.serial ?? 0) })

        let lock = try StateAccess.run { try store.lock(holder: actor, timeout: lockTimeout) }
        defer { try? store.unlock(id: lock.id) }

        let prepared = try StateAccess.run { try store.prepare(candidate) }
        if let savedPlan, let planFile, prepared.version.serial > 0,
            savedPlan.base.configurationHash != prepared.base?.configurationHash
        {
            throw UserError(
                "\(planFile) was planned from \(savedPlan.base.label), which is not the configuration in effect for \(effective) (serial \(prepared.base?.serial ?? 0))",
                hint:
                    "plan against the applied configuration: check out what is applied (`proforma status`) and run `proforma plan -o \(planFile)` again"
            )
        }
        if prepared.isUnchanged {
            let base = prepared.base.map { "serial \($0.serial), \(StateAccess.shortCommit($0.commit))" } ?? ""
            Terminal.write(
                "No changes. \(source.label) is already the configuration in effect from \(effective) (\(base)); nothing was recorded.\n"
            )
            return ExitStatus.success
        }

        let baseLabel =
            prepared.base.map { "applied serial \($0.serial) (\(StateAccess.shortCommit($0.commit)))" }
            ?? "nothing applied"
        let plan = Plan(
            base: PlanSide(
                label: baseLabel, commit: prepared.base?.commit,
                configurationHash: prepared.base?.configurationHash ?? ""),
            head: PlanSide(label: source.label, commit: source.commit, configurationHash: prepared.configurationHash),
            root: "", diff: prepared.diff, toolVersion: Proforma.version)
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(ChangeRenderer.render(plan, as: format, color: color, isPlan: true))

        let what =
            "\(source.label)\(source.commit.map { " (\(String($0.prefix(7)))\(source.dirty ? ", dirty" : ""))" } ?? "") from \(effective)\(backfill ? " (backfill)" : "")"
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw UserError(
                    "not applied: confirmation is needed and standard input is not a terminal",
                    hint: "review the plan above and pass --yes to apply without asking (in CI)")
            }
            Terminal.write("\nApply \(what) to \(store.location)? Only 'yes' is accepted: ")
            // Interrupted at the prompt (Ctrl-C, or the terminal closed), the apply releases its lock: nothing was
            // written yet. A run killed outright leaves the lock to `state unlock`.
            let interrupts = Self.onInterrupt {
                try? store.unlock(id: lock.id)
                Terminal.error("\nApply cancelled; nothing was recorded.")
                Foundation.exit(130)
            }
            let answer = readLine()
            for source in interrupts { source.cancel() }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] { signal(signalNumber, SIG_DFL) }
            guard answer?.trimmingCharacters(in: .whitespaces) == "yes" else {
                Terminal.error("Apply cancelled; nothing was recorded.")
                return ExitStatus.failure
            }
        }
        let record = try StateAccess.run { try store.commit(prepared, at: now) }
        Terminal.write(
            "\nApplied \(what) as serial \(record.serial) to \(store.location): \(record.changeSummary).\n")
        return ExitStatus.success
    }

    /// Runs `handler` on SIGINT, SIGTERM or SIGHUP until the returned sources are cancelled.
    static func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    /// The saved plan `target` names, or nil when it names no file (then it is a revision).
    func readPlan(_ target: String) throws -> SavedPlan? {
        let directory = try repository.frontend().workspace.directory
        let url = URL(fileURLWithPath: target, relativeTo: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw UserError("cannot read \(target)")
        }
        guard let plan = SavedPlan.read(data) else {
            throw UserError(
                "\(target) is not a saved plan of this version (format_version \(Plan.formatVersion))",
                hint: "save one with `proforma plan -o \(target)`")
        }
        guard plan.state != nil else {
            throw UserError(
                "\(target) was not planned against applied state",
                hint: "make the plan again with this version: `proforma plan -o \(target)`")
        }
        return plan
    }
}
