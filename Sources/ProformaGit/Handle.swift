import CGit2

/// The single owner of one libgit2 handle (an object, a tree entry, a reference, the index, a walker...).
///
/// It frees the handle in `deinit` with the function libgit2 pairs with it, and holds the repository the handle
/// came from so that the repository outlives it. Use the pointer only while the handle is alive: inside a method
/// of the holder, or through `withPointer`.
final class Handle {
    private let pointer: OpaquePointer
    private let release: (OpaquePointer) -> Void
    private let repository: GitRepository?

    init(_ pointer: OpaquePointer, repository: GitRepository?, release: @escaping (OpaquePointer) -> Void) {
        self.pointer = pointer
        self.repository = repository
        self.release = release
    }

    deinit {
        release(pointer)
    }

    /// Calls `body` with the raw pointer, keeping this handle alive until it returns.
    @discardableResult
    func withPointer<Result, Failure: Error>(
        _ body: (OpaquePointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        defer { withExtendedLifetime(self) {} }
        return try body(pointer)
    }
}

/// Runs a libgit2 call that creates a handle through an out-parameter and returns its single owner.
func makeHandle(
    _ action: @autoclosure () -> String,
    repository: GitRepository?,
    release: @escaping (OpaquePointer) -> Void,
    _ call: (inout OpaquePointer?) -> Int32
) throws(GitError) -> Handle {
    var raw: OpaquePointer?
    try check(action()) { call(&raw) }
    guard let raw else {
        throw GitError(.other, "could not \(action()): libgit2 returned no object")
    }
    return Handle(raw, repository: repository, release: release)
}

/// The release functions libgit2 pairs with each kind of handle.
enum Release {
    static func object(_ pointer: OpaquePointer) { git_object_free(pointer) }
    static func treeEntry(_ pointer: OpaquePointer) { git_tree_entry_free(pointer) }
    static func reference(_ pointer: OpaquePointer) { git_reference_free(pointer) }
    static func referenceIterator(_ pointer: OpaquePointer) { git_reference_iterator_free(pointer) }
    static func index(_ pointer: OpaquePointer) { git_index_free(pointer) }
    static func odb(_ pointer: OpaquePointer) { git_odb_free(pointer) }
}
