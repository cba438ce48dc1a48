import Foundation
import ProformaCore
import ProformaGit
import Testing

/// Files larger than the caller's bound are refused before they are read: their size comes from the file system
/// or from the object's header, and at most the bound plus one byte is read.
@Suite("Size limits before reading")
struct SizeLimitTests {
    /// A sparse file of 4 GiB: instant to make and to stat, but reading it would take seconds and gigabytes.
    static let hugeSize = 4 << 30

    static func makeSparse(_ path: String, size: Int) throws {
        #expect(FileManager.default.createFile(atPath: path, contents: Data("kind: x\n".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    @Test("a plain directory refuses a 4 GiB file without reading it")
    func directoryTree() throws {
        let directory = try TemporaryDirectory()
        try Self.makeSparse(directory.subpath("huge.yaml"), size: Self.hugeSize)
        try "kind: Project\n".write(toFile: directory.subpath("small.yaml"), atomically: true, encoding: .utf8)
        let tree = DirectoryFileTree(root: directory.path)
        let start = ContinuousClock.now
        let error = #expect(throws: FileTreeError.self) { try tree.contents(of: "huge.yaml", maxBytes: 1 << 20) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.size == Self.hugeSize)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(try tree.contents(of: "small.yaml", maxBytes: 14) == Array("kind: Project\n".utf8))
        let justOver = #expect(throws: FileTreeError.self) { try tree.contents(of: "small.yaml", maxBytes: 13) }
        #expect(justOver?.kind == .tooLarge)
    }

    @Test("the working tree of a repository refuses a 4 GiB file without reading it")
    func workingTree() throws {
        let repo = try TestRepository()
        try repo.write("proforma.yaml", "kind: Project\n")
        try repo.commit("First")
        try Self.makeSparse(repo.path("huge.yaml"), size: Self.hugeSize)
        let tree = try repo.open().workingTree()
        #expect(try tree.entries().first { $0.path == "huge.yaml" }?.size == Self.hugeSize)
        let start = ContinuousClock.now
        let error = #expect(throws: FileTreeError.self) { try tree.contents(of: "huge.yaml", maxBytes: 1 << 20) }
        #expect(error?.kind == .tooLarge)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(try tree.contents(of: "proforma.yaml", maxBytes: 14) == Array("kind: Project\n".utf8))
    }

    @Test("a commit refuses a blob over the bound, its size read from the object header")
    func commitTree() throws {
        let repo = try TestRepository()
        let big = String(repeating: "# padding line\n", count: 1000)
        try repo.write("big.yaml", big)
        try repo.write("proforma.yaml", "kind: Project\n")
        try repo.commit("First")
        let tree = try repo.open().fileTree(revision: "HEAD")
        let error = #expect(throws: FileTreeError.self) { try tree.contents(of: "big.yaml", maxBytes: 14_999) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.size == 15_000)
        #expect(try tree.contents(of: "big.yaml", maxBytes: 15_000).count == 15_000)
        #expect(try tree.contents(of: "big.yaml").count == 15_000)
        #expect(try tree.contents(of: "proforma.yaml", maxBytes: 14) == Array("kind: Project\n".utf8))
    }

    @Test("a tree held in memory checks the bound too")
    func inMemoryTree() throws {
        let tree = InMemoryFileTree(files: ["a.yaml": "12345"])
        #expect(try tree.contents(of: "a.yaml", maxBytes: 5) == Array("12345".utf8))
        let error = #expect(throws: FileTreeError.self) { try tree.contents(of: "a.yaml", maxBytes: 4) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.size == 5)
    }
}
