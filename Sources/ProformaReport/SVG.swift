import ProformaCore

/// A small SVG writer for the report charts: elements are appended in order, every attribute value and text is
/// escaped as XML (`XML.attribute`, `XML.text`), and coordinates are exact decimals printed to two places, so the
/// output is the same on every machine and never holds `NaN`.
///
/// The document is well-formed XML as much as an HTML page's inline SVG: it carries its `xmlns`, an accessible
/// `<title>` and `<desc>` (named by `aria-labelledby`), and its own `<style>`.
struct SVGBuilder {
    enum Anchor: String {
        case start, middle, end
    }

    let width: ExactDecimal
    let height: ExactDecimal
    let title: String
    let description: String
    /// Prefix of the ids of the title and description, unique within a page.
    let id: String
    private var body = ""
    private var depth = 1

    init(width: ExactDecimal, height: ExactDecimal, title: String, description: String, id: String) {
        self.width = width
        self.height = height
        self.title = title
        self.description = description
        self.id = id
    }

    /// A coordinate or length as SVG text: rounded to two places, without trailing zeros (`12.5`, `0`, `-3.25`).
    static func number(_ value: ExactDecimal) -> String {
        let rounded = value.rounded(scale: 2).normalized
        return rounded.isZero ? "0" : rounded.description
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(XML.attribute($0.1))\"" }.joined()
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    private mutating func element(_ name: String, _ pairs: [(String, String)], title: String?) {
        if let title {
            body += "\(indent)<\(name)\(Self.attributes(pairs))><title>\(XML.text(title))</title></\(name)>\n"
        } else {
            body += "\(indent)<\(name)\(Self.attributes(pairs))/>\n"
        }
    }

    /// Opens a group (`<g>`), moved by `x`, `y` when given; close it with `close()`.
    mutating func open(className: String? = nil, x: ExactDecimal = .zero, y: ExactDecimal = .zero) {
        var pairs: [(String, String)] = []
        if let className { pairs.append(("class", className)) }
        if !x.isZero || !y.isZero {
            pairs.append(("transform", "translate(\(Self.number(x)) \(Self.number(y)))"))
        }
        body += "\(indent)<g\(Self.attributes(pairs))>\n"
        depth += 1
    }

    mutating func close() {
        depth = max(1, depth - 1)
        body += "\(indent)</g>\n"
    }

    /// A rectangle; a negative width or height is drawn from the other edge, so it is never invalid.
    mutating func rect(
        x: ExactDecimal, y: ExactDecimal, width: ExactDecimal, height: ExactDecimal, className: String,
        title: String? = nil, data: [(String, String)] = []
    ) {
        let (left, w) = width.isNegative ? (x + width, -width) : (x, width)
        let (top, h) = height.isNegative ? (y + height, -height) : (y, height)
        element(
            "rect",
            [
                ("class", className), ("x", Self.number(left)), ("y", Self.number(top)), ("width", Self.number(w)),
                ("height", Self.number(h)),
            ] + data.map { ("data-\($0.0)", $0.1) }, title: title)
    }

    mutating func line(x1: ExactDecimal, y1: ExactDecimal, x2: ExactDecimal, y2: ExactDecimal, className: String) {
        element(
            "line",
            [
                ("class", className), ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)),
                ("y2", Self.number(y2)),
            ], title: nil)
    }

    mutating func polyline(_ points: [(x: ExactDecimal, y: ExactDecimal)], className: String) {
        guard points.count > 1 else { return }
        let text = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        element("polyline", [("class", className), ("points", text)], title: nil)
    }

    mutating func circle(
        x: ExactDecimal, y: ExactDecimal, radius: ExactDecimal, className: String, title: String? = nil,
        data: [(String, String)] = []
    ) {
        element(
            "circle",
            [("class", className), ("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(radius))]
                + data.map { ("data-\($0.0)", $0.1) }, title: title)
    }

    /// Text on one line; control characters are made visible, markup escaped.
    mutating func text(
        _ text: String, x: ExactDecimal, y: ExactDecimal, anchor: Anchor = .start, className: String,
        title: String? = nil
    ) {
        let pairs = Self.attributes([
            ("class", className), ("x", Self.number(x)), ("y", Self.number(y)), ("text-anchor", anchor.rawValue),
        ])
        let content = XML.text(TerminalText.inline(text))
        let tooltip = title.map { "<title>\(XML.text($0))</title>" } ?? ""
        body += "\(indent)<text\(pairs)>\(tooltip)\(content)</text>\n"
    }

    /// The document: `<svg>` with its size, view box, title, description and, unless the page around it carries
    /// `ChartStyle.css`, its style; placed at `x`, `y` when it is nested in another SVG.
    func render(x: ExactDecimal? = nil, y: ExactDecimal? = nil, style: Bool = true) -> String {
        let w = Self.number(width)
        let h = Self.number(height)
        let position = x.map { " x=\"\(Self.number($0))\"" } ?? ""
        let positionY = y.map { " y=\"\(Self.number($0))\"" } ?? ""
        var output =
            "<svg xmlns=\"http://www.w3.org/2000/svg\"\(position)\(positionY) width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
            + " role=\"img\" aria-labelledby=\"\(XML.attribute(id))-title \(XML.attribute(id))-desc\">\n"
        output += "  <title id=\"\(XML.attribute(id))-title\">\(XML.text(title))</title>\n"
        output += "  <desc id=\"\(XML.attribute(id))-desc\">\(XML.text(description))</desc>\n"
        if style { output += "  <style>\n\(ChartStyle.css)\n  </style>\n" }
        output += body
        output += "</svg>\n"
        return output
    }
}

/// The charts' look, shared by every chart (inline in HTML and standalone).
enum ChartStyle {
    static let css = """
        text { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 11px; fill: #333; }
        text.pf-title { font-size: 12px; font-weight: bold; fill: #1a1a1a; }
        text.pf-tick { fill: #666; }
        text.pf-value { font-size: 10px; fill: #1a1a1a; }
        line.pf-grid { stroke: #e3e3e3; stroke-width: 1; }
        line.pf-zero { stroke: #555; stroke-width: 1; }
        rect.pf-pro-forma { fill: #1f5fa8; }
        rect.pf-aws-cost { fill: #a3adb8; }
        rect.pf-public-cost { fill: #6aa57f; }
        rect.pf-margin { fill: #d9730d; }
        polyline.pf-margin { fill: none; stroke: #d9730d; stroke-width: 2; }
        circle.pf-margin { fill: #d9730d; stroke: #fff; stroke-width: 1; }
        """
}

/// Axis ticks at round values: steps of 1, 2, 2.5 or 5 times a power of ten, about five of them, always including
/// zero, so that bars start at the zero line. Exact decimals throughout.
struct NiceScale: Equatable {
    var minimum: ExactDecimal
    var maximum: ExactDecimal
    var step: ExactDecimal

    /// A scale covering `values` and zero. All zeros (or no values) give the scale 0 to 1.
    init(covering values: [ExactDecimal], targetTicks: Int = 5) {
        let low = values.reduce(ExactDecimal.zero) { $0 < $1 ? $0 : $1 }
        var high = values.reduce(ExactDecimal.zero) { $0 < $1 ? $1 : $0 }
        if low == high { high = low + .one }
        let raw = (high - low).divided(by: ExactDecimal(max(1, targetTicks)), scale: 12) ?? .one
        let step = Self.niceStep(atLeast: raw)
        self.step = step
        minimum = Self.multiple(of: step, floorOf: low)
        maximum = Self.multiple(of: step, ceilingOf: high)
    }

    /// The tick values from the minimum to the maximum.
    var ticks: [ExactDecimal] {
        var ticks: [ExactDecimal] = []
        var value = minimum
        while value <= maximum && ticks.count <= 100 {
            ticks.append(value)
            value += step
        }
        return ticks
    }

    var range: ExactDecimal { maximum - minimum }

    /// The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw` (which is positive).
    static func niceStep(atLeast raw: ExactDecimal) -> ExactDecimal {
        var power = ExactDecimal(significand: 1, scale: 12)
        while power * ExactDecimal(10) <= raw { power = power * ExactDecimal(10) }
        for factor in ["1", "2", "2.5", "5", "10"] {
            let candidate = (power * ExactDecimal(factor)!).normalized
            if candidate >= raw { return candidate }
        }
        return (power * ExactDecimal(10)).normalized
    }

    static func multiple(of step: ExactDecimal, floorOf value: ExactDecimal) -> ExactDecimal {
        var quotient = value.divided(by: step, scale: 0, .down) ?? .zero
        if quotient * step > value { quotient -= .one }
        return (quotient * step).normalized
    }

    static func multiple(of step: ExactDecimal, ceilingOf value: ExactDecimal) -> ExactDecimal {
        var quotient = value.divided(by: step, scale: 0, .down) ?? .zero
        if quotient * step < value { quotient += .one }
        return (quotient * step).normalized
    }

    /// The distance of `value` from the scale's minimum, in a length of `length` units for the whole range.
    func offset(_ value: ExactDecimal, in length: ExactDecimal) -> ExactDecimal {
        ((value - minimum) * length).divided(by: range, scale: 4) ?? .zero
    }

    /// A tick as a short label: thousands as `k` and millions as `M` when the ticks are that large (`2.5k`, `-10k`),
    /// else the value with thousands separators (`250`, `0.5`).
    func label(_ value: ExactDecimal) -> String {
        if value.isZero { return "0" }
        let largest = [minimum.magnitude, maximum.magnitude].max() ?? .zero
        let million = ExactDecimal(1_000_000)
        let thousand = ExactDecimal(1000)
        if largest >= ExactDecimal(10_000_000), let scaled = value.divided(by: million, scale: 6) {
            return scaled.normalized.description + "M"
        }
        if largest >= ExactDecimal(10_000), let scaled = value.divided(by: thousand, scale: 6) {
            return scaled.normalized.description + "k"
        }
        let normalized = value.normalized
        return MoneyText.grouped(normalized, places: normalized.scale)
    }
}
