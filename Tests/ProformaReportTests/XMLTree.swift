import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML document read back with Foundation's XML parser (libxml2), which refuses anything that is not
/// well-formed: what the report pages and charts are checked with.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""
    weak var parent: XMLNode?

    init(name: String, attributes: [String: String], parent: XMLNode?) {
        self.name = name
        self.attributes = attributes
        self.parent = parent
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// Every element below this one (depth first, in document order), this one first.
    var descendants: [XMLNode] { [self] + children.flatMap(\.descendants) }

    /// Elements below named `name`, with the class `className` when given.
    func all(_ name: String, className: String? = nil) -> [XMLNode] {
        descendants.filter { node in
            node.name == name && (className.map { node.classes.contains($0) } ?? true)
        }
    }

    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    /// The text of this element and all below it.
    var allText: String { text + children.map(\.allText).joined() }

    /// The `<title>` child's text (an SVG tooltip).
    var title: String? { children.first { $0.name == "title" }?.allText }

    /// The nearest ancestor named `name` with the class `className`.
    func ancestor(_ name: String, className: String) -> XMLNode? {
        var node = parent
        while let current = node {
            if current.name == name && current.classes.contains(className) { return current }
            node = current.parent
        }
        return nil
    }

    static func parse(_ text: String) throws -> XMLNode {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw Failure(
                "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): "
                    + "\(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        return root
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var current: XMLNode?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            let node = XMLNode(name: elementName, attributes: attributeDict, parent: current)
            if let current { current.children.append(node) } else { root = node }
            current = node
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            current = current?.parent
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current?.text += string
        }
    }
}
