import CGit2

extension GitRepository {
    /// A text value of the repository's git configuration (with the global and system files beneath it), or nil
    /// when it is not set or cannot be read: `configuredValue("user.name")`.
    public func configuredValue(_ name: String) -> String? {
        withPointer { repository -> String? in
            var config: OpaquePointer?
            guard git_repository_config_snapshot(&config, repository) == 0, let config else { return nil }
            defer { git_config_free(config) }
            var value: UnsafePointer<CChar>?
            guard git_config_get_string(&value, config, name) == 0, let value else { return nil }
            return String(cString: value)
        }
    }
}
