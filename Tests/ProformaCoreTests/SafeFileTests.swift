import Foundation
import ProformaCore
import ProformaTestSupport
import Testing

@Suite struct SafeFileTests {
    func folder() throws -> URL {
        try TestSupport.temporaryDirectory()
    }

    @Test func writesAndReplacesWhole() throws {
        let base = try folder()
        defer { try? FileManager.default.removeItem(at: base) }
        try SafeFile.write("one\n", to: "a/b/file.txt", in: base.path)
        try SafeFile.write("two\n", to: "a/b/file.txt", in: base.path)
        #expect(try String(contentsOf: base.appendingPathComponent("a/b/file.txt"), encoding: .utf8) == "two\n")
        // No temporary file is left beside it.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("a/b").path) == ["file.txt"]
        )
    }

    @Test func symbolicLinksAreRefusedNeverFollowed() throws {
        let base = try folder()
        defer { try? FileManager.default.removeItem(at: base) }
        let outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let inside = base.appendingPathComponent("inside")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: inside.appendingPathComponent("link"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            at: inside.appendingPathComponent("file.txt"), withDestinationURL: outside.appendingPathComponent("f"))
        #expect(throws: OutputError(path: inside.path + "/link/x.txt", reason: .symbolicLink(inside.path + "/link"))) {
            try SafeFile.write("x", to: "link/x.txt", in: inside.path)
        }
        #expect(
            throws: OutputError(path: inside.path + "/file.txt", reason: .symbolicLink(inside.path + "/file.txt"))
        ) {
            try SafeFile.write("x", toFile: inside.path + "/file.txt")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        // The folder the user named is trusted as named, even through a link.
        try SafeFile.write("x", toFile: inside.path + "/link/named.txt")
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("named.txt").path))
    }

    @Test func reasonsInWords() throws {
        let base = try folder()
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: OutputError(path: file.path + "/out.txt", reason: .notAFolder(file.path))) {
            try SafeFile.write("x", toFile: file.path + "/out.txt")
        }
        let missing = base.appendingPathComponent("missing")
        #expect(throws: OutputError(path: missing.path + "/deeper/out.txt", reason: .missingFolder(missing.path))) {
            try SafeFile.write("x", toFile: missing.path + "/deeper/out.txt")
        }
        #expect(throws: OutputError(path: base.path, reason: .isAFolder)) {
            try SafeFile.write("x", toFile: base.path)
        }
        #expect(throws: OutputError.self) { try SafeFile.write("x", to: "../escape.txt", in: file.path + "-folder") }
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("escape.txt").path))
        let error = OutputError(path: "plan.json", reason: .symbolicLink("plan.json"))
        #expect(error.message == "cannot write plan.json: plan.json is a symbolic link, which proforma never follows")
        if getuid() != 0 {
            let locked = base.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: locked.path)
            #expect(throws: OutputError(path: locked.path + "/x", reason: .notWritable(locked.path))) {
                try SafeFile.write("x", toFile: locked.path + "/x")
            }
        }
    }

    @Test func aSetWritesItsManifestLast() throws {
        let base = try folder()
        defer { try? FileManager.default.removeItem(at: base) }
        let set = try OutputSet(OutputFolder(base.path, below: "set", create: true)) {}
        try set.write("a\n", named: "a.txt")
        #expect(
            !FileManager.default.fileExists(atPath: base.appendingPathComponent("set/" + OutputSet.manifestName).path))
        #expect(throws: OutputError(path: base.path + "/set/" + OutputSet.manifestName, reason: .reservedName)) {
            try set.write("{}", named: OutputSet.manifestName)
        }
        try set.finish(["period": .string("2026-10")])
        let manifest = try String(
            contentsOf: base.appendingPathComponent("set/" + OutputSet.manifestName), encoding: .utf8)
        #expect(manifest.contains("\"sha256\": \"\(SHA256.hex("a\n"))\""))
        #expect(manifest.contains("\"period\": \"2026-10\""))
    }
}
