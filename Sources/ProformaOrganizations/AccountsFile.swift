import ProformaCore
import ProformaLoader
import ProformaModel

/// What an import changed in the accounts file.
public struct AccountsImport: Sendable, Hashable {
    /// The new text of the accounts file.
    public var text: String
    /// Account IDs added, updated (an owned field changed) and removed (imported before, no longer in the
    /// organization), each sorted.
    public var added: [String]
    public var updated: [String]
    public var removed: [String]
    /// Accounts of the organization declared in another file, which the import leaves alone.
    public var declaredElsewhere: [String]
    public var unchanged: Int
}

/// Writes the organization into an accounts file (`accounts.yaml`), keeping what was written by hand.
///
/// The import owns, for every account of the organization: `account_id`, `email`, `state`, `ou_path`, and `tags`
/// when the account's tags were read. It keeps each declared account's `name`, `description` and `unassigned`, and
/// the comments on their own lines within the account's document (put before the document). An account imported
/// before (one with a `state`) that the organization no longer lists is removed; an account declared by hand
/// (without a `state`) is kept as written. Accounts are written sorted by OU path, then name, so the output
/// depends on the data alone: importing the same data again changes nothing.
public enum AccountsFile {
    public static let defaultPath = "accounts.yaml"
    static let header = """
        # yaml-language-server: $schema=schemas/account.schema.json
        # The accounts of the organization. `proforma import organizations` writes account_id, email, state,
        # ou_path and (with --tags) tags; name, description, unassigned and comments are kept as written.

        """

    /// Merges `organization` into `existing` (the file's text, nil when there is none). `elsewhere` lists the
    /// account IDs and names the rest of the configuration declares, which the import neither duplicates nor
    /// reuses.
    public static func merge(
        _ organization: Organization, into existing: String?, path: String = defaultPath,
        elsewhere: (accountIDs: Set<String>, names: Set<String>) = ([], [])
    ) throws(OrganizationImportError) -> AccountsImport {
        var header = existing == nil ? Self.header : ""
        var documents: [(account: Account, comments: [String])] = []
        if let existing {
            let loaded = ConfigurationLoader().load(file: path, text: existing)
            if let error = loaded.diagnostics.first(where: { $0.severity == .error }) {
                throw OrganizationImportError(
                    file: path, line: error.location?.line, column: error.location?.column,
                    message: error.message, hint: "fix the file (proforma validate) and import again")
            }
            let chunks = Self.chunks(of: existing)
            header = chunks.header
            for account in loaded.configuration.accounts {
                let index = loaded.sourceMap.resources[ResourceID(.account, account.name)]?.documentIndex ?? -1
                documents.append((account, index >= 0 && index < chunks.comments.count ? chunks.comments[index] : []))
            }
            let others = loaded.configuration.resourceIDs.filter { $0.kind != .account }
            if let other = others.first {
                throw OrganizationImportError(
                    file: path, message: "\(path) holds \(other), not only accounts",
                    hint: "move it to a file of its own: the import rewrites \(path)")
            }
        }
        var index: [String: Int] = [:]
        for (position, document) in documents.enumerated() { index[document.account.accountID] = position }
        var names = elsewhere.names.union(documents.map(\.account.name))
        var added: [String] = []
        var updated: [String] = []
        var skipped: [String] = []
        var unchanged = 0
        var listed: Set<String> = []
        for member in organization.accounts {
            listed.insert(member.id)
            if elsewhere.accountIDs.contains(member.id) && index[member.id] == nil {
                skipped.append(member.id)
                continue
            }
            let ouPath = try organization.ouPath(of: member)
            if let position = index[member.id] {
                var account = documents[position].account
                let before = account
                account.email = member.email ?? account.email
                account.state = member.state
                account.ouPath = ouPath ?? account.ouPath
                if let tags = organization.tags[member.id] { account.tags = tags }
                documents[position].account = account
                if account == before { unchanged += 1 } else { updated.append(member.id) }
            } else {
                let name = Self.name(for: member, taken: names)
                names.insert(name)
                documents.append(
                    (
                        Account(
                            name: name, accountID: member.id, email: member.email,
                            tags: organization.tags[member.id] ?? [:], state: member.state, ouPath: ouPath), []
                    ))
                added.append(member.id)
            }
        }
        let removed = documents.filter { $0.account.state != nil && !listed.contains($0.account.accountID) }
            .map(\.account.accountID)
        documents.removeAll { $0.account.state != nil && !listed.contains($0.account.accountID) }
        documents.sort { a, b in
            let left = (a.account.ouPath ?? "\u{10FFFF}", a.account.name, a.account.accountID)
            let right = (b.account.ouPath ?? "\u{10FFFF}", b.account.name, b.account.accountID)
            return left < right
        }
        var text = header
        for (position, document) in documents.enumerated() {
            if position > 0 { text += "---\n" }
            for comment in document.comments { text += comment + "\n" }
            text += render(document.account)
        }
        return AccountsImport(
            text: text, added: added.sorted(), updated: updated.sorted(), removed: removed.sorted(),
            declaredElsewhere: skipped.sorted(), unchanged: unchanged)
    }

    /// A proforma name for an account new to the file: its AWS name in lower case, with `-` for what a name may
    /// not hold; its account ID when that is empty or taken.
    static func name(for account: OrganizationAccount, taken: Set<String>) -> String {
        var result = ""
        for scalar in (account.name ?? "").lowercased().unicodeScalars {
            let allowed =
                (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
                || "_+=.@-".unicodeScalars.contains(scalar)
            if allowed {
                result.unicodeScalars.append(scalar)
            } else if !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        while result.hasPrefix("-") || result.hasPrefix(".") { result.removeFirst() }
        result = String(result.prefix(100))
        if result.isEmpty { return "account-\(account.id)" }
        return taken.contains(result) ? "\(result)-\(account.id)" : result
    }

    /// The file's header (comments before the first document, up to their last blank line) and, per document in
    /// the order YAML reads them, the comments on their own lines within it.
    static func chunks(of text: String) -> (header: String, comments: [[String]]) {
        var chunks: [[String]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingTrailingSpace
            if trimmed == "---" || trimmed.hasPrefix("--- ") {
                chunks.append([])
            } else {
                chunks[chunks.count - 1].append(String(line))
            }
        }
        let isComment: (String) -> Bool = { $0.drop { $0 == " " }.hasPrefix("#") }
        let isBlank: (String) -> Bool = { $0.allSatisfy { $0 == " " || $0 == "\r" } }
        // Text before a first `---` that holds no content belongs to the first document.
        if chunks.count > 1, chunks[0].allSatisfy({ isComment($0) || isBlank($0) }) {
            let first = chunks.removeFirst()
            chunks[0] = first + chunks[0]
        }
        var header = ""
        if let lastBlank = chunks[0].prefix(while: { isComment($0) || isBlank($0) }).lastIndex(where: isBlank) {
            header = chunks[0][...lastBlank].joined(separator: "\n") + "\n"
            chunks[0].removeFirst(lastBlank + 1)
        }
        return (header, chunks.map { $0.filter(isComment) })
    }

    static func render(_ account: Account) -> String {
        var lines = ["kind: Account", "name: \(scalar(account.name))", "account_id: \"\(account.accountID)\""]
        if let email = account.email { lines.append("email: \(scalar(email))") }
        if let state = account.state { lines.append("state: \(state.rawValue)") }
        if let path = account.ouPath { lines.append("ou_path: \(scalar(path))") }
        if let description = account.description { lines.append("description: \(scalar(description))") }
        if account.unassigned { lines.append("unassigned: true") }
        if !account.tags.isEmpty {
            let pairs = account.tags.sorted { $0.key < $1.key }
                .map { "\(scalar($0.key, flow: true)): \(scalar($0.value, flow: true))" }
            lines.append("tags: { \(pairs.joined(separator: ", ")) }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar that every YAML reader reads back as this text: plain when that is safe, else in double
    /// quotes.
    static func scalar(_ text: String, flow: Bool = false) -> String {
        if isPlainSafe(text, flow: flow) { return text }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static let yaml11Words: Set<String> = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ]

    /// Line separators, bidirectional controls and the byte order mark: always quoted (escaped where shown).
    static let invisible: Set<UInt32> = [
        0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
    ]

    static func isPlainSafe(_ text: String, flow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard first != " ", last != " ", !yaml11Words.contains(text.lowercased()) else { return false }
        // Anything that starts like a number, or with an indicator, is quoted.
        let startsSafely =
            (first >= "a" && first <= "z") || (first >= "A" && first <= "Z") || first == "/"
            || first == "_"
        guard startsSafely else { return false }
        for scalar in text.unicodeScalars {
            let isSafe =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || " _./@+=-()".unicodeScalars.contains(scalar) || (!flow && scalar == ",")
                || (scalar.value >= 0xA0 && !Self.invisible.contains(scalar.value))
            guard isSafe else { return false }
        }
        return true
    }
}

extension Substring {
    var trimmingTrailingSpace: Substring {
        var result = self
        while let last = result.last, last == " " || last == "\r" { result = result.dropLast() }
        return result
    }
}
