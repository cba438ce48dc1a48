import ProformaCore
import ProformaModel

/// An account as `aws organizations list-accounts` lists it.
public struct OrganizationAccount: Sendable, Hashable {
    public var id: String
    public var arn: String?
    public var email: String?
    /// The account's name in AWS (free text; not a proforma name).
    public var name: String?
    public var state: AccountState
    public var joinedMethod: String?
    public var joinedTimestamp: String?
    /// `Paths`: `o-…/r-…/ou-…/…/ACCOUNT/`, when the output has them.
    public var paths: [String]

    public init(
        id: String, arn: String? = nil, email: String? = nil, name: String? = nil, state: AccountState,
        joinedMethod: String? = nil, joinedTimestamp: String? = nil, paths: [String] = []
    ) {
        self.id = id
        self.arn = arn
        self.email = email
        self.name = name
        self.state = state
        self.joinedMethod = joinedMethod
        self.joinedTimestamp = joinedTimestamp
        self.paths = paths
    }
}

/// An organization as the `aws organizations` outputs describe it: its accounts, its OU tree and the accounts'
/// tags.
public struct Organization: Sendable, Hashable {
    /// Sorted by account ID.
    public var accounts: [OrganizationAccount]
    /// OU ID → name.
    public var unitNames: [String: String]
    /// Child ID (OU or account) → parent ID (OU or root).
    public var parents: [String: String]
    /// Account ID → tags, for the accounts whose tags were read.
    public var tags: [String: Tags]

    public init(
        accounts: [OrganizationAccount], unitNames: [String: String] = [:], parents: [String: String] = [:],
        tags: [String: Tags] = [:]
    ) {
        self.accounts = accounts.sorted { $0.id < $1.id }
        self.unitNames = unitNames
        self.parents = parents
        self.tags = tags
    }

    /// The OU path of an account: OU names from the root, `/` for an account directly under the root; nil when
    /// neither its `Paths` nor a `list-parents` output place it.
    public func ouPath(of account: OrganizationAccount) throws(OrganizationImportError) -> String? {
        var chain: [String]
        if let path = account.paths.sorted().first {
            // o-…/r-…/ou-…/…/ACCOUNT/: the IDs between the root (included) and the account.
            let parts = path.split(separator: "/").map(String.init)
            guard let root = parts.firstIndex(where: { $0.hasPrefix("r-") }) else {
                throw OrganizationImportError(
                    file: "list-accounts", message: "the path \"\(path)\" of account \(account.id) names no root")
            }
            chain = Array(parts[(root + 1)...].prefix { $0 != account.id })
        } else {
            guard var parent = parents[account.id] else { return nil }
            chain = []
            var seen: Set<String> = []
            while !parent.hasPrefix("r-") {
                guard seen.insert(parent).inserted, seen.count <= 100 else {
                    throw OrganizationImportError(
                        file: "list-parents", message: "the parents of account \(account.id) form a cycle at \(parent)")
                }
                chain.insert(parent, at: 0)
                guard let next = parents[parent] else {
                    throw OrganizationImportError(
                        file: "list-parents",
                        message: "the parent of OU \(parent) (above account \(account.id)) is not known",
                        hint:
                            "add the list-organizational-units-for-parent output of its parent to --ous, or its list-parents output to --parents"
                    )
                }
                parent = next
            }
        }
        var names: [String] = []
        for id in chain {
            guard let name = unitNames[id] else {
                throw OrganizationImportError(
                    file: "list-organizational-units-for-parent",
                    message: "OU \(id) (above account \(account.id)) is in no --ous listing, so its name is not known",
                    hint:
                        "write `aws organizations list-organizational-units-for-parent --parent-id PARENT` of its parent to --ous DIR/PARENT.json"
                )
            }
            names.append(name)
        }
        return "/" + names.joined(separator: "/")
    }
}

/// Reads the outputs of `aws organizations list-accounts`, `list-organizational-units-for-parent`, `list-parents`
/// and `list-tags-for-resource` (JSON, the pages of one call one after another in one file).
public enum OrganizationReader {
    /// `list-accounts` (every page): the accounts, each once.
    public static func accounts(_ bytes: [UInt8], file: String) throws(OrganizationImportError) -> [OrganizationAccount]
    {
        var result: [OrganizationAccount] = []
        for page in try pages(bytes, file: file, listKey: "Accounts") {
            for item in page {
                result.append(try account(item, file: file))
            }
        }
        return result
    }

    static func account(_ item: OrganizationJSON, file: String) throws(OrganizationImportError) -> OrganizationAccount {
        guard case .object = item.kind else {
            throw OrganizationImportError(
                file: file, at: item, "an account must be an object, found \(item.kindDescription)")
        }
        let id = try text(item, "Id", file: file, required: true)!
        guard id.utf8.count == 12, id.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw OrganizationImportError(
                file: file, at: item["Id"]!, "\"\(id)\" is not an AWS account ID: account IDs are exactly 12 digits")
        }
        // `State` replaces the retiring `Status`, which is read only when `State` is missing.
        let stateValue =
            item["State"].flatMap { $0.isNull ? nil : $0 } ?? item["Status"].flatMap { $0.isNull ? nil : $0 }
        guard let stateValue else {
            throw OrganizationImportError(
                file: file, at: item, "account \(id) has no State",
                hint: "use the output of a current aws command line, which writes State")
        }
        guard let stateText = stateValue.string, let state = AccountState(rawValue: stateText) else {
            throw OrganizationImportError(
                file: file, at: stateValue,
                "account \(id) has the state \(stateValue.string.map { "\"\($0)\"" } ?? stateValue.kindDescription), not one of \(AccountState.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        var paths: [String] = []
        if let value = item["Paths"], !value.isNull {
            guard let items = value.array else {
                throw OrganizationImportError(
                    file: file, at: value, "Paths must be a list, found \(value.kindDescription)")
            }
            for path in items {
                guard let text = path.string else {
                    throw OrganizationImportError(
                        file: file, at: path, "a path must be a string, found \(path.kindDescription)")
                }
                paths.append(text)
            }
        }
        return OrganizationAccount(
            id: id, arn: try text(item, "Arn", file: file), email: try text(item, "Email", file: file),
            name: try text(item, "Name", file: file), state: state,
            joinedMethod: try text(item, "JoinedMethod", file: file),
            joinedTimestamp: try timestamp(item, "JoinedTimestamp", file: file), paths: paths)
    }

    /// `list-organizational-units-for-parent --parent-id PARENT` (every page): the OUs' IDs and names.
    public static func organizationalUnits(_ bytes: [UInt8], file: String) throws(OrganizationImportError)
        -> [(id: String, name: String)]
    {
        var result: [(id: String, name: String)] = []
        for page in try pages(bytes, file: file, listKey: "OrganizationalUnits") {
            for item in page {
                let id = try text(item, "Id", file: file, required: true)!
                result.append((id, try text(item, "Name", file: file, required: true)!))
            }
        }
        return result
    }

    /// `list-parents --child-id CHILD`: the child's parent (an OU or the root).
    public static func parent(_ bytes: [UInt8], file: String) throws(OrganizationImportError) -> String? {
        var ids: [String] = []
        for page in try pages(bytes, file: file, listKey: "Parents") {
            for item in page { ids.append(try text(item, "Id", file: file, required: true)!) }
        }
        return ids.first
    }

    /// `list-tags-for-resource --resource-id ACCOUNT` (every page).
    public static func tags(_ bytes: [UInt8], file: String) throws(OrganizationImportError) -> Tags {
        var result: Tags = [:]
        for page in try pages(bytes, file: file, listKey: "Tags") {
            for item in page {
                let key = try text(item, "Key", file: file, required: true)!
                result[key] = try text(item, "Value", file: file) ?? ""
            }
        }
        return result
    }

    /// The lists of every page: each document an object with the list under `listKey` (and a `NextToken`).
    static func pages(_ bytes: [UInt8], file: String, listKey: String) throws(OrganizationImportError)
        -> [[OrganizationJSON]]
    {
        var result: [[OrganizationJSON]] = []
        for document in try JSONDocuments.parse(bytes, file: file) {
            guard case .object = document.kind, let list = document[listKey] else {
                throw OrganizationImportError(
                    file: file, at: document,
                    "expected an object with \"\(listKey)\", found \(document.kindDescription)",
                    hint: "is this the output of the right aws organizations command?")
            }
            guard let items = list.array else {
                throw OrganizationImportError(
                    file: file, at: list, "\"\(listKey)\" must be a list, found \(list.kindDescription)")
            }
            result.append(items)
        }
        return result
    }

    static func text(_ item: OrganizationJSON, _ key: String, file: String, required: Bool = false)
        throws(OrganizationImportError) -> String?
    {
        guard case .object = item.kind else {
            throw OrganizationImportError(file: file, at: item, "expected an object, found \(item.kindDescription)")
        }
        guard let value = item[key], !value.isNull else {
            if required { throw OrganizationImportError(file: file, at: item, "\"\(key)\" is missing") }
            return nil
        }
        guard let text = value.string else {
            throw OrganizationImportError(
                file: file, at: value, "\"\(key)\" must be a string, found \(value.kindDescription)")
        }
        return text
    }

    /// A timestamp as the aws command line writes it: ISO 8601 text, or seconds since 1970 as a number.
    static func timestamp(_ item: OrganizationJSON, _ key: String, file: String) throws(OrganizationImportError)
        -> String?
    {
        guard let value = item[key], !value.isNull else { return nil }
        switch value.kind {
        case .string(let text): return text
        case .number(let text): return text
        default:
            throw OrganizationImportError(
                file: file, at: value, "\"\(key)\" must be a timestamp, found \(value.kindDescription)")
        }
    }

    /// Reads the whole organization: the `list-accounts` files, and folders of per-ID outputs whose file names
    /// are the IDs they were asked for (`ous/r-ab12.json`, `parents/123456789012.json`, `tags/123456789012.json`).
    public static func organization(
        accountFiles: [(path: String, bytes: [UInt8])], unitFiles: [(path: String, bytes: [UInt8])] = [],
        parentFiles: [(path: String, bytes: [UInt8])] = [], tagFiles: [(path: String, bytes: [UInt8])] = []
    ) throws(OrganizationImportError) -> Organization {
        var accounts: [OrganizationAccount] = []
        var firstFile: [String: String] = [:]
        for (path, bytes) in accountFiles {
            for account in try Self.accounts(bytes, file: path) {
                if let first = firstFile[account.id] {
                    throw OrganizationImportError(
                        file: path, message: "account \(account.id) is listed twice (also in \(first))",
                        hint: "give each page of list-accounts once")
                }
                firstFile[account.id] = path
                accounts.append(account)
            }
        }
        var names: [String: String] = [:]
        var parents: [String: String] = [:]
        for (path, bytes) in unitFiles {
            let parent = try id(of: path)
            for unit in try organizationalUnits(bytes, file: path) {
                names[unit.id] = unit.name
                parents[unit.id] = parent
            }
        }
        for (path, bytes) in parentFiles {
            if let parent = try parent(bytes, file: path) { parents[try id(of: path)] = parent }
        }
        var tags: [String: Tags] = [:]
        for (path, bytes) in tagFiles { tags[try id(of: path)] = try Self.tags(bytes, file: path) }
        return Organization(accounts: accounts, unitNames: names, parents: parents, tags: tags)
    }

    /// The ID a per-ID output is named by: its file name without `.json`.
    static func id(of path: String) throws(OrganizationImportError) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let id = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        let isAccount = id.utf8.count == 12 && id.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        guard isAccount || id.hasPrefix("r-") || id.hasPrefix("ou-") else {
            throw OrganizationImportError(
                file: path, message: "the file name \"\(name)\" names no account, OU or root ID",
                hint:
                    "name each output after the ID it was asked for: 123456789012.json, ou-ab12-cdef3456.json, r-ab12.json"
            )
        }
        return id
    }
}
