import Foundation
import ProformaCore

/// Shared helpers for the test targets.
public enum TestSupport {
    /// The root of the package (where Package.swift stands), found from this source file.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The shared sample data folder (`../shared/data` beside the project), if present.
    public static var sharedData: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }
}
